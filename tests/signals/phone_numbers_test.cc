// ClassifyPhone (toll-free, premium, international, local) and FindSpelledPhones.
#include "signals/phone_numbers.h"

#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

using hamlet::signals::ClassifyPhone;
using hamlet::signals::FindSpelledPhones;
using hamlet::signals::PhoneKind;

namespace reference {

// FindSpelledPhones as it was before its scan went table-driven (a copy): the current one must
// find exactly the same numbers on any input.
constexpr size_t kMinDigits = 7;
constexpr size_t kMaxDigits = 15;
constexpr int kMinSpelledParts = 2;

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) { return IsDigit(c) || (c >= 'a' && c <= 'z'); }
bool IsRunSeparator(char c) {
  return c == ' ' || c == '-' || c == ',' || c == '.' || c == '(' || c == ')' || c == '/' ||
         c == '\t';
}

constexpr std::array<std::pair<std::string_view, char>, 11> kDigitWords = {{{"zero", '0'},
                                                                            {"one", '1'},
                                                                            {"two", '2'},
                                                                            {"three", '3'},
                                                                            {"four", '4'},
                                                                            {"five", '5'},
                                                                            {"six", '6'},
                                                                            {"seven", '7'},
                                                                            {"eight", '8'},
                                                                            {"nine", '9'},
                                                                            {"nought", '0'}}};

// A number under construction: its digits and how many of its parts were spelled.
struct Run {
  std::string digits;
  int spelled = 0;
  int repeat = 1;         // "double"/"triple" before the next digit word
  bool too_long = false;  // more digits than a phone number has: no phone, however it ends
  void Clear() {
    digits.clear();
    spelled = 0;
    repeat = 1;
    too_long = false;
  }
};

// Whether a part of a number (a digit, a digit word, "oh", "double", "hundred" ...) can start
// with the lower-case letter or digit `c`. Most words of a comment start with another letter.
bool CanStartNumberPart(char c) {
  return IsDigit(c) || std::string_view("zotfsendhl").find(c) != std::string_view::npos;
}

// Adds `word` (lower-case ASCII letters and digits) to `run`; false when it is no part of a
// number (then the run ends before it).
bool AddToRun(std::string_view word, Run& run) {
  if (!CanStartNumberPart(word.front())) return false;
  for (const auto& [name, digit] : kDigitWords) {
    if (word == name) {
      run.digits.append(static_cast<size_t>(run.repeat), digit);
      run.repeat = 1;
      ++run.spelled;
      return true;
    }
  }
  if (run.repeat != 1) return false;  // "double" must be followed by a digit word
  if (word == "double" || word == "triple") {
    run.repeat = word == "double" ? 2 : 3;
    return true;
  }
  // "oh"/"o" for zero only inside a number, and "hundred"/"thousand" only after a digit.
  if (!run.digits.empty() && (word == "oh" || word == "o")) {
    run.digits.push_back('0');
    ++run.spelled;
    return true;
  }
  if (!run.digits.empty() && (word == "hundred" || word == "thousand")) {
    run.digits.append(word == "hundred" ? 2 : 3, '0');
    ++run.spelled;
    return true;
  }
  // Digits, possibly with the letters o and l standing for 0 and 1 ("8oo", "o1o1").
  bool digit = false, letter = false;
  for (char c : word) {
    if (IsDigit(c)) {
      digit = true;
    } else if (c == 'o' || c == 'l') {
      letter = true;
    } else {
      return false;
    }
  }
  if (!digit) return false;
  for (char c : word) run.digits.push_back(c == 'o' ? '0' : c == 'l' ? '1' : c);
  if (letter) ++run.spelled;
  return true;
}

std::vector<std::string> ReferenceFindSpelledPhones(std::string_view raw) {
  std::vector<std::string> found;
  Run run;
  auto finish = [&] {
    if (run.digits.empty() && !run.too_long) {
      run.Clear();
      return;
    }
    // Counting aloud ("one two three four five six seven") is no phone number.
    const bool counting = std::string_view("0123456789").find(run.digits) != std::string::npos ||
                          std::string_view("9876543210").find(run.digits) != std::string::npos;
    if (run.spelled >= kMinSpelledParts && run.digits.size() >= kMinDigits &&
        run.digits.size() <= kMaxDigits && !counting && !run.too_long) {
      found.push_back(run.digits);
    }
    run.Clear();
  };
  std::string word;
  size_t i = 0;
  const size_t n = raw.size();
  while (i < n) {
    // The next word of ASCII letters and digits.
    word.clear();
    if (!IsAlnum(Lower(raw[i]))) {
      finish();  // a character that is neither a word nor a number separator
      ++i;
      continue;
    }
    if (!CanStartNumberPart(Lower(raw[i]))) {
      // Most words start with a letter no part of a number starts with: AddToRun would refuse
      // the word whatever the run, so it only ends the run. Skipped without copying it.
      while (i < n && IsAlnum(Lower(raw[i]))) ++i;
      finish();
    } else {
      while (i < n && IsAlnum(Lower(raw[i]))) word.push_back(Lower(raw[i++]));
    }
    if (!word.empty() && !AddToRun(word, run)) {
      const bool fresh = run.digits.empty() && run.repeat == 1 && !run.too_long;
      finish();
      // The word may start a new number ("... five. Nine ..."); a fresh run refused it already.
      if (!fresh) AddToRun(word, run);
    }
    if (run.digits.size() > kMaxDigits) {
      run.digits.clear();  // bounded memory; the run still ends where it ends
      run.too_long = true;
    }
    // Separators between parts of one number; anything else ends it.
    size_t gap = 0;
    while (i < n && IsRunSeparator(raw[i]) && gap < 3) {
      ++i;
      ++gap;
    }
    if (i < n && !IsAlnum(Lower(raw[i]))) finish();
  }
  finish();
  return found;
}

}  // namespace reference

TEST_SUITE("signals/phone_numbers") {
  TEST_CASE("classifies dialled numbers") {
    struct Row {
      const char* dialled;
      PhoneKind kind;
    };
    const Row rows[] = {
        {"+18005550147", PhoneKind::kTollFree},
        {"18885550132", PhoneKind::kTollFree},
        {"+18775550188", PhoneKind::kTollFree},
        {"8665550139", PhoneKind::kTollFree},
        {"+18555550100", PhoneKind::kTollFree},
        {"18445550115", PhoneKind::kTollFree},
        {"+18335550126", PhoneKind::kTollFree},
        {"08005550199", PhoneKind::kTollFree},
        {"08085550100", PhoneKind::kTollFree},
        {"+448005550100", PhoneKind::kTollFree},
        {"18004251234", PhoneKind::kTollFree},
        {"1300555010", PhoneKind::kTollFree},
        {"+80012345678", PhoneKind::kTollFree},
        {"0080012345678", PhoneKind::kTollFree},
        {"09061701461", PhoneKind::kPremium},
        {"+19005550100", PhoneKind::kPremium},
        {"+449061701461", PhoneKind::kPremium},
        {"+447700900123", PhoneKind::kInternational},
        {"+12025550122", PhoneKind::kInternational},
        {"0033123456789", PhoneKind::kInternational},
        {"5550143", PhoneKind::kLocal},
        {"2025550122", PhoneKind::kLocal},
        {"0201234567", PhoneKind::kLocal},
        {"8005", PhoneKind::kLocal},
    };
    for (const Row& row : rows) {
      INFO(std::string(row.dialled));
      CHECK(ClassifyPhone(row.dialled) == row.kind);
    }
  }

  TEST_CASE("dashed dates and year ranges are not phone numbers") {
    CHECK(hamlet::signals::LooksLikeDate("20240314"));
    CHECK(hamlet::signals::LooksLikeDate("14032024"));
    CHECK(hamlet::signals::LooksLikeDate("03142024"));
    CHECK(hamlet::signals::LooksLikeDate("19992003"));
    CHECK_FALSE(hamlet::signals::LooksLikeDate("55501430"));
    CHECK_FALSE(hamlet::signals::LooksLikeDate("+20240314"));
    CHECK_FALSE(hamlet::signals::LooksLikeDate("2024031"));
    CHECK_FALSE(hamlet::signals::LooksLikeDate("8005550147"));
  }

  TEST_CASE("finds phone numbers written in words or with letters for digits") {
    struct Row {
      const char* raw;
      std::vector<std::string> numbers;
    };
    const Row rows[] = {
        {"call the support helpline one eight eight eight, five five five, zero one four one.",
         {"18885550141"}},
        {"Dial eight zero zero five five five one two one two now", {"8005551212"}},
        {"one-eight-hundred-five-five-five-zero-one-zero-one", {"18005550101"}},
        {"call 1-8OO-555-O1O1 today", {"18005550101"}},
        {"ring 8 zero zero 555 0199 any time", {"8005550199"}},
        {"nine oh six one seven oh one four six one", {"9061701461"}},
        {"double five five, triple two, one three four", {"555222134"}},
        // Not phone numbers:
        {"one two three four five six seven eight nine, said my daughter", {}},
        {"the one 555-0100 number", {}},
        {"I have one cat, two dogs and three fish", {}},
        {"call 911 or 555-0143", {}},
        {"oh no, one of the nine", {}},
        {"eight zero zero five", {}},  // too short
        {"lol 100l of water", {}},
    };
    for (const Row& row : rows) {
      INFO(std::string(row.raw));
      CHECK(FindSpelledPhones(row.raw) == row.numbers);
    }
  }

  TEST_CASE("a long run of number words is no phone and stays linear") {
    std::string words;
    for (int i = 0; i < 50003; ++i) words += "five ";
    CHECK(FindSpelledPhones(words).empty());
    CHECK(FindSpelledPhones(words + ". Call eight zero zero five five five one two one two") ==
          std::vector<std::string>{"8005551212"});
  }

  TEST_CASE("the table-driven scan finds what the reference scan finds on hostile input") {
    const std::vector<std::string> parts = {"one",      "Two",
                                            "THREE",    "four",
                                            "five",     "six",
                                            "seven",    "eight",
                                            "nine",     "zero",
                                            "nought",   "oh",
                                            "O",        "double",
                                            "Triple",   "hundred",
                                            "thousand", "8oo",
                                            "o1o1",     "555",
                                            "1234567",  "12345678901234567",
                                            "l",        "ll0",
                                            "the",      "phone",
                                            "call",     "Dial",
                                            "e",        "\xC3\xA9",
                                            "\xFF",     "tw0",
                                            "sevens"};
    const std::vector<std::string> gaps = {" ", "  ", "   ", "    ", "-", ", ",  ".", "(", ")",
                                           "/", "\t", "\n",  "!",    "'", " - ", "",  "\0"};
    uint64_t state = 7;
    auto next = [&state](size_t bound) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      return static_cast<size_t>(state >> 33) % bound;
    };
    size_t with_numbers = 0;
    for (int k = 0; k < 3000; ++k) {
      std::string text;
      const size_t words = next(40);
      for (size_t w = 0; w < words; ++w) {
        text += parts[next(parts.size())];
        text += gaps[next(gaps.size())];
      }
      const std::vector<std::string> want = reference::ReferenceFindSpelledPhones(text);
      CHECK(FindSpelledPhones(text) == want);
      if (!want.empty()) ++with_numbers;
    }
    CHECK(with_numbers > 50);  // the inputs do exercise found numbers, not only refusals
  }
}

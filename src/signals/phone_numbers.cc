// Phone number kinds and spelled-out phone numbers.
#include "signals/phone_numbers.h"

#include <array>
#include <utility>

namespace hamlet::signals {
namespace {

constexpr std::array<std::string_view, 7> kNanpTollFree = {"800", "888", "877", "866",
                                                           "855", "844", "833"};
constexpr size_t kMinDigits = 7;
constexpr size_t kMaxDigits = 15;
constexpr int kMinSpelledParts = 2;

bool IsNanpTollFree(std::string_view area) {
  for (std::string_view code : kNanpTollFree) {
    if (area == code) return true;
  }
  return false;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// kWordChar[c]: c lower-cased when it is an ASCII letter or digit, else 0. The scan below looks
// at every byte of a comment: one table lookup instead of lower-casing, then two range tests.
constexpr std::array<char, 256> MakeWordChars() {
  std::array<char, 256> table{};
  for (int c = 0; c < 256; ++c) {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')) table[c] = static_cast<char>(c);
    if (c >= 'A' && c <= 'Z') table[c] = static_cast<char>(c - 'A' + 'a');
  }
  return table;
}
constexpr std::array<char, 256> kWordChar = MakeWordChars();
char WordChar(char c) { return kWordChar[static_cast<unsigned char>(c)]; }
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

}  // namespace

PhoneKind ClassifyPhone(std::string_view dialled) {
  const bool plus = dialled.starts_with('+');
  std::string_view d = plus ? dialled.substr(1) : dialled;
  if (!plus && d.starts_with("00")) {
    d.remove_prefix(2);
    if (d.starts_with("800")) return PhoneKind::kTollFree;  // 00800: universal freephone
    return PhoneKind::kInternational;
  }
  if (plus) {
    if (d.starts_with("800")) return PhoneKind::kTollFree;
    if (d.starts_with('1') && d.size() == 11) {
      if (IsNanpTollFree(d.substr(1, 3))) return PhoneKind::kTollFree;
      if (d.substr(1, 3) == "900") return PhoneKind::kPremium;
    }
    if (d.starts_with("44800") || d.starts_with("44808")) return PhoneKind::kTollFree;
    if (d.starts_with("449")) return PhoneKind::kPremium;
    return PhoneKind::kInternational;
  }
  // Without a country code: North American 1-8XX or 8XX, and national freephone prefixes.
  if (d.size() == 11 && d.starts_with('1')) {
    if (IsNanpTollFree(d.substr(1, 3))) return PhoneKind::kTollFree;
    if (d.substr(1, 3) == "900") return PhoneKind::kPremium;
  }
  if (d.size() == 10 && IsNanpTollFree(d.substr(0, 3))) return PhoneKind::kTollFree;
  if (d.starts_with("0800") || d.starts_with("0808") || d.starts_with("1800") ||
      d.starts_with("1300")) {
    return PhoneKind::kTollFree;
  }
  if (d.starts_with("09") && d.size() >= 10) return PhoneKind::kPremium;  // UK premium rate
  return PhoneKind::kLocal;
}

bool LooksLikeDate(std::string_view d) {
  if (d.size() != 8) return false;
  for (char c : d) {
    if (!IsDigit(c)) return false;
  }
  auto number = [&](size_t pos, size_t len) {
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) v = v * 10 + (d[i] - '0');
    return v;
  };
  auto year = [](int y) { return y >= 1900 && y <= 2099; };
  auto month = [](int m) { return m >= 1 && m <= 12; };
  auto day = [](int v) { return v >= 1 && v <= 31; };
  return (year(number(0, 4)) && month(number(4, 2)) && day(number(6, 2))) ||
         (day(number(0, 2)) && month(number(2, 2)) && year(number(4, 4))) ||
         (month(number(0, 2)) && day(number(2, 2)) && year(number(4, 4))) ||
         (year(number(0, 4)) && year(number(4, 4)));
}

std::string_view PhoneKindName(PhoneKind kind) {
  switch (kind) {
    case PhoneKind::kLocal:
      return "local";
    case PhoneKind::kInternational:
      return "international";
    case PhoneKind::kTollFree:
      return "toll-free";
    case PhoneKind::kPremium:
      return "premium-rate";
  }
  return "local";
}

namespace {

// Ends `run`: its digits are a spelled phone number when enough parts were spelled, the length
// fits and it is not counting aloud ("one two three four five six seven").
void FinishRun(Run& run, std::vector<std::string>& found) {
  const bool counting = std::string_view("0123456789").find(run.digits) != std::string::npos ||
                        std::string_view("9876543210").find(run.digits) != std::string::npos;
  if (run.spelled >= kMinSpelledParts && run.digits.size() >= kMinDigits &&
      run.digits.size() <= kMaxDigits && !counting && !run.too_long) {
    found.push_back(run.digits);
  }
  run.Clear();
}

}  // namespace

std::vector<std::string> FindSpelledPhones(std::string_view raw) {
  std::vector<std::string> found;
  Run run;
  // Called at most bytes of a comment, nearly always with no number under way: that case is
  // kept small enough to inline.
  auto finish = [&] {
    if (run.digits.empty() && !run.too_long) {
      run.Clear();
    } else {
      FinishRun(run, found);
    }
  };
  std::string word;
  size_t i = 0;
  const size_t n = raw.size();
  while (i < n) {
    // The next word of ASCII letters and digits.
    const char first = WordChar(raw[i]);
    if (first == 0) {
      finish();  // a character that is neither a word nor a number separator
      ++i;
      continue;
    }
    const size_t start = i;
    while (i < n && WordChar(raw[i]) != 0) ++i;
    word.clear();
    if (!CanStartNumberPart(first)) {
      // Most words start with a letter no part of a number starts with: AddToRun would refuse
      // the word whatever the run, so it only ends the run. Skipped without copying it.
      finish();
    } else {
      word.assign(raw.substr(start, i - start));
      for (char& c : word) c = WordChar(c);
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
    if (i < n && WordChar(raw[i]) == 0) finish();
  }
  finish();
  return found;
}

}  // namespace hamlet::signals

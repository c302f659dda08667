// ClassifyPhone (toll-free, premium, international, local) and FindSpelledPhones.
#include "signals/phone_numbers.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using hamlet::signals::ClassifyPhone;
using hamlet::signals::FindSpelledPhones;
using hamlet::signals::PhoneKind;

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
}

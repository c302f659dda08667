// The contact family: phone numbers, spelled-out numbers, e-mail addresses, messenger ids and
// support-line phrasing.
#include "signals/contact.h"

#include <doctest/doctest.h>

#include <string>

#include "support/check_run.h"
#include "text/normalize.h"

using hamlet::testing::RunCheckOnText;

namespace {
const hamlet::signals::CheckFn kContact = &hamlet::signals::CheckContact;
}  // namespace

TEST_SUITE("signals/contact") {
  TEST_CASE("contact.phone weighs the kind of number and how many there are") {
    struct Row {
      const char* text;
      double contribution;
    };
    const Row rows[] = {
        {"Call the church office at 555-0143 to book a slot.", 0.5},
        {"In an emergency call 911, not the office.", 0.0},
        {"WhatsApp +44 7700 900123 for prices", 0.75},
        {"Printer offline? Call +1-800-555-0147 now", 1.0},
        {"To claim call 09061701461. Claim code KL341.", 1.5},
        {"UK 0800 555 0123 or US +1 888 555 0123", 1.5},
        {"call 555-0101, 555-0102, 555-0103, 555-0104, 555-0105 or 555-0106", 2.5},
        {"The vote was 12 to 3 on 2024-03-14.", 0.0},
        {"Open 9-5, closed 12/25/2024, owned by the family 1999-2003.", 0.0},
    };
    for (const Row& row : rows) {
      INFO(std::string(row.text));
      CHECK(RunCheckOnText(kContact, row.text).Of("contact.phone") ==
            doctest::Approx(row.contribution));
    }
  }

  TEST_CASE("contact.spelled_phone finds numbers written in words") {
    const auto run = RunCheckOnText(
        kContact,
        "For bank account locked call the support helpline one eight eight eight, five five "
        "five, zero one four one. Available round the clock.");
    REQUIRE(run.Find("contact.spelled_phone") != nullptr);
    CHECK(run.Of("contact.spelled_phone") == doctest::Approx(2.5));
    CHECK(run.Find("contact.spelled_phone")->detail.find("toll-free") != std::string::npos);
    // The spelled number counts as a phone for the support-number phrasing.
    CHECK(run.Find("contact.support_number") != nullptr);
    CHECK(RunCheckOnText(kContact, "one of the two dogs was seven years old").hits.empty());
  }

  TEST_CASE("contact.email counts addresses in the text") {
    struct Row {
      const char* text;
      double contribution;
    };
    const Row rows[] = {
        {"Reach him at chris.recovery.pro@example.org today", 1.0},
        {"Email a@example.com or b@example.net or c@example.org", 2.0},
        {"I emailed the council about it and they answered", 0.0},
        {"@maria I agree with you", 0.0},
    };
    for (const Row& row : rows) {
      INFO(std::string(row.text));
      CHECK(RunCheckOnText(kContact, row.text).Of("contact.email") ==
            doctest::Approx(row.contribution));
    }
  }

  TEST_CASE("contact.messenger needs an id, a link or a request to add, not just a name") {
    struct Row {
      const char* text;
      int ids;
    };
    const Row rows[] = {
        {"Contact him on Telegram @recover_funds_fast", 1},
        {"Order via WhatsApp +1 (646) 555-0190", 1},
        {"Escríbenos por Telegram: @tfg_express", 1},
        {"chat with us: https://wa.me/15555550100", 1},
        {"join t.me/vipfixedmatches for free tips", 1},
        {"add me on wechat, my id is below", 1},
        {"WeChat ID lucky888 for orders", 1},
        {"DM me on Signal for the details", 1},
        {"Whats App +44 7700 900412 fast and cheap", 1},
        {"telegram @a and whatsapp +1 202 555 0122", 2},
        // Not ids:
        {"Don't email them, don't message them on WhatsApp, don't send them anything.", 0},
        {"My kids use WhatsApp to talk to their grandparents.", 0},
        {"The signal @ the crossing was broken again", 0},
        {"The telegram arrived in 1921 and the family kept it.", 0},
        {"Stand in line @ the counter", 0},
    };
    for (const Row& row : rows) {
      INFO(std::string(row.text));
      CHECK(hamlet::signals::CountMessengerIds(hamlet::text::Analyze(row.text)) == row.ids);
      const bool hit = RunCheckOnText(kContact, row.text).Find("contact.messenger") != nullptr;
      CHECK(hit == (row.ids > 0));
    }
  }

  TEST_CASE("support phrasing is weak alone and strong with a phone number") {
    struct Row {
      const char* text;
      double phrase;
      double number;
    };
    const Row rows[] = {
        {"My bank's support line kept me on hold for 50 minutes.", 0.5, 0.0},
        {"Someone got an email with a \"support number\" to call.", 0.5, 0.0},
        {"Call our 24/7 printer customer support number +1-800-555-0147 toll free for instant "
         "help.",
         0.0, 2.5},
        {"Call airline reservations helpline 1 (888) 555-0132 for the cheapest fares.", 0.0, 1.5},
        {"Dial QuickBooks support phone number +1 877 555 0188 now", 0.0, 1.5},
        {"Call the church office at 555-0143 to book a slot.", 0.0, 0.0},
        {"The council meets on Tuesday.", 0.0, 0.0},
    };
    for (const Row& row : rows) {
      INFO(std::string(row.text));
      const auto run = RunCheckOnText(kContact, row.text);
      CHECK(run.Of("contact.support_phrase") == doctest::Approx(row.phrase));
      CHECK(run.Of("contact.support_number") == doctest::Approx(row.number));
    }
  }

  TEST_CASE("CountSupportPhrases counts distinct phrases, not repeats") {
    CHECK(hamlet::signals::CountSupportPhrases("call customer support customer support") == 1);
    CHECK(hamlet::signals::CountSupportPhrases("toll free helpline customer care") == 3);
    CHECK(hamlet::signals::CountSupportPhrases("") == 0);
    CHECK(hamlet::signals::CountSupportPhrases("support the free toll road") == 0);
  }
}

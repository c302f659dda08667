// Allow/block lists, logged-in roles and the author checks against the real hamletd: each
// list kind and each author check shows in X-hamlet-reasons (Akismet comment-check, with
// WordPress's field names) and in /v1/check's reasons; a `hamlet lists add` on the running
// service's database and an edit of its block.txt reach it within seconds.
#include <doctest/doctest.h>
#include <httplib.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/e2e_backends.h"
#include "support/hamletd_process.h"

namespace hamlet::testing {
namespace {

using nlohmann::json;

constexpr const char* kSite = "http://example.test/";  // the test key's site

httplib::Result CommentCheck(const HamletdProcess& d, httplib::Params form) {
  httplib::Client c(d.host(), d.port());
  c.set_read_timeout(std::chrono::seconds(10));
  form.emplace("api_key", d.key());
  form.emplace("blog", kSite);
  if (form.find("user_ip") == form.end()) form.emplace("user_ip", "192.0.2.10");
  if (form.find("comment_content") == form.end()) {
    form.emplace("comment_content", "Thanks, the second recipe worked well for me.");
  }
  return c.Post("/1.1/comment-check", form);
}

std::string Reasons(const httplib::Result& r) {
  return r ? r->get_header_value("X-hamlet-reasons") : std::string();
}

// Checks until X-hamlet-reasons contains (or, with `present` false, lacks) `check`: the
// service re-reads the lists every 2 s.
httplib::Result CheckUntil(const HamletdProcess& d, const httplib::Params& form,
                           const std::string& check, bool present = true) {
  httplib::Result r = CommentCheck(d, form);
  for (int i = 0; i < 80; ++i) {
    if (r && (Reasons(r).find(check) != std::string::npos) == present) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    r = CommentCheck(d, form);
  }
  return r;
}

json V1Check(const HamletdProcess& d, json body) {
  httplib::Client c(d.host(), d.port());
  c.set_read_timeout(std::chrono::seconds(10));
  body["api_key"] = d.key();
  auto r = c.Post("/v1/check", body.dump(), "application/json");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  return json::parse(r->body);
}

// The reason named `check` in a /v1/check answer, or null.
json ReasonOf(const json& answer, const std::string& check) {
  for (const auto& reason : answer["reasons"]) {
    if (reason["check"] == check) return reason;
  }
  return nullptr;
}

void Add(const HamletdProcess& d, std::vector<std::string> args) {
  args.insert(args.begin(), {"lists", "add"});
  const CommandResult r = d.Hamlet(args);
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
}

}  // namespace

TEST_SUITE("e2e/lists") {
  TEST_CASE_TEMPLATE("each kind on the block list makes comment-check answer spam and names it",
                     Backend, SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    Add(d, {"block", "ip", "203.0.113.0/24", "--note", "spam wave"});
    Add(d, {"block", "ip", "2001:db8:bad::/48"});
    Add(d, {"block", "email", "seller@mailer.example"});
    Add(d, {"block", "email_domain", "bulk-mail.example"});
    Add(d, {"block", "url_domain", "pills.example"});
    Add(d, {"block", "word", "replica watches"});
    Add(d, {"block", "regex", R"(earn \$\d+ (a|per) day)"});
    struct Row {
      httplib::Params form;
      const char* check;
    };
    const Row rows[] = {
        {{{"user_ip", "203.0.113.99"}}, "lists.block_ip"},
        {{{"user_ip", "2001:db8:bad:7::1"}}, "lists.block_ip"},
        {{{"comment_author_email", "Seller@Mailer.example"}}, "lists.block_email"},
        {{{"comment_author_email", "x@eu.bulk-mail.example"}}, "lists.block_email_domain"},
        {{{"comment_author_url", "https://www.pills.example/"}}, "lists.block_url_domain"},
        {{{"comment_content", "Nice post, see http://shop.pills.example/buy for more"}},
         "lists.block_url_domain"},
        {{{"comment_content", "Best REPLICA watches in town"}}, "lists.block_word"},
        {{{"comment_content", "I EARN $250 a day from home"}}, "lists.block_regex"},
    };
    for (const Row& row : rows) {
      const std::string shown_check = row.check;
      CAPTURE(shown_check);
      auto r = CheckUntil(d, row.form, row.check);
      REQUIRE(r);
      CHECK(Reasons(r).find(row.check) != std::string::npos);
      CHECK(r->body == "true");
      CHECK(r->get_header_value("X-hamlet-verdict") == "spam");  // never discard
    }
    // The same comment from elsewhere is not blocked.
    auto clean = CommentCheck(d, {{"user_ip", "198.51.100.4"}});
    REQUIRE(clean);
    CHECK(Reasons(clean).find("lists.") == std::string::npos);
    CHECK(clean->body == "false");

    // /v1/check names the entry for the moderator without the commenter's address.
    json answer = V1Check(d, {{"user_ip", "203.0.113.5"}, {"comment_content", "hello there"}});
    json reason = ReasonOf(answer, "lists.block_ip");
    REQUIRE(reason.is_object());
    CHECK(answer["verdict"] == "spam");
    const std::string detail = reason["detail"];
    CHECK(detail.find("spam wave") != std::string::npos);
    CHECK(detail.find("203.0.113.5") == std::string::npos);
  }

  TEST_CASE_TEMPLATE("allow-list entries and logged-in WordPress roles lean to ham", Backend,
                     SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    Add(d, {"allow", "ip", "198.51.100.0/24"});
    Add(d, {"allow", "email", "editor@news.example"});
    Add(d, {"allow", "email_domain", "staff.example"});
    Add(d, {"allow", "url_domain", "wikipedia.org"});
    Add(d, {"allow", "word", "open source"});
    Add(d, {"allow", "regex", R"(RFC \d{3,4})"});
    struct Row {
      httplib::Params form;
      const char* check;
    };
    const Row rows[] = {
        {{{"user_ip", "198.51.100.20"}}, "lists.allow_ip=-5.00"},
        {{{"comment_author_email", "editor@news.example"}}, "lists.allow_email=-5.00"},
        {{{"comment_author_email", "ann@staff.example"}}, "lists.allow_email_domain=-3.00"},
        {{{"comment_content", "Background: https://en.wikipedia.org/wiki/Sourdough"}},
         "lists.allow_url_domain=-3.00"},
        {{{"comment_content", "Great to see open source tools here"}}, "lists.allow_word=-2.00"},
        {{{"comment_content", "As RFC 5322 says, that address is valid"}},
         "lists.allow_regex=-2.00"},
        {{{"user_role", "editor"}}, "lists.role=-3.00"},
        {{{"user_role", "subscriber"}}, "lists.role=-1.00"},
    };
    for (const Row& row : rows) {
      const std::string shown_check = row.check;
      CAPTURE(shown_check);
      auto r = CheckUntil(d, row.form, row.check);
      REQUIRE(r);
      CHECK(Reasons(r).find(row.check) != std::string::npos);
    }
    // A guest is not logged in; administrator is Akismet's forced-ham test hook.
    CHECK(Reasons(CommentCheck(d, {{"user_role", "guest"}})).find("lists.role") ==
          std::string::npos);
    auto admin = CommentCheck(d, {{"user_role", "administrator"}});
    CHECK(Reasons(admin).find("akismet.test_ham") != std::string::npos);

    // An allowed sender with a filled honeypot: both count, neither settles it alone.
    json answer = V1Check(d, {{"comment_author_email", "editor@news.example"},
                              {"comment_content", "hello"},
                              {"honeypot_field_name", "hp_field"},
                              {"hp_field", "filled by a bot"}});
    CHECK(ReasonOf(answer, "lists.allow_email")["contribution"] == -5.0);
    CHECK(ReasonOf(answer, "honeypot").is_object());
  }

  TEST_CASE_TEMPLATE("each author check shows in the reasons of comment-check and /v1/check",
                     Backend, SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    struct Row {
      httplib::Params form;
      const char* check;
    };
    const Row rows[] = {
        // mailinator.com comes from the shipped data/lists/disposable-email-domains.txt.
        {{{"comment_author", "Ann"}, {"comment_author_email", "ann@mailinator.com"}},
         "author.disposable_email=+1.50"},
        {{{"comment_author", "Ann"}, {"comment_author_email", "ann-at-home"}},
         "author.email_shape=+1.00"},
        {{{"comment_author", "Ann"}, {"comment_author_email", "ann19871203@mail.example"}},
         "author.email_digits=+0.75"},
        {{{"comment_author", "Buy Essay Online"}}, "author.name_keywords=+2.50"},
        {{{"comment_author", "sales@best-seo.example"}}, "author.name_email=+2.00"},
    };
    for (const Row& row : rows) {
      const std::string shown_check = row.check;
      CAPTURE(shown_check);
      auto r = CommentCheck(d, row.form);
      REQUIRE(r);
      CHECK(Reasons(r).find(row.check) != std::string::npos);
    }
    json answer = V1Check(d, {{"comment_author", "Best SEO Services"},
                              {"comment_author_email", "k3j9x2m7q@yopmail.com"},
                              {"comment_content", "Nice article."}});
    CHECK(ReasonOf(answer, "author.name_keywords")["contribution"] == 2.5);
    CHECK(ReasonOf(answer, "author.disposable_email").is_object());
    CHECK(ReasonOf(answer, "author.email_digits").is_object());

    // hamletd remembers earlier comments: an author URL on the first comment of that author
    // on this site is noted, on the next one it is not.
    const httplib::Params ann = {{"comment_author", "Ann"},
                                 {"comment_author_url", "https://ann-shop.example/"},
                                 {"comment_content", "Thanks for the clear write-up."}};
    auto first = CommentCheck(d, ann);
    REQUIRE(first);
    CHECK(Reasons(first).find("author.url_first_comment") != std::string::npos);
    auto second = CommentCheck(d, ann);
    REQUIRE(second);
    CHECK(Reasons(second).find("author.url_first_comment") == std::string::npos);
    // An ordinary commenter gets no author reason at all.
    auto ordinary = CommentCheck(d, {{"comment_author", "Dr. Anna Smith"},
                                     {"comment_author_email", "anna.smith@mail.example"}});
    CHECK(Reasons(ordinary).find("author.") == std::string::npos);
  }

  TEST_CASE_TEMPLATE("hamlet lists add and remove reach the running service within seconds",
                     Backend, SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    const httplib::Params form = {{"comment_content", "Join the best bingo hall online"}};
    auto before = CommentCheck(d, form);
    REQUIRE(before);
    CHECK(Reasons(before).find("lists.block_word") == std::string::npos);

    Add(d, {"block", "word", "bingo hall", "--site", kSite});
    auto blocked = CheckUntil(d, form, "lists.block_word");
    REQUIRE(blocked);
    CHECK(Reasons(blocked).find("lists.block_word") != std::string::npos);
    CHECK(blocked->body == "true");

    // Another site's entry does not apply to this key's site.
    REQUIRE(
        d.Hamlet({"lists", "remove", "block", "word", "bingo hall", "--site", kSite}).exit_code ==
        0);
    Add(d, {"block", "word", "bingo hall", "--site", "https://other.example/"});
    auto cleared = CheckUntil(d, form, "lists.block_word", /*present=*/false);
    REQUIRE(cleared);
    CHECK(Reasons(cleared).find("lists.block_word") == std::string::npos);
  }

  TEST_CASE("the block.txt of --data-dir applies, and an edit of it is picked up") {
    TempDir data;
    std::filesystem::create_directories(data.File("lists"));
    const std::string block = data.File("lists/block.txt");
    {
      std::ofstream out(block);
      out << "# local rules\nurl_domain cheap-pills.example\nword not an entry ok\n";
    }
    HamletdProcess::Options options;
    options.extra_args = {"--data-dir", data.path()};
    HamletdProcess d(options);
    auto r = CommentCheck(d, {{"comment_content", "see https://cheap-pills.example/now"}});
    REQUIRE(r);
    CHECK(Reasons(r).find("lists.block_url_domain") != std::string::npos);
    // This data dir has no disposable list: that check says nothing, nothing breaks.
    CHECK(Reasons(CommentCheck(d, {{"comment_author_email", "a@mailinator.com"}}))
              .find("author.disposable_email") == std::string::npos);

    {
      std::ofstream out(block, std::ios::app);
      out << "word casino night\nip 999.0.0.1\n";
    }
    auto edited = CheckUntil(d, {{"comment_content", "Casino night tonight"}}, "lists.block_word");
    CHECK(Reasons(edited).find("lists.block_word") != std::string::npos);
    // SIGHUP re-reads the lists too, and says what it skipped.
    REQUIRE(::kill(d.pid(), SIGHUP) == 0);
    std::string log;
    for (int i = 0; i < 50 && log.find("SIGHUP: list entry skipped") == std::string::npos; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      log = d.Log();
    }
    CHECK(log.find("SIGHUP: list entry skipped: block.txt line 5") != std::string::npos);
    CHECK(log.find("start: lists from") != std::string::npos);
  }
}

}  // namespace hamlet::testing

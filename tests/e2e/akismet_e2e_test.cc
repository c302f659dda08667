// The Akismet 1.1 wire protocol against the real hamletd: every endpoint, every error answer,
// and the stored rows checked through `hamlet show --json`; on both store backends (the locked
// database: SQLite only).
#include <doctest/doctest.h>
#include <httplib.h>
#include <sqlite3.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "support/e2e_backends.h"
#include "support/hamletd_process.h"

namespace hamlet::testing {
namespace {

using nlohmann::json;

constexpr const char* kForm = "application/x-www-form-urlencoded";
const std::string kBlog = "blog=http%3A%2F%2Fexample.test%2F";

httplib::Result Post(const HamletdProcess& d, const std::string& path, const std::string& body,
                     httplib::Headers headers = {}, const char* content_type = kForm) {
  httplib::Client c(d.host(), d.port());
  c.set_read_timeout(std::chrono::seconds(10));
  return c.Post(path.c_str(), headers, body, content_type);
}

std::string Help(const httplib::Result& r) { return r->get_header_value("X-akismet-debug-help"); }

json Show(const HamletdProcess& d, const std::string& id) {
  const std::string text = d.ShowJson(id);
  REQUIRE_MESSAGE(!text.empty(), "hamlet show " << id << " failed");
  return json::parse(text);
}

bool HasField(const json& decision, const std::string& name, const std::string& value) {
  for (const auto& f : decision["fields"]) {
    if (f[0] == name && f[1] == value) return true;
  }
  return false;
}

bool HasFieldNamed(const json& decision, const std::string& name) {
  for (const auto& f : decision["fields"]) {
    if (f[0] == name) return true;
  }
  return false;
}

}  // namespace

TEST_SUITE("e2e/akismet") {
  TEST_CASE_TEMPLATE(
      "verify-key answers valid for key= and api_key=, invalid with debug-help otherwise", Backend,
      SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    auto r = Post(d, "/1.1/verify-key", "key=" + d.key() + "&" + kBlog);
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->body == "valid");
    CHECK_FALSE(r->has_header("X-akismet-debug-help"));

    r = Post(d, "/1.1/verify-key", "api_key=" + d.key() + "&" + kBlog);
    CHECK(r->body == "valid");

    // WordPress sends its stored api_key along; the `key` being verified wins.
    r = Post(d, "/1.1/verify-key", "api_key=" + d.key() + "&key=000000000000&" + kBlog);
    CHECK(r->body == "invalid");

    r = Post(d, "/1.1/verify-key", "key=000000000000&" + kBlog);
    CHECK(r->status == 200);
    CHECK(r->body == "invalid");
    CHECK_FALSE(Help(r).empty());

    r = Post(d, "/1.1/verify-key", "key=&" + kBlog);
    CHECK(r->body == "invalid");
    CHECK(Help(r) == "Empty \"key\" value");

    r = Post(d, "/1.1/verify-key", "key=" + d.key());
    CHECK(r->body == "invalid");
    CHECK(Help(r) == "We were unable to parse your blog URI");

    r = Post(d, "/1.1/verify-key", "key=" + d.key() + "&blog=example.test");
    CHECK(Help(r) == "We were unable to parse your blog URI");
  }

  TEST_CASE_TEMPLATE(
      "comment-check: test hook gives true with a guid, and the row is stored in full", Backend,
      SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    auto r = Post(d, "/1.1/comment-check",
                  "api_key=" + d.key() + "&" + kBlog +
                      "&user_ip=203.0.113.7&user_agent=Mozilla%2F5.0&comment_type=comment"
                      "&comment_author=viagra-test-123&comment_content=hello&is_test=1"
                      "&referrer=&POST_ak_js=1712&comment_context%5B0%5D=cooking");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->body == "true");
    CHECK(r->get_header_value("Content-Type").starts_with("text/plain"));
    CHECK_FALSE(r->has_header("X-akismet-debug-help"));
    const std::string guid = r->get_header_value("X-akismet-guid");
    CHECK(std::regex_match(guid, std::regex("[0-9a-f]{32}")));

    const json row = Show(d, guid);
    CHECK(row["channel"] == "akismet");
    CHECK(row["is_test"] == true);
    CHECK(row["site"] == "http://example.test/");
    CHECK(row["verdict"] != "ham");
    CHECK(HasField(row, "comment_author", "viagra-test-123"));
    CHECK(HasField(row, "POST_ak_js", "1712"));               // unknown fields are kept
    CHECK(HasField(row, "comment_context", "cooking"));       // spelling normalized
    CHECK_FALSE(HasFieldNamed(row, "referrer"));               // empty means absent
    CHECK_FALSE(HasFieldNamed(row, "api_key"));                // the key is never stored
  }

  TEST_CASE_TEMPLATE("comment-check takes the key from the Host label, and ignores non-key labels",
                     Backend, SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    const std::string body = kBlog + "&user_ip=203.0.113.7&user_role=administrator"
                                     "&comment_content=hello";
    // Legacy form (Net::Akismet, akismet-api): KEY.<service host>, no key field.
    auto r = Post(d, "/1.1/comment-check", body,
                  {{"Host", d.key() + ".rest.akismet.com:" + std::to_string(d.port())}});
    REQUIRE(r);
    CHECK(r->body == "false");  // user_role=administrator is always ham
    CHECK(r->has_header("X-akismet-guid"));
    CHECK_FALSE(r->has_header("X-akismet-pro-tip"));

    // WordPress: Host: rest.akismet.com plus api_key in the body.
    r = Post(d, "/1.1/comment-check", "api_key=" + d.key() + "&" + body,
             {{"Host", "rest.akismet.com"}});
    CHECK(r->body == "false");

    // A first label that is not a key, or an IP-literal host, gives no key.
    for (const char* host : {"test-key.localhost", "127.0.0.1"}) {
      r = Post(d, "/1.1/comment-check", body, {{"Host", host}});
      CHECK(r->body == "invalid");
      CHECK(Help(r) == "Empty \"api_key\" value");
    }
  }

  TEST_CASE_TEMPLATE(
      "comment-check refuses incomplete or unauthenticated requests with 200 invalid", Backend,
      SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    const std::string key = "api_key=" + d.key();
    auto r = Post(d, "/1.1/comment-check", key + "&user_ip=203.0.113.7&comment_content=x");
    CHECK(r->status == 200);
    CHECK(r->body == "invalid");
    CHECK(Help(r) == "We were unable to parse your blog URI");

    r = Post(d, "/1.1/comment-check", key + "&" + kBlog + "&comment_content=x");
    CHECK(r->body == "invalid");
    CHECK(Help(r).find("user_ip") != std::string::npos);

    r = Post(d, "/1.1/comment-check", "api_key=0123456789ab&" + kBlog + "&user_ip=1.2.3.4");
    CHECK(r->body == "invalid");
    CHECK_FALSE(Help(r).empty());
    CHECK_FALSE(r->has_header("X-akismet-guid"));

    const CommandResult revoked = d.Hamlet({"keys", "revoke", d.key()});
    REQUIRE_MESSAGE(revoked.exit_code == 0, revoked.err);
    r = Post(d, "/1.1/comment-check", key + "&" + kBlog + "&user_ip=1.2.3.4&comment_content=x");
    CHECK(r->body == "invalid");
    r = Post(d, "/1.1/verify-key", "key=" + d.key() + "&" + kBlog);
    CHECK(r->body == "invalid");
  }

  TEST_CASE_TEMPLATE("pro-tip discard appears exactly when the stored verdict is discard", Backend,
                     SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    const std::string base = "api_key=" + d.key() + "&" + kBlog + "&user_ip=203.0.113.7";
    const char* comments[] = {
        "comment_author=viagra-test-123&comment_content=hi",
        "comment_content=BUY+CHEAP+VIAGRA+CIALIS+PILLS+ONLINE+NOW+best+price+casino+bonus+"
        "click+here+http%3A%2F%2Fcheap-pills.example%2F+http%3A%2F%2Fcasino.example%2F+"
        "http%3A%2F%2Fwin-bitcoin.example%2F",
        "comment_content=Thanks%2C+the+second+paragraph+answered+my+question.",
    };
    for (const char* fields : comments) {
      CAPTURE(fields);
      auto r = Post(d, "/1.1/comment-check", base + "&" + fields);
      REQUIRE(r);
      REQUIRE(r->status == 200);
      const json row = Show(d, r->get_header_value("X-akismet-guid"));
      const std::string verdict = row["verdict"];
      CHECK(r->body == (verdict == "ham" ? "false" : "true"));
      CHECK(r->has_header("X-akismet-pro-tip") == (verdict == "discard"));
      if (verdict == "discard") CHECK(r->get_header_value("X-akismet-pro-tip") == "discard");
      CHECK_FALSE(r->has_header("X-akismet-debug-help"));
    }
  }

  TEST_CASE_TEMPLATE(
      "submit-spam and submit-ham answer Thanks and are linked to the original check", Backend,
      SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    const std::string fields = "api_key=" + d.key() + "&" + kBlog +
                               "&user_ip=203.0.113.9&comment_author=Jane"
                               "&comment_content=Lovely+photos+of+the+old+bridge";
    auto r = Post(d, "/1.1/comment-check", fields);
    REQUIRE(r);
    const std::string guid = r->get_header_value("X-akismet-guid");
    REQUIRE(guid.size() == 32);

    r = Post(d, "/1.1/submit-spam", fields + "&reporter=mod1");
    CHECK(r->status == 200);
    CHECK(r->body == "Thanks for making the web a better place.");
    r = Post(d, "/1.1/submit-ham", fields);
    CHECK(r->body == "Thanks for making the web a better place.");

    const json row = Show(d, guid);
    REQUIRE(row["history"].size() == 2);
    CHECK(row["history"][0]["label"] == "spam");
    CHECK(row["history"][0]["source"] == "akismet");
    CHECK(row["history"][0]["decision_id"] == guid);
    CHECK(row["history"][1]["label"] == "ham");

    // A report nothing matches is still thanked (and stored unlinked).
    r = Post(d, "/1.1/submit-spam",
             "api_key=" + d.key() + "&" + kBlog + "&user_ip=198.51.100.1&comment_content=other");
    CHECK(r->body == "Thanks for making the web a better place.");
    // Submits need a key and a blog like every call.
    r = Post(d, "/1.1/submit-ham", kBlog + "&user_ip=1.2.3.4");
    CHECK(r->body == "invalid");
    CHECK(Help(r) == "Empty \"api_key\" value");
  }

  TEST_CASE_TEMPLATE("bodies are form data whatever the Content-Type says", Backend, SqliteBackend,
                     PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    const std::string body = "api_key=" + d.key() + "&" + kBlog +
                             "&user_ip=1.2.3.4&user_role=administrator&comment_content=a+b";
    for (const char* type : {"charset=utf-8", "text/plain", "application/json",
                             "application/x-www-form-urlencoded; charset=ISO-8859-1"}) {
      CAPTURE(type);
      auto r = Post(d, "/1.1/comment-check", body, {}, type);
      REQUIRE(r);
      CHECK(r->body == "false");
    }
    // No Content-Type at all, and WordPress's bare names without '='.
    const std::string raw_body = body + "&comment_author_url&ak_hp_textarea";
    const std::string raw = RawHttp(
        d.host(), d.port(),
        "POST /1.1/comment-check HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: " +
            std::to_string(raw_body.size()) + "\r\n\r\n" + raw_body);
    CHECK(raw.starts_with("HTTP/1.1 200"));
    CHECK(raw.ends_with("\r\n\r\nfalse"));
  }

  TEST_CASE_TEMPLATE("transport faults: malformed percent-encoding is 400, an oversized body 413",
                     Backend, SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    const std::string big(70 * 1024, 'a');
    for (const char* path :
         {"/1.1/verify-key", "/1.1/comment-check", "/1.1/submit-spam", "/1.1/submit-ham"}) {
      CAPTURE(path);
      auto r = Post(d, path, "api_key=" + d.key() + "&" + kBlog + "&comment_content=100%+sure");
      REQUIRE(r);
      CHECK(r->status == 400);
      CHECK(r->body == "invalid");
      CHECK(Help(r).find("percent-encoding") != std::string::npos);

      r = Post(d, path, "api_key=" + d.key() + "&comment_content=" + big);
      REQUIRE(r);
      CHECK(r->status == 413);
      CHECK(r->body == "invalid");
    }
    // Between httplib's 8 KiB form limit and ours: accepted.
    auto r = Post(d, "/1.1/comment-check",
                  "api_key=" + d.key() + "&" + kBlog + "&user_ip=1.2.3.4&user_role=administrator"
                  "&comment_content=" + std::string(20 * 1024, 'b'));
    CHECK(r->status == 200);
    CHECK(r->body == "false");
  }

  TEST_CASE_TEMPLATE("invalid UTF-8 and Latin-1 fields are stored as valid UTF-8", Backend,
                     SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    const std::string base = "api_key=" + d.key() + "&" + kBlog + "&user_ip=1.2.3.4";
    auto r = Post(d, "/1.1/comment-check",
                  base + "&comment_author=%C0%AF%FF&comment_content=bad+%ED%A0%80+bytes%00end"
                         "&x%FF=1");
    REQUIRE(r);
    REQUIRE(r->status == 200);
    json row = Show(d, r->get_header_value("X-akismet-guid"));
    CHECK(HasField(row, "comment_author", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"));
    CHECK(HasField(row, "comment_content",
                   "bad \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD bytes\xEF\xBF\xBD" "end"));
    CHECK(HasField(row, "x\xEF\xBF\xBD", "1"));

    r = Post(d, "/1.1/comment-check", base + "&blog_charset=ISO-8859-1&comment_content=caf%E9");
    row = Show(d, r->get_header_value("X-akismet-guid"));
    CHECK(HasField(row, "comment_content", "caf\xC3\xA9"));
  }

  TEST_CASE_TEMPLATE("an absolute-form target carries the key in its authority", Backend,
                     SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    const std::string body = kBlog + "&user_ip=1.2.3.4&user_role=administrator&comment_content=x";
    const std::string raw =
        RawHttp(d.host(), d.port(),
                "POST http://" + d.key() + ".rest.akismet.com/1.1/comment-check HTTP/1.1\r\n"
                "Host: rest.akismet.com\r\nConnection: close\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
                    std::to_string(body.size()) + "\r\n\r\n" + body);
    CHECK(raw.starts_with("HTTP/1.1 200"));
    CHECK(raw.find("X-akismet-guid: ") != std::string::npos);
    CHECK(raw.ends_with("\r\n\r\nfalse"));
  }

  TEST_CASE_TEMPLATE("a POST without Content-Length has an empty body and is answered at once",
                     Backend, SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    const auto start = std::chrono::steady_clock::now();
    const std::string raw = RawHttp(d.host(), d.port(),
                                    "POST /1.1/comment-check HTTP/1.1\r\nHost: x\r\n"
                                    "Connection: close\r\n\r\n",
                                    4000);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
    CHECK(raw.starts_with("HTTP/1.1 200"));
    CHECK(raw.find("Empty \"api_key\" value") != std::string::npos);
  }

  TEST_CASE("a locked database answers 503 unavailable, never a verdict") {
    HamletdProcess d;
    // Fault injection: another writer holds the database's write lock past hamletd's busy
    // timeout. The store API has no way to hold a lock, so this uses SQLite directly; rows
    // are still only read through `hamlet show`.
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(d.db_path().c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "PRAGMA busy_timeout=5000; BEGIN EXCLUSIVE;", nullptr, nullptr,
                         nullptr) == SQLITE_OK);
    auto r = Post(d, "/1.1/comment-check",
                  "api_key=" + d.key() + "&" + kBlog + "&user_ip=1.2.3.4&comment_content=x");
    sqlite3_exec(db, "ROLLBACK;", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    REQUIRE(r);
    CHECK(r->status == 503);
    CHECK(r->body == "unavailable");
    CHECK(r->has_header("Retry-After"));
    CHECK_FALSE(r->has_header("X-akismet-guid"));
    CHECK(Help(r).find(r->get_header_value("X-Request-Id")) != std::string::npos);
    // Once the lock is gone, the same request is answered normally.
    r = Post(d, "/1.1/comment-check",
             "api_key=" + d.key() + "&" + kBlog + "&user_ip=1.2.3.4&comment_content=x");
    CHECK(r->status == 200);
  }
}

}  // namespace hamlet::testing

// Bad input through HTTP against the real hamletd: missing fields, empty bodies, wrong
// content types, a 10 MB body, invalid UTF-8, NUL bytes, 100k fields, malformed
// percent-encoding, header floods and slow clients. Each gets a clear answer: Akismet's
// `invalid` (200 + X-akismet-debug-help) where the protocol defines one, else a 4xx; nothing
// wrong is stored, and hamletd keeps answering everyone else. Each case runs on both store
// backends.
#include <doctest/doctest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "support/e2e_backends.h"
#include "support/e2e_http.h"
#include "support/hamletd_process.h"
#include "support/raw_connection.h"

namespace hamlet::testing {
namespace {

using nlohmann::json;

constexpr const char* kForm = kFormContentType;
const std::string kBlog = "blog=http%3A%2F%2Fexample.test%2F";

httplib::Result Post(const HamletdProcess& d, const std::string& path, const std::string& body,
                     const std::string& content_type = kForm,
                     const httplib::Headers& headers = {}) {
  return PostTo(d, path, body, content_type, headers);
}

std::string Help(const httplib::Result& r) { return r->get_header_value("X-akismet-debug-help"); }

std::string ErrorCode(const httplib::Result& r) {
  return json::parse(r->body)["error"]["code"].get<std::string>();
}

// The stored value of field `name` in `hamlet show --json` output.
std::string StoredField(const HamletdProcess& d, const std::string& id, const std::string& name) {
  const std::string text = d.ShowJson(id);
  REQUIRE_MESSAGE(!text.empty(), "hamlet show " << id << " failed");
  const json decision = json::parse(text);
  for (const auto& f : decision["fields"]) {
    if (f[0] == name) return f[1];
  }
  return "";
}

// hamletd still answers a normal check at once.
void CheckStillServing(const HamletdProcess& d) {
  httplib::Client c(d.host(), d.port());
  c.set_read_timeout(std::chrono::seconds(3));
  auto r =
      c.Post("/1.1/comment-check",
             "api_key=" + d.key() + "&" + kBlog + "&user_ip=192.0.2.1&comment_content=fine", kForm);
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK((r->body == "true" || r->body == "false"));
}

// Sends `head` + `body_bytes` of 'a' from another thread (ignoring a reset), reads the answer.
RawResponse SendHuge(const HamletdProcess& d, const std::string& head, size_t body_bytes) {
  RawConnection conn(d.host(), d.port());
  REQUIRE(conn.connected());
  std::thread sender([&] {
    const std::string chunk(64 * 1024, 'a');
    if (!conn.Send(head)) return;
    for (size_t sent = 0; sent < body_bytes; sent += chunk.size()) {
      if (!conn.Send(chunk.substr(0, std::min(chunk.size(), body_bytes - sent)))) return;
    }
  });
  const RawResponse r = ParseRawResponse(conn.ReadResponse(10000));
  sender.join();
  return r;
}

}  // namespace

TEST_SUITE("e2e/bad_input") {
  TEST_CASE_TEMPLATE("missing fields: Akismet answers invalid with a reason, /v1 a 400", Backend,
                     SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    const std::string key = "api_key=" + d.key();
    struct Case {
      std::string body;
      std::string help;
    };
    for (const Case& c : {Case{kBlog + "&user_ip=1.2.3.4&comment_content=x", "Empty \"api_key\""},
                          Case{key + "&user_ip=1.2.3.4&comment_content=x", "blog URI"},
                          Case{key + "&" + kBlog + "&comment_content=x", "user_ip"}}) {
      CAPTURE(c.body);
      auto r = Post(d, "/1.1/comment-check", c.body);
      REQUIRE(r);
      CHECK(r->status == 200);
      CHECK(r->body == "invalid");
      CHECK(Help(r).find(c.help) != std::string::npos);
      CHECK_FALSE(r->has_header("X-akismet-guid"));
    }
    auto v1 = Post(d, "/v1/check", R"({"user_ip": "1.2.3.4"})", "application/json",
                   {{"Authorization", "Bearer " + d.key()}});
    REQUIRE(v1);
    CHECK(v1->status == 400);
    CHECK(json::parse(v1->body)["error"]["message"] == "\"comment_content\" is required");
    auto fb = Post(d, "/v1/feedback", R"({"id": "x"})", "application/json",
                   {{"Authorization", "Bearer " + d.key()}});
    REQUIRE(fb);
    CHECK(fb->status == 400);
    CHECK(StoredDecisions(d) == 0);
  }

  TEST_CASE_TEMPLATE("an empty body: invalid on the Akismet calls, 400 malformed JSON on /v1",
                     Backend, SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    for (const char* path : {"/1.1/verify-key", "/1.1/comment-check", "/1.1/submit-spam"}) {
      CAPTURE(path);
      auto r = Post(d, path, "");
      REQUIRE(r);
      CHECK(r->status == 200);
      CHECK(r->body == "invalid");
      CHECK_FALSE(Help(r).empty());
    }
    for (const char* path : {"/v1/check", "/v1/feedback"}) {
      CAPTURE(path);
      auto r = Post(d, path, "", "application/json", {{"Authorization", "Bearer " + d.key()}});
      REQUIRE(r);
      CHECK(r->status == 400);
      CHECK(ErrorCode(r) == "invalid_argument");
      CHECK(json::parse(r->body)["error"]["message"].get<std::string>().starts_with(
          "malformed JSON"));
    }
    CHECK(StoredDecisions(d) == 0);
  }

  TEST_CASE_TEMPLATE(
      "a wrong content type: Akismet bodies are forms anyway, /v1 refuses non-JSON with 415",
      Backend, SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    auto akismet = Post(d, "/1.1/comment-check",
                        "api_key=" + d.key() + "&" + kBlog +
                            "&user_ip=1.2.3.4&user_role=administrator&comment_content=x",
                        "text/plain");
    REQUIRE(akismet);
    CHECK(akismet->body == "false");
    const std::string json_body = R"({"comment_content": "hello there"})";
    const httplib::Headers auth = {{"Authorization", "Bearer " + d.key()}};
    for (const std::string type : {kForm, "text/plain", "multipart/form-data; boundary=x"}) {
      CAPTURE(type);
      auto r = Post(d, "/v1/check", json_body, type, auth);
      REQUIRE(r);
      CHECK(r->status == 415);
      CHECK(ErrorCode(r) == "unsupported_media_type");
    }
    // A multipart body is not read at all, on the Akismet endpoints either.
    auto multipart = Post(d, "/1.1/comment-check",
                          "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--x--\r\n",
                          "multipart/form-data; boundary=x");
    REQUIRE(multipart);
    CHECK(multipart->status == 415);
    CHECK(multipart->body == "invalid");
    CHECK(Help(multipart).find("application/x-www-form-urlencoded") != std::string::npos);
    for (const std::string type :
         {"application/json; charset=utf-8", "Application/JSON", "application/vnd.api+json"}) {
      CAPTURE(type);
      auto r = Post(d, "/v1/check", json_body, type, auth);
      REQUIRE(r);
      CHECK(r->status == 200);
    }
  }

  // Found by fuzz_json: the codec let nlohmann's out_of_range through, answered 500.
  TEST_CASE_TEMPLATE("a JSON number beyond a double is a 400, not a server error", Backend,
                     SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    auto r = Post(d, "/v1/check", R"({"comment_content": "x", "n": 1e999})", "application/json",
                  {{"Authorization", "Bearer " + d.key()}});
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(ErrorCode(r) == "invalid_argument");
    CHECK(d.Log().find("unhandled exception") == std::string::npos);
  }

  TEST_CASE_TEMPLATE("a 10 MB body is refused with 413 without reading it all, on every endpoint",
                     Backend, SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    constexpr size_t kTenMegabytes = 10 << 20;
    for (const char* path : {"/1.1/comment-check", "/v1/check"}) {
      CAPTURE(path);
      const RawResponse r =
          SendHuge(d,
                   std::string("POST ") + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: " +
                       (std::string(path).starts_with("/v1") ? "application/json" : kForm) +
                       "\r\nContent-Length: " + std::to_string(kTenMegabytes) + "\r\n\r\n",
                   kTenMegabytes);
      CHECK(r.status == 413);
      CHECK(r.Header("Connection") == "close");
      if (std::string(path).starts_with("/1.1")) {
        CHECK(r.body == "invalid");
        CHECK(r.Header("X-akismet-debug-help").find("too large") != std::string::npos);
      } else {
        CHECK(r.body.find(R"("code":"invalid_argument")") != std::string::npos);
      }
    }
    // The same in chunks (no Content-Length to refuse up front).
    const RawResponse chunked = SendHuge(d,
                                         "POST /1.1/comment-check HTTP/1.1\r\nHost: x\r\n"
                                         "Transfer-Encoding: chunked\r\n\r\n100000\r\n",
                                         kTenMegabytes);
    CHECK(chunked.status == 413);
    CHECK(StoredDecisions(d) == 0);
    CheckStillServing(d);
  }

  TEST_CASE_TEMPLATE(
      "invalid UTF-8 and NUL bytes: repaired in forms, refused in JSON, refused in headers",
      Backend, SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    const std::string base = "api_key=" + d.key() + "&" + kBlog + "&user_ip=1.2.3.4";
    // Raw (not percent-encoded) invalid bytes and a NUL in a form body.
    auto form =
        Post(d, "/1.1/comment-check",
             base + "&comment_content=raw\xff\xfe bytes and a " + std::string(1, '\0') + " NUL");
    REQUIRE(form);
    CHECK(form->status == 200);
    CHECK(StoredField(d, form->get_header_value("X-akismet-guid"), "comment_content") ==
          "raw\xEF\xBF\xBD\xEF\xBF\xBD bytes and a \xEF\xBF\xBD NUL");

    const httplib::Headers auth = {{"Authorization", "Bearer " + d.key()}};
    auto bad_utf8 = Post(d, "/v1/check", "{\"comment_content\": \"bad \xc3\x28 byte\"}",
                         "application/json", auth);
    REQUIRE(bad_utf8);
    CHECK(bad_utf8->status == 400);
    CHECK(ErrorCode(bad_utf8) == "invalid_argument");
    auto raw_nul = Post(d, "/v1/check", std::string("{\"comment_content\": \"a") + '\0' + "b\"}",
                        "application/json", auth);
    REQUIRE(raw_nul);
    CHECK(raw_nul->status == 400);
    // An escaped NUL is valid JSON: stored as U+FFFD like everywhere else.
    auto escaped_nul =
        Post(d, "/v1/check", R"({"comment_content": "a\u0000b"})", "application/json", auth);
    REQUIRE(escaped_nul);
    CHECK(escaped_nul->status == 200);
    CHECK(StoredField(d, json::parse(escaped_nul->body)["id"], "comment_content") ==
          "a\xEF\xBF\xBD"
          "b");

    RawConnection header_nul(d.host(), d.port());
    REQUIRE(header_nul.Send(std::string("GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a") + '\0' +
                            "b\r\n\r\n"));
    const RawResponse r = ParseRawResponse(header_nul.ReadResponse());
    CHECK(r.status == 400);
    CHECK(r.body.find("NUL") != std::string::npos);
    CheckStillServing(d);
  }

  TEST_CASE_TEMPLATE("100k fields: 413 over the body limit, 400 over the field limit below it",
                     Backend, SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    options.extra_args = {"--max-body-bytes", "4194304"};
    HamletdProcess d(options);
    std::string many;
    for (int i = 0; i < 100000; ++i) many += "f=1&";
    const std::string base = "api_key=" + d.key() + "&" + kBlog + "&user_ip=1.2.3.4&";
    auto r = Post(d, "/1.1/comment-check", base + many + "comment_content=x");
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(r->body == "invalid");
    CHECK(Help(r).find("too many form fields") != std::string::npos);

    json doc = {{"comment_content", "x"}};
    for (int i = 0; i < 100000; ++i) {
      std::string name = "f";
      name += std::to_string(i);  // (not "f" + ...: GCC 12 warns falsely about that)
      doc[name] = "1";
    }
    auto v1 = Post(d, "/v1/check", doc.dump(), "application/json",
                   {{"Authorization", "Bearer " + d.key()}});
    REQUIRE(v1);
    CHECK(v1->status == 400);
    CHECK(json::parse(v1->body)["error"]["message"].get<std::string>().find("too many fields") !=
          std::string::npos);
    CHECK(StoredDecisions(d) == 0);

    // The default body limit (64 KiB) refuses it before parsing.
    HAMLET_E2E_OPTIONS(small_options, Backend);
    HamletdProcess small(small_options);
    auto over = Post(small, "/1.1/comment-check", base + many);
    REQUIRE(over);
    CHECK(over->status == 413);
    CHECK(over->body == "invalid");
  }

  TEST_CASE_TEMPLATE("malformed percent-encoding: 400 in a body, a key that is not one in a query",
                     Backend, SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    for (const std::string& body :
         {"api_key=" + d.key() + "&comment_content=%zz",
          "api_key=" + d.key() + "&comment_content=50%", "api_key=" + d.key() + "&%=x"}) {
      CAPTURE(body);
      auto r = Post(d, "/1.1/comment-check", body);
      REQUIRE(r);
      CHECK(r->status == 400);
      CHECK(r->body == "invalid");
      CHECK(Help(r).find("malformed percent-encoding") != std::string::npos);
    }
    httplib::Client c(d.host(), d.port());
    auto q = c.Get("/1.2/usage-limit?api_key=%zz%");
    REQUIRE(q);
    CHECK(q->status == 200);
    CHECK(q->body == "invalid");
    CHECK(StoredDecisions(d) == 0);
  }

  TEST_CASE_TEMPLATE("header floods: too many lines, one huge line, an endless stream, each 431",
                     Backend, SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    std::string many = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; i < 200; ++i) many += "X-H" + std::to_string(i) + ": v\r\n";
    RawConnection a(d.host(), d.port());
    REQUIRE(a.Send(many + "\r\n"));
    RawResponse r = ParseRawResponse(a.ReadResponse());
    CHECK(r.status == 431);
    CHECK(r.body.find("too many header lines") != std::string::npos);

    RawConnection b(d.host(), d.port());
    REQUIRE(b.Send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(40000, 'a') +
                   "\r\n\r\n"));
    CHECK(ParseRawResponse(b.ReadResponse()).status == 431);

    // 100k header lines (1.4 MB) are never held: refused once the head passes 32 KiB.
    std::string flood = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; i < 100000; ++i) flood += "X-Flood: yes\r\n";
    RawConnection c(d.host(), d.port());
    std::thread sender([&] { c.Send(flood); });
    r = ParseRawResponse(c.ReadResponse());
    sender.join();
    CHECK(r.status == 431);
    CheckStillServing(d);
    CHECK(MetricValue(d, "hamlet_http_request_heads_too_large_total") == 2);
  }

  TEST_CASE_TEMPLATE("slow clients trickling headers do not starve a normal client, and time out",
                     Backend, SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    // Few workers, a short head timeout, room for all the slow connections from one address.
    options.extra_args = {"--threads", "4", "--head-timeout", "3", "--max-connections-per-ip",
                          "500"};
    HamletdProcess d(options);
    constexpr int kSlow = 150;
    std::vector<std::unique_ptr<RawConnection>> slow;
    for (int i = 0; i < kSlow; ++i) {
      // From 127.0.0.2: another client address than the normal client's 127.0.0.1.
      auto conn = std::make_unique<RawConnection>(d.host(), d.port(), "127.0.0.2");
      REQUIRE(conn->connected());
      REQUIRE(conn->Send("POST /1.1/comment-check HTTP/1.1\r\nHost: x\r\n"));
      slow.push_back(std::move(conn));
    }
    std::atomic<bool> trickling{true};
    std::thread trickler([&] {
      while (trickling.load()) {
        for (auto& conn : slow) conn->Send("X-Slow: 1\r\n");
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
      }
    });
    // Meanwhile a normal client's checks are each answered within its 2 s read timeout,
    // although 150 connections are open with 4 workers.
    for (int i = 0; i < 20; ++i) {
      httplib::Client c(d.host(), d.port());
      c.set_read_timeout(std::chrono::seconds(2));
      c.set_connection_timeout(std::chrono::seconds(2));
      auto r = c.Post("/1.1/comment-check",
                      "api_key=" + d.key() + "&" + kBlog + "&user_ip=192.0.2.9&comment_content=n" +
                          std::to_string(i),
                      kForm);
      REQUIRE(r);
      CHECK(r->status == 200);
    }
    trickling = false;
    trickler.join();
    // None of the slow heads completed: each is answered 408 once its time is up.
    int timed_out = 0;
    for (auto& conn : slow) {
      if (ParseRawResponse(conn->ReadToEnd(6000)).status == 408) ++timed_out;
    }
    CHECK(timed_out == kSlow);
    CHECK(MetricValue(d, "hamlet_http_request_head_timeouts_total") == kSlow);
  }

  TEST_CASE_TEMPLATE(
      "one address opening more connections than its cap gets 429, others are served", Backend,
      SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    options.extra_args = {"--max-connections-per-ip", "20"};
    HamletdProcess d(options);
    std::vector<std::unique_ptr<RawConnection>> held;
    for (int i = 0; i < 20; ++i) {
      held.push_back(std::make_unique<RawConnection>(d.host(), d.port(), "127.0.0.3"));
      REQUIRE(held.back()->connected());
    }
    // The pool's workers take up accepted connections in any order: wait until all 20 are
    // counted (plus the scrape's own), so the next one is the one over the cap.
    for (int i = 0; i < 500 && MetricValue(d, "hamlet_http_connections_open") < 21; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    REQUIRE(MetricValue(d, "hamlet_http_connections_open") >= 21);
    RawConnection over(d.host(), d.port(), "127.0.0.3");
    REQUIRE(over.connected());
    const RawResponse r = ParseRawResponse(over.ReadToEnd(3000));
    CHECK(r.status == 429);
    CHECK(r.body.find("too many connections from your address") != std::string::npos);
    CheckStillServing(d);
  }
}

}  // namespace hamlet::testing

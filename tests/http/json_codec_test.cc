// The /v1 JSON codec: decoding, its errors, and the answer shapes.
#include "http/json_codec.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "http/http_status.h"

namespace hamlet::http {

TEST_SUITE("http/json_codec") {
  TEST_CASE("decodes Akismet field names from a JSON object") {
    auto r = DecodeV1Check(R"({"api_key":"abcdef123456","user_ip":"203.0.113.7",
        "comment_content":"hello","is_test":true,"comment_context":["a","b"],"ak_js":1712,
        "user_role":null})");
    REQUIRE(r.has_value());
    CHECK(r->api_key == "abcdef123456");
    CHECK(r->comment.user_ip == "203.0.113.7");
    CHECK(r->comment.comment_content == "hello");
    CHECK(r->comment.is_test);
    CHECK(r->comment.Field("ak_js") == "1712");
    CHECK(r->comment.Field("api_key").empty());
    int contexts = 0;
    for (const auto& f : r->comment.fields) contexts += f.first == "comment_context";
    CHECK(contexts == 2);
  }

  TEST_CASE("passes the native honeypot and form_rendered_at fields into the comment") {
    struct Row {
      const char* body;
      const char* honeypot;          // Field("honeypot")
      const char* form_rendered_at;  // Field("form_rendered_at")
    };
    const Row rows[] = {
        {R"({"comment_content":"x","honeypot":"filled by a bot","form_rendered_at":1714557296})",
         "filled by a bot", "1714557296"},
        {R"({"comment_content":"x","honeypot":true,"form_rendered_at":1714557296250})", "true",
         "1714557296250"},
        {R"({"comment_content":"x","honeypot":false,"form_rendered_at":1714557296.5})", "",
         "1714557296.5"},
        {R"({"comment_content":"x","honeypot":"","form_rendered_at":"2024-05-01T09:54:56Z"})", "",
         "2024-05-01T09:54:56Z"},
        {R"({"comment_content":"x","honeypot":0,"form_rendered_at":null})", "0", ""},
        {R"({"comment_content":"x"})", "", ""},
    };
    for (const Row& row : rows) {
      CAPTURE(row.body);
      auto r = DecodeV1Check(row.body);
      REQUIRE(r.has_value());
      CHECK(r->comment.Field("honeypot") == row.honeypot);
      CHECK(r->comment.Field("form_rendered_at") == row.form_rendered_at);
    }
  }

  TEST_CASE("a form_rendered_at that is not a time or a honeypot of the wrong type is refused") {
    const char* bodies[] = {
        R"({"comment_content":"x","form_rendered_at":"yesterday"})",
        R"({"comment_content":"x","form_rendered_at":"2024-05-01T09:54:56"})",
        R"({"comment_content":"x","form_rendered_at":-5})",
        R"({"comment_content":"x","form_rendered_at":true})",
        R"({"comment_content":"x","form_rendered_at":[1]})",
        R"({"comment_content":"x","honeypot":["a"]})",
    };
    for (const char* body : bodies) {
      CAPTURE(body);
      auto r = DecodeV1Check(body);
      REQUIRE_FALSE(r.has_value());
      CHECK(r.error().code() == core::StatusCode::kInvalidArgument);
      const bool names_field = r.error().message().find("form_rendered_at") != std::string::npos ||
                               r.error().message().find("honeypot") != std::string::npos;
      CHECK(names_field);
    }
    auto r = DecodeV1Check(R"({"comment_content":"x","form_rendered_at":"soon"})");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message().find("RFC 3339") != std::string::npos);
  }

  TEST_CASE("JSON errors are InvalidArgument with a useful message") {
    struct Case {
      const char* body;
      const char* needle;
    };
    for (const Case& c : {Case{"{", "malformed JSON"}, Case{"", "malformed JSON"},
                          Case{"[1,2]", "JSON object"}, Case{"\"text\"", "JSON object"},
                          Case{R"({"user_ip":5,"comment_content":"x"})", "user_ip"},
                          Case{R"({"comment_content":"x","is_test":[1]})", "is_test"},
                          Case{R"({"comment_content":"x","comment_context":[1]})", "comment_context"},
                          Case{R"({"comment_content":"x","extra":{"a":1}})", "extra"},
                          Case{R"({"user_ip":"1.2.3.4"})", "comment_content"},
                          Case{R"({"comment_content":""})", "comment_content"},
                          Case{"{\"comment_content\":\"\xFF\"}", "malformed JSON"}}) {
      CAPTURE(c.body);
      auto r = DecodeV1Check(c.body);
      REQUIRE_FALSE(r.has_value());
      CHECK(r.error().code() == core::StatusCode::kInvalidArgument);
      CHECK(r.error().message().find(c.needle) != std::string::npos);
    }
  }

  TEST_CASE("feedback needs a label and an id or a comment") {
    auto ok = DecodeV1Feedback(R"({"id":"0123","label":"ham"})");
    REQUIRE(ok.has_value());
    CHECK(ok->id == "0123");
    CHECK(ok->label == engine::Label::kHam);
    CHECK_FALSE(DecodeV1Feedback(R"({"id":"0123","label":"maybe"})").has_value());
    CHECK_FALSE(DecodeV1Feedback(R"({"label":"spam"})").has_value());
    CHECK(DecodeV1Feedback(R"({"label":"spam","comment_content":"x"})").has_value());
  }

  TEST_CASE("reads a Bearer token case-insensitively") {
    CHECK(BearerToken("Bearer abcdef123456") == "abcdef123456");
    CHECK(BearerToken("bearer  abcdef123456 ") == "abcdef123456");
    CHECK(BearerToken("Basic abc").empty());
    CHECK(BearerToken("Bearer").empty());
    CHECK(BearerToken("").empty());
  }

  TEST_CASE("encodes a check outcome with id, verdict, score, reasons and model") {
    engine::CheckOutcome o;
    o.id = "0123456789abcdef0123456789abcdef";
    o.decision.verdict = core::Verdict::kDiscard;
    o.decision.score = 0.999;
    o.decision.reasons.push_back({"links.count", 1.5, "3 links"});
    o.model_version = "tiny@1234";
    const auto j = nlohmann::json::parse(EncodeCheckOutcome(o));
    CHECK(j["id"] == o.id);
    CHECK(j["verdict"] == "discard");
    CHECK(j["score"].get<double>() == doctest::Approx(0.999));
    CHECK(j["reasons"][0]["check"] == "links.count");
    CHECK(j["reasons"][0]["contribution"].get<double>() == doctest::Approx(1.5));
    CHECK(j["reasons"][0]["detail"] == "3 links");
    CHECK(j["model"] == "tiny@1234");
  }

  TEST_CASE("encodes errors with the code name and the request id") {
    const auto j = nlohmann::json::parse(
        EncodeError(core::StatusCode::kUnauthenticated, "bad key", "r-1"));
    CHECK(j["error"]["code"] == "unauthenticated");
    CHECK(j["error"]["message"] == "bad key");
    CHECK(j["error"]["request_id"] == "r-1");
    const auto named = nlohmann::json::parse(EncodeNamedError("rate_limited", "slow down", "r-2"));
    CHECK(named["error"]["code"] == "rate_limited");
    CHECK(named["error"]["message"] == "slow down");
    CHECK(named["error"]["request_id"] == "r-2");
  }

  TEST_CASE("admin reload takes no body, or an empty object, and never a path") {
    CHECK(DecodeV1AdminReload("").ok());
    CHECK(DecodeV1AdminReload(" \r\n").ok());
    CHECK(DecodeV1AdminReload("{}").ok());
    CHECK(DecodeV1AdminReload(R"({"path": "/etc/passwd"})").code() ==
          core::StatusCode::kInvalidArgument);
    CHECK(DecodeV1AdminReload("[]").code() == core::StatusCode::kInvalidArgument);
    CHECK(DecodeV1AdminReload("{").code() == core::StatusCode::kInvalidArgument);
  }

  TEST_CASE("encodes a reload and a refused reload") {
    app::ReloadOutcome outcome;
    outcome.previous = "a@1";
    outcome.current = "b@2";
    outcome.reloads = 3;
    const auto ok = nlohmann::json::parse(EncodeReloadOutcome(outcome));
    CHECK(ok == nlohmann::json{{"model", "b@2"}, {"previous", "a@1"}, {"reloads", 3}});
    const auto refused = nlohmann::json::parse(
        EncodeReloadFailure("reload refused, still serving a@1: bad file", "a@1", "r-2"));
    CHECK(refused["error"]["code"] == "reload_failed");
    CHECK(refused["error"]["message"] == "reload refused, still serving a@1: bad file");
    CHECK(refused["error"]["request_id"] == "r-2");
    CHECK(refused["model"] == "a@1");
  }

  TEST_CASE("maps every status code to its HTTP status once") {
    CHECK(HttpStatusFor(core::StatusCode::kInvalidArgument) == 400);
    CHECK(HttpStatusFor(core::StatusCode::kUnauthenticated) == 401);
    CHECK(HttpStatusFor(core::StatusCode::kPermissionDenied) == 403);
    CHECK(ErrorCodeName(core::StatusCode::kPermissionDenied) == "permission_denied");
    CHECK(HttpStatusFor(core::StatusCode::kNotFound) == 404);
    CHECK(HttpStatusFor(core::StatusCode::kUnavailable) == 503);
    CHECK(HttpStatusFor(core::StatusCode::kInternal) == 500);
  }

  // Found by fuzz_json: nlohmann throws out_of_range (not parse_error) for a number beyond a
  // double, which escaped the codec and became a 500.
  TEST_CASE("a number too large for a double is malformed JSON, not an exception") {
    for (const char* body : {"121e312", R"({"comment_content": "x", "n": 1e999})",
                             R"({"comment_content": "x", "is_test": -1e400})"}) {
      CAPTURE(body);
      auto check = DecodeV1Check(body);
      REQUIRE_FALSE(check.has_value());
      CHECK(check.error().code() == core::StatusCode::kInvalidArgument);
      CHECK(check.error().message().starts_with("malformed JSON: "));
      auto feedback = DecodeV1Feedback(body);
      REQUIRE_FALSE(feedback.has_value());
      CHECK(feedback.error().code() == core::StatusCode::kInvalidArgument);
      CHECK(DecodeV1AdminReload(body).code() == core::StatusCode::kInvalidArgument);
    }
  }
}

}  // namespace hamlet::http

// Akismet requests (key placement, required fields) and the literal answers.
#include "http/akismet_codec.h"

#include <doctest/doctest.h>

#include <cmath>

namespace hamlet::http {
namespace {

std::string HeaderOf(const AkismetAnswer& a, std::string_view name) {
  for (const auto& [k, v] : a.headers) {
    if (k == name) return v;
  }
  return "";
}

AkismetRequest Decode(AkismetCall call, std::string_view body, std::string_view host = "") {
  auto r = DecodeAkismet(call, body, host);
  REQUIRE(r.has_value());
  return std::move(r.value());
}

}  // namespace

TEST_SUITE("http/akismet_codec") {
  TEST_CASE("takes the key from the first Host label when it looks like a key") {
    CHECK(KeyFromHost("abcdef123456.rest.akismet.com") == "abcdef123456");
    CHECK(KeyFromHost("abcdef123456.localhost:8080") == "abcdef123456");
    CHECK(KeyFromHost("ABCDEF123456.rest.akismet.com") == "abcdef123456");
  }

  TEST_CASE("ignores a Host whose first label is not a key") {
    CHECK(KeyFromHost("rest.akismet.com").empty());
    CHECK(KeyFromHost("test-key.localhost:8080").empty());
    CHECK(KeyFromHost("localhost:8080").empty());
    CHECK(KeyFromHost("abcdef123456").empty());  // no dot: not a subdomain
    CHECK(KeyFromHost("").empty());
  }

  TEST_CASE("ignores IP-literal hosts") {
    CHECK(KeyFromHost("127.0.0.1:8080").empty());
    CHECK(KeyFromHost("10.0.0.1").empty());
    CHECK(KeyFromHost("[::1]:8080").empty());
    CHECK(KeyFromHost("::1").empty());
  }

  TEST_CASE("comment calls: api_key wins over key, and a form key over the Host") {
    const std::string_view host = "abcdef123456.localhost";
    CHECK(Decode(AkismetCall::kCommentCheck, "api_key=111111111111&key=222222222222", host).key ==
          "111111111111");
    CHECK(Decode(AkismetCall::kSubmitSpam, "key=222222222222", host).key == "222222222222");
    CHECK(Decode(AkismetCall::kSubmitHam, "user_ip=1.2.3.4", host).key == "abcdef123456");
    CHECK(Decode(AkismetCall::kCommentCheck, "api_key=&user_ip=1", host).key == "abcdef123456");
  }

  TEST_CASE("verify-key: key wins over api_key and the Host is never used") {
    CHECK(Decode(AkismetCall::kVerifyKey, "api_key=111111111111&key=222222222222").key ==
          "222222222222");
    CHECK(Decode(AkismetCall::kVerifyKey, "api_key=111111111111").key == "111111111111");
    CHECK(Decode(AkismetCall::kVerifyKey, "blog=x", "abcdef123456.localhost").key.empty());
  }

  TEST_CASE("passes a guid field through for submit calls") {
    CHECK(Decode(AkismetCall::kSubmitSpam, "guid=0123abcd").guid == "0123abcd");
  }

  TEST_CASE("a malformed body is an InvalidArgument transport fault") {
    auto r = DecodeAkismet(AkismetCall::kCommentCheck, "comment_content=%ZZ", "");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code() == core::StatusCode::kInvalidArgument);
    const AkismetAnswer a = TransportErrorAnswer(400, r.error().message());
    CHECK(a.status == 400);
    CHECK(a.body == "invalid");
    CHECK_FALSE(HeaderOf(a, "X-akismet-debug-help").empty());
  }

  TEST_CASE("refuses incomplete requests as Akismet does: 200 invalid plus debug-help") {
    auto check = [](AkismetCall call, std::string_view body, std::string_view help) {
      CAPTURE(body);
      const auto refusal = CheckRequired(call, Decode(call, body));
      REQUIRE(refusal.has_value());
      CHECK(refusal->status == 200);
      CHECK(refusal->body == "invalid");
      CHECK(HeaderOf(*refusal, "X-akismet-debug-help") == help);
    };
    check(AkismetCall::kVerifyKey, "blog=http%3A%2F%2Fx.test", kHelpEmptyKey);
    check(AkismetCall::kCommentCheck, "blog=http%3A%2F%2Fx.test&user_ip=1", kHelpEmptyApiKey);
    check(AkismetCall::kCommentCheck, "api_key=abcdef123456&user_ip=1", kHelpBadBlog);
    check(AkismetCall::kVerifyKey, "key=abcdef123456&blog=example.test", kHelpBadBlog);
    check(AkismetCall::kCommentCheck, "api_key=abcdef123456&blog=http%3A%2F%2Fx.test",
          kHelpEmptyUserIp);
    CHECK_FALSE(CheckRequired(AkismetCall::kSubmitSpam,
                              Decode(AkismetCall::kSubmitSpam,
                                     "api_key=abcdef123456&blog=http%3A%2F%2Fx.test"))
                    .has_value());
  }

  TEST_CASE("recognises blog URIs") {
    CHECK(IsBlogUri("http://example.test/"));
    CHECK(IsBlogUri("https://EXAMPLE.test"));
    CHECK(IsBlogUri("http://localhost:8000/blog?x=1"));
    CHECK_FALSE(IsBlogUri("example.test"));
    CHECK_FALSE(IsBlogUri("http://"));
    CHECK_FALSE(IsBlogUri("ftp://example.test/"));
    CHECK_FALSE(IsBlogUri("http://exa mple.test/"));
  }

  TEST_CASE("comment-check answers: guid always, pro-tip only on discard, no debug-help") {
    engine::CheckOutcome outcome;
    outcome.id = "0123456789abcdef0123456789abcdef";
    for (auto [verdict, body, discard] : {std::tuple{core::Verdict::kHam, "false", false},
                                          std::tuple{core::Verdict::kSpam, "true", false},
                                          std::tuple{core::Verdict::kDiscard, "true", true}}) {
      outcome.decision.verdict = verdict;
      outcome.decision.answer_spam = core::IsSpamVerdict(verdict);
      const AkismetAnswer a = CheckAnswer(outcome);
      CHECK(a.status == 200);
      CHECK(a.body == body);
      CHECK(HeaderOf(a, "X-akismet-guid") == outcome.id);
      CHECK((HeaderOf(a, "X-akismet-pro-tip") == "discard") == discard);
      CHECK(HeaderOf(a, "X-akismet-debug-help").empty());
      CHECK(HeaderOf(a, "X-hamlet-verdict") == core::VerdictName(verdict));
    }
  }

  TEST_CASE("an uncertain decision is answered as the decision's answer says, and marked so") {
    engine::CheckOutcome outcome;
    outcome.id = "0123456789abcdef0123456789abcdef";
    outcome.decision.verdict = core::Verdict::kSpam;
    outcome.decision.uncertain = true;
    outcome.decision.answer_spam = false;  // the default uncertain answer: held in hamlet
    AkismetAnswer a = CheckAnswer(outcome);
    CHECK(a.body == "false");
    CHECK(HeaderOf(a, "X-hamlet-verdict") == "spam; uncertain");
    CHECK(HeaderOf(a, "X-akismet-pro-tip").empty());
    outcome.decision.answer_spam = true;  // a site that sends uncertain comments to spam
    CHECK(CheckAnswer(outcome).body == "true");
  }

  TEST_CASE("X-hamlet-reasons lists every reason with its signed contribution") {
    core::Decision d;
    d.reasons = {{"model", 4.2049, "text model"},
                 {"links.count", -1.5, "3 links"},
                 {"akismet.test_spam", HUGE_VAL, "forced"}};
    CHECK(ReasonsHeader(d) == "model=+4.20, links.count=-1.50, akismet.test_spam");
    CHECK(ReasonsHeader(core::Decision{}).empty());
  }

  TEST_CASE("literal bodies for verify-key and submits") {
    CHECK(VerifyKeyAnswer(true).body == "valid");
    CHECK(VerifyKeyAnswer(true).headers.empty());
    CHECK(VerifyKeyAnswer(false).body == "invalid");
    CHECK(SubmitAnswer().body == "Thanks for making the web a better place.");
  }

  TEST_CASE("engine errors: bad key is a protocol answer, server faults are 5xx non-verdicts") {
    const AkismetAnswer bad_key = ErrorAnswer(core::Status::Unauthenticated("revoked"), "r1");
    CHECK(bad_key.status == 200);
    CHECK(bad_key.body == "invalid");
    // An admin key on a comment call: to Akismet clients, just not a valid key.
    const AkismetAnswer admin_key =
        ErrorAnswer(core::Status::PermissionDenied("this is an admin key"), "r1");
    CHECK(admin_key.status == 200);
    CHECK(admin_key.body == "invalid");
    CHECK(HeaderOf(admin_key, "X-akismet-debug-help") == HeaderOf(bad_key, "X-akismet-debug-help"));
    const AkismetAnswer down = ErrorAnswer(core::Status::Unavailable("database locked"), "r2");
    CHECK(down.status == 503);
    CHECK(down.body == "unavailable");
    CHECK(HeaderOf(down, "Retry-After") == "30");
    CHECK(HeaderOf(down, "X-akismet-debug-help").find("r2") != std::string::npos);
    CHECK(HeaderOf(down, "X-akismet-debug-help").find("locked") == std::string::npos);
    const AkismetAnswer bug = ErrorAnswer(core::Status::Internal("secret detail"), "r3");
    CHECK(bug.status == 500);
    CHECK(bug.body == "error");
    CHECK(HeaderOf(bug, "X-akismet-debug-help").find("secret") == std::string::npos);
  }

  TEST_CASE("a rate-limited call is 429 throttled with Retry-After, never invalid") {
    const AkismetAnswer a = ThrottledAnswer(7, "Request rate limit of this key exceeded");
    CHECK(a.status == 429);
    CHECK(a.body == "throttled");
    CHECK(HeaderOf(a, "Retry-After") == "7");
    CHECK(HeaderOf(a, "X-akismet-debug-help") == "Request rate limit of this key exceeded");
  }
}

}  // namespace hamlet::http

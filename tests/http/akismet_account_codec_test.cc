// The account calls' decoding (key placement, what is required) and their JSON/CSV answers,
// and a WordPress-shaped comment-check body (bare names, '+', MySQL dates).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "http/akismet_codec.h"

namespace hamlet::http {

TEST_SUITE("http/akismet_account_codec") {
  TEST_CASE("account calls take `key` first and need no blog, 1.2 calls take query fields") {
    auto r = DecodeAkismet(AkismetCall::kGetSubscription,
                           "key=222222222222&blog=http%3A%2F%2F127.0.0.1%3A8000&api_key=111111111111", "");
    REQUIRE(r);
    CHECK(r->key == "222222222222");
    auto stats = DecodeAkismet(AkismetCall::kGetStats, "key=222222222222&from=all", "");
    REQUIRE(stats);
    CHECK_FALSE(CheckRequired(AkismetCall::kGetStats, *stats).has_value());
    CHECK(stats->comment.Field("from") == "all");

    auto usage = DecodeAkismet(AkismetCall::kUsageLimit, "", "", {{"api_key", "333333333333"}});
    REQUIRE(usage);
    CHECK(usage->key == "333333333333");
    CHECK_FALSE(CheckRequired(AkismetCall::kUsageLimit, *usage).has_value());
    auto none = DecodeAkismet(AkismetCall::kKeySites, "", "");
    REQUIRE(none);
    auto refusal = CheckRequired(AkismetCall::kKeySites, *none);
    REQUIRE(refusal.has_value());
    CHECK(refusal->body == "invalid");
  }

  TEST_CASE("a comment-check body as WordPress's plugin sends it decodes field by field") {
    auto r = DecodeAkismet(
        AkismetCall::kCommentCheck,
        "comment_post_ID=1&comment_author=Jane+Reader&comment_author_email=jane%40example.test"
        "&comment_author_url&comment_content=Nice+post%2C+thanks%21&comment_type=comment"
        "&user_ip=127.0.0.1&blog=http%3A%2F%2F127.0.0.1%3A8000&POST_ak_hp_textarea"
        "&POST_ak_js=1764062379000&comment_post_modified_gmt=2026-11-25+09%3A19%3A39"
        "&api_key=abcdef123456",
        "rest.akismet.com");
    REQUIRE(r);
    CHECK(r->key == "abcdef123456");
    CHECK(r->comment.comment_author == "Jane Reader");
    CHECK(r->comment.comment_content == "Nice post, thanks!");
    CHECK(r->comment.comment_author_url.empty());
    CHECK(r->comment.Field("comment_post_modified_gmt") == "2026-11-25 09:19:39");
    CHECK(r->comment.Field("POST_ak_js") == "1764062379000");
    CHECK_FALSE(CheckRequired(AkismetCall::kCommentCheck, *r).has_value());
  }

  TEST_CASE("answers: connected, subscription status, stats, usage-limit, key-sites") {
    CHECK(ConnectedAnswer().body == "connected");
    CHECK(DeactivatedAnswer().body == "deactivated");
    auto sub = nlohmann::json::parse(SubscriptionAnswer().body);
    CHECK(sub["status"] == "active");
    CHECK(SubscriptionAnswer().content_type == "application/json");

    engine::StatsReport report;
    report.totals = {.period = "all", .api_calls = 5, .spam = 3, .ham = 1, .missed_spam = 1};
    report.breakdown.push_back(report.totals);
    report.breakdown.back().period = "2026-01";
    auto stats = nlohmann::json::parse(StatsAnswer(report).body);
    CHECK(stats["spam"] == 3);
    CHECK(stats["missed_spam"] == 1);
    CHECK(stats["accuracy"] == 75.0);
    CHECK(stats["breakdown"]["2026-01"]["ham"] == 1);

    auto usage = nlohmann::json::parse(UsageLimitAnswer({"2026-01", 7}).body);
    CHECK(usage["usage"] == 7);
    CHECK(usage["limit"] == "none");
    CHECK(usage["throttled"] == false);

    engine::KeySitesReport sites;
    sites.month = "2026-01";
    sites.total = 1;
    sites.sites.push_back({"http://a.example/,x", {.period = "2026-01", .api_calls = 2, .spam = 1, .ham = 1}});
    auto json = nlohmann::json::parse(KeySitesAnswer(sites, "").body);
    CHECK(json["2026-01"][0]["site"] == "http://a.example/,x");
    CHECK(json["2026-01"][0]["api_calls"] == 2);
    CHECK(json["total"] == 1);
    const std::string csv = KeySitesAnswer(sites, "csv").body;
    CHECK(csv.find("Site,Total API Calls,Spam,Ham,Missed Spam,False Positives,Is Revoked\n") !=
          std::string::npos);
    CHECK(csv.find("\"http://a.example/,x\",2,1,1,0,0,false\n") != std::string::npos);
  }

  TEST_CASE("key-sites query: numbers are checked") {
    core::Comment c = core::CommentFromFields({{"limit", "10"}, {"offset", "x"}});
    CHECK(DecodeKeySitesQuery(c).error().code() == core::StatusCode::kInvalidArgument);
    c = core::CommentFromFields({{"limit", "10"}, {"order", "spam"}, {"month", "2026-01"}});
    auto q = DecodeKeySitesQuery(c);
    REQUIRE(q);
    CHECK(q->limit == 10);
    CHECK(q->order == "spam");
    CHECK(q->month == "2026-01");
  }
}

}  // namespace hamlet::http

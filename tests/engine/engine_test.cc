#include <doctest/doctest.h>

#include "core/comment.h"
#include "engine/crypto.h"
#include "engine/evaluation.h"
#include "engine/feedback.h"
#include "engine/filter.h"
#include "engine/key_service.h"
#include "engine/moderation.h"
#include "engine/moderator_actions.h"
#include "store/sqlite_store.h"
#include "support/fake_classifier.h"

using namespace hamlet;

namespace {

struct FixedClock final : core::Clock {
  int64_t now = 1'700'000'000'000;
  int64_t NowMillis() const override { return now; }
};

// The engine over a real in-memory SQLite store and a scripted classifier.
struct Fixture {
  Fixture() : store(store::OpenSqliteStore(":memory:").value()) {}
  FixedClock clock;
  testing::FakeClassifier classifier;
  std::unique_ptr<store::Store> store;
  engine::KeyService keys{*store, clock};
  engine::Filter filter{classifier, *store, decision::Policy{}, clock};
  engine::FeedbackService feedback{*store, clock};
  engine::Moderation moderation{*store};
  engine::ModeratorActions actions{*store, moderation, clock};

  store::SiteKey NewSite(const std::string& url = "http://blog.example/") {
    return keys.Create(url)->record;
  }
};

core::Comment Spammy() {
  return core::CommentFromFields({{"comment_content", "spammy pills"},
                                  {"comment_author", "Bob"},
                                  {"user_ip", "198.51.100.2"},
                                  {"POST_extra", "kept"}});
}

}  // namespace

TEST_SUITE("engine/key_service") {
  TEST_CASE("issues 12-hex keys that authenticate, and stores only their hash") {
    Fixture f;
    auto created = f.keys.Create("https://blog.example/");
    REQUIRE(created);
    CHECK(engine::KeyService::LooksLikeKey(created->key));
    CHECK(created->record.key_hash.find(created->key) == std::string::npos);
    CHECK(created->record.key_hint == created->key.substr(0, 2));
    auto auth = f.keys.Authenticate(created->key);
    REQUIRE(auth);
    CHECK(auth->site_url == "https://blog.example/");
  }

  TEST_CASE("refuses empty, malformed, unknown and revoked keys") {
    Fixture f;
    auto created = f.keys.Create("http://blog.example/");
    REQUIRE(created);
    CHECK(f.keys.Authenticate("").error().code() == core::StatusCode::kUnauthenticated);
    CHECK(f.keys.Authenticate("ABCDEF123456").error().code() == core::StatusCode::kUnauthenticated);
    CHECK(f.keys.Authenticate("0123456789ab").error().code() == core::StatusCode::kUnauthenticated);
    REQUIRE(f.keys.Revoke(created->key).ok());
    auto revoked = f.keys.Authenticate(created->key);
    REQUIRE_FALSE(revoked);
    CHECK(revoked.error().message().find("revoked") != std::string::npos);
  }

  TEST_CASE("revokes by id and reports unknown ids and bad input") {
    Fixture f;
    auto created = f.keys.Create("http://blog.example/");
    REQUIRE(created);
    CHECK(f.keys.Revoke(std::to_string(created->record.id)).ok());
    CHECK(f.keys.Revoke("999").code() == core::StatusCode::kNotFound);
    CHECK(f.keys.Revoke("nonsense").code() == core::StatusCode::kInvalidArgument);
  }

  TEST_CASE("a site must be an http(s) URL") {
    Fixture f;
    CHECK(f.keys.Create("blog.example").error().code() == core::StatusCode::kInvalidArgument);
    CHECK(f.keys.Create("ftp://blog.example/").error().code() == core::StatusCode::kInvalidArgument);
    CHECK(f.keys.Create("http://").error().code() == core::StatusCode::kInvalidArgument);
    CHECK(f.keys.Create("").error().code() == core::StatusCode::kInvalidArgument);
  }

  TEST_CASE("admin keys authenticate only as admin, site keys only as site") {
    Fixture f;
    auto admin = f.keys.Create("", store::KeyRole::kAdmin);
    REQUIRE(admin);
    CHECK(engine::KeyService::LooksLikeKey(admin->key));
    CHECK(admin->record.role == store::KeyRole::kAdmin);
    CHECK(admin->record.key_hash.find(admin->key) == std::string::npos);
    auto site = f.keys.Create("http://blog.example/");
    REQUIRE(site);
    CHECK(site->record.role == store::KeyRole::kSite);

    auto as_admin = f.keys.Authenticate(admin->key, store::KeyRole::kAdmin);
    REQUIRE(as_admin);
    CHECK(as_admin->id == admin->record.id);
    CHECK(as_admin->role == store::KeyRole::kAdmin);
    auto admin_as_site = f.keys.Authenticate(admin->key);  // the comment endpoints' call
    REQUIRE_FALSE(admin_as_site);
    CHECK(admin_as_site.error().code() == core::StatusCode::kPermissionDenied);
    auto site_as_admin = f.keys.Authenticate(site->key, store::KeyRole::kAdmin);
    REQUIRE_FALSE(site_as_admin);
    CHECK(site_as_admin.error().code() == core::StatusCode::kPermissionDenied);
    CHECK(f.keys.Authenticate(site->key)->role == store::KeyRole::kSite);

    CHECK(f.keys.Authenticate("0123456789ab", store::KeyRole::kAdmin).error().code() ==
          core::StatusCode::kUnauthenticated);
    CHECK(f.keys.Authenticate("", store::KeyRole::kAdmin).error().code() ==
          core::StatusCode::kUnauthenticated);
    REQUIRE(f.keys.Revoke(admin->key).ok());
    CHECK(f.keys.Authenticate(admin->key, store::KeyRole::kAdmin).error().code() ==
          core::StatusCode::kUnauthenticated);

    auto listed = f.keys.List();
    REQUIRE(listed);
    REQUIRE(listed->size() == 2);
    CHECK((*listed)[0].role == store::KeyRole::kAdmin);
    CHECK((*listed)[1].role == store::KeyRole::kSite);
  }

  TEST_CASE("an admin key may name a site, which must then be an http(s) URL") {
    Fixture f;
    auto labelled = f.keys.Create("https://ops.example/", store::KeyRole::kAdmin);
    REQUIRE(labelled);
    CHECK(labelled->record.site_url == "https://ops.example/");
    CHECK(f.keys.Create("ops", store::KeyRole::kAdmin).error().code() ==
          core::StatusCode::kInvalidArgument);
  }
}

TEST_SUITE("engine/filter") {
  TEST_CASE("stores every check with its fields, verdict, reasons and model version") {
    Fixture f;
    auto site = f.NewSite();
    auto outcome = f.filter.Check(Spammy(), site, "akismet");
    REQUIRE(outcome);
    CHECK(outcome->id.size() == 32);
    CHECK(outcome->decision.verdict == core::Verdict::kSpam);
    auto stored = f.store->GetDecision(outcome->id);
    REQUIRE(stored);
    REQUIRE(stored->has_value());
    const auto& r = **stored;
    CHECK(r.key_id == site.id);
    CHECK(r.site_url == site.site_url);
    CHECK(r.channel == "akismet");
    CHECK(r.model_version == "fake@00000000");
    CHECK(r.comment.Field("POST_extra") == "kept");
    CHECK(r.decision.reasons.front().check == "model");
    CHECK(r.created_ms == f.clock.now);
  }

  TEST_CASE("gives no verdict when the classifier fails, and stores nothing") {
    Fixture f;
    auto site = f.NewSite();
    f.classifier.fail = true;
    CHECK_FALSE(f.filter.Check(Spammy(), site, "v1"));
    CHECK(f.store->ListDecisions({})->empty());
  }

  TEST_CASE("Score judges without storing") {
    Fixture f;
    auto d = f.filter.Score(Spammy());
    REQUIRE(d);
    CHECK(d->verdict == core::Verdict::kSpam);
    CHECK(f.store->ListDecisions({})->empty());
  }
}

TEST_SUITE("engine/feedback") {
  TEST_CASE("links a report to its check by guid, and by matching values without one") {
    Fixture f;
    auto site = f.NewSite();
    auto check = f.filter.Check(Spammy(), site, "akismet");
    REQUIRE(check);
    auto by_guid = f.feedback.Submit(Spammy(), site, engine::Label::kHam, check->id, "akismet");
    REQUIRE(by_guid);
    CHECK(by_guid->decision_id == check->id);
    auto by_values = f.feedback.Submit(Spammy(), site, engine::Label::kSpam, "", "akismet");
    REQUIRE(by_values);
    CHECK(by_values->decision_id == check->id);
    auto history = f.store->ListFeedback(check->id);
    REQUIRE(history);
    REQUIRE(history->size() == 2);
    CHECK((*history)[0].label == "ham");
    CHECK((*history)[1].label == "spam");
  }

  TEST_CASE("keeps a report that matches nothing, unlinked") {
    Fixture f;
    auto site = f.NewSite();
    auto other = core::CommentFromFields({{"comment_content", "never checked"}, {"reporter", "ann"}});
    auto outcome = f.feedback.Submit(other, site, engine::Label::kSpam, "", "akismet");
    REQUIRE(outcome);
    CHECK(outcome->decision_id.empty());
    CHECK(outcome->feedback_id > 0);
  }

  TEST_CASE("does not link to another site's decision, even by guid") {
    Fixture f;
    auto mine = f.NewSite("http://mine.example/");
    auto theirs = f.NewSite("http://theirs.example/");
    auto check = f.filter.Check(Spammy(), theirs, "akismet");
    REQUIRE(check);
    auto outcome = f.feedback.Submit(Spammy(), mine, engine::Label::kHam, check->id, "akismet");
    REQUIRE(outcome);
    CHECK(outcome->decision_id.empty());
  }
}

TEST_SUITE("engine/moderation") {
  TEST_CASE("the queue holds flagged decisions only, newest first") {
    Fixture f;
    auto site = f.NewSite();
    auto first = f.filter.Check(Spammy(), site, "akismet");
    f.clock.now += 1000;
    REQUIRE(f.filter.Check(core::CommentFromFields({{"comment_content", "nice post"}}), site, "akismet"));
    f.clock.now += 1000;
    auto second = f.filter.Check(Spammy(), site, "akismet");
    engine::QueueQuery query;
    query.filter.flagged_only = true;
    query.filter.limit = 10;
    auto queue = f.moderation.List(query);
    REQUIRE(queue);
    REQUIRE(queue->items.size() == 2);
    CHECK(queue->total == 2);
    CHECK(queue->items[0].id == second->id);
    CHECK(queue->items[1].id == first->id);
    REQUIRE(f.actions.Apply(f.actions.PlanForIds({second->id}, engine::Label::kSpam).value(), "bob",
                            "mark", second->id));
    query.filter.unreviewed_only = true;
    auto unreviewed = f.moderation.List(query);
    REQUIRE(unreviewed->items.size() == 1);
    CHECK(unreviewed->items[0].id == first->id);
    CHECK(f.moderation.Show("nope").error().code() == core::StatusCode::kNotFound);
  }
}

TEST_SUITE("engine/evaluation") {
  TEST_CASE("counts the confusion matrix and derives the metrics from it") {
    Fixture f;
    std::vector<engine::LabeledComment> data = {
        {core::CommentFromFields({{"comment_content", "spammy a"}}), true},
        {core::CommentFromFields({{"comment_content", "spammy b"}}), true},
        {core::CommentFromFields({{"comment_content", "plain c"}}), true},
        {core::CommentFromFields({{"comment_content", "spammy d"}}), false},
        {core::CommentFromFields({{"comment_content", "plain e"}}), false},
        {core::CommentFromFields({{"comment_content", "plain f"}}), false},
    };
    auto m = engine::Evaluate(f.filter, data);
    REQUIRE(m);
    CHECK(m->tp == 2);
    CHECK(m->fn == 1);
    CHECK(m->fp == 1);
    CHECK(m->tn == 2);
    CHECK(m->precision == doctest::Approx(2.0 / 3));
    CHECK(m->recall == doctest::Approx(2.0 / 3));
    CHECK(m->fpr == doctest::Approx(1.0 / 3));
    // Two score levels: spam scores beat ham scores in 2*2 + 1*1 pairs... computed by hand:
    // positives {hi, hi, lo}, negatives {hi, lo, lo}: wins 2*2 + ties 2*1*0.5 + 1*2*0.5 = 6/9.
    CHECK(m->auc == doctest::Approx(6.0 / 9));
  }
}

TEST_SUITE("engine/crypto") {
  TEST_CASE("hashes, random ids and constant-time comparison behave") {
    CHECK(engine::Sha256Hex("abc") ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    auto a = engine::RandomHex(16);
    auto b = engine::RandomHex(16);
    REQUIRE(a);
    REQUIRE(b);
    CHECK(a->size() == 32);
    CHECK(*a != *b);
    CHECK(engine::ConstantTimeEquals("abc", "abc"));
    CHECK_FALSE(engine::ConstantTimeEquals("abc", "abd"));
    CHECK_FALSE(engine::ConstantTimeEquals("abc", "abcd"));
  }

  TEST_CASE("decision ids sort by time and still differ within one millisecond") {
    auto early = engine::TimeOrderedId(1'700'000'000'000);
    auto same = engine::TimeOrderedId(1'700'000'000'000);
    auto later = engine::TimeOrderedId(1'700'000'000'001);
    REQUIRE(early);
    REQUIRE(same);
    REQUIRE(later);
    CHECK(early->size() == 32);
    CHECK(early->find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(early->substr(0, 12) == "018bcfe56800");  // 1.7e12 ms in hex
    CHECK(*early != *same);
    CHECK(*later > *early);
    CHECK(*later > *same);
  }
}

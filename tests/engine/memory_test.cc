// The engine's memory end to end inside the engine: Filter + FeedbackService + SyncedMemory
// over a real SQLite file and a scripted classifier ("spammy" -> spam). Verdicts teach
// reputation, labels replace them, campaigns and bursts are seen, a rebuild from the store
// after a restart gives the same History, and two nodes on one database (SQLite file or
// PostgreSQL) learn each other's decisions on catch-up, each counted once, and a label that
// commits on PostgreSQL after a greater feedback id was read is still learnt. An undo made by
// another process is unlearnt on catch-up, whatever order the undos are read in.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/comment.h"
#include "engine/feedback.h"
#include "engine/filter.h"
#include "engine/key_service.h"
#include "engine/local_memory.h"
#include "engine/moderation.h"
#include "engine/moderator_actions.h"
#include "engine/rate_index.h"
#include "engine/synced_memory.h"
#include "store/sqlite_store.h"
#include "support/fake_classifier.h"
#include "support/fixed_clock.h"
#include "support/pg_late_feedback.h"
#include "support/store_backends.h"
#include "support/temp_dir.h"

using namespace hamlet;
using signals::TraitKind;

namespace {

constexpr int64_t kMinute = 60'000;
const std::string kSite = "http://blog.example/";

const std::string kCampaignText =
    "Earn money from home with our simple online system, thousands of people already make "
    "five hundred dollars every single day, join today and see for yourself";

std::shared_ptr<const engine::ModelSnapshot> Snapshot(const classifier::Classifier& c) {
  auto snapshot = std::make_shared<engine::ModelSnapshot>();
  // Borrowed: the test owns the classifier and outlives the snapshot.
  snapshot->classifier = std::shared_ptr<const classifier::Classifier>(std::shared_ptr<void>(), &c);
  return snapshot;
}

core::Comment Comment(const std::string& content, const std::string& ip,
                      const std::string& email = "", bool is_test = false) {
  core::FieldList fields = {{"comment_content", content}, {"user_ip", ip}};
  if (!email.empty()) fields.emplace_back("comment_author_email", email);
  if (is_test) fields.emplace_back("is_test", "1");
  return core::CommentFromFields(std::move(fields));
}

// One running "hamletd": the store file, memory rebuilt from it, the filter and feedback.
struct Node {
  Node(const std::string& path, testing::FixedClock& clock, testing::FakeClassifier& classifier,
       bool with_memory = true)
      : Node(store::OpenSqliteStore(path).value(), clock, classifier, with_memory) {}
  // On a store of its own (another node on the same database).
  Node(std::unique_ptr<store::Store> own_store, testing::FixedClock& clock,
       testing::FakeClassifier& classifier, bool with_memory = true)
      : store(std::move(own_store)), clock_(clock) {
    if (with_memory) memory = engine::SyncedMemory::Open(*store, clock, {}).value();
    engine::FilterContext context;
    context.memory = memory.get();
    filter = std::make_unique<engine::Filter>(Snapshot(classifier), *store, clock, context);
    feedback = std::make_unique<engine::FeedbackService>(*store, clock, memory.get());
    keys = std::make_unique<engine::KeyService>(*store, clock);
  }
  std::unique_ptr<store::Store> store;
  std::unique_ptr<engine::SyncedMemory> memory;
  std::unique_ptr<engine::Filter> filter;
  std::unique_ptr<engine::FeedbackService> feedback;
  std::unique_ptr<engine::KeyService> keys;
  testing::FixedClock& clock_;

  // A moderator's verdict as `hamlet mark-spam ID` records it (no memory in that process: a
  // running memory learns it at its next catch-up).
  int64_t Mark(const std::string& id, engine::Label label, const std::string& moderator) {
    engine::Moderation moderation(*store);
    engine::ModeratorActions actions(*store, moderation, clock_);
    auto plan = actions.PlanForIds({id}, label);
    REQUIRE(plan);
    auto action = actions.Apply(*plan, moderator, "mark", id);
    REQUIRE(action);
    return action->id;
  }
  // `hamlet undo ACTION` in another process.
  void Undo(int64_t action_id) {
    engine::Moderation moderation(*store);
    engine::ModeratorActions actions(*store, moderation, clock_);
    REQUIRE(actions.Undo(action_id, "dave"));
  }

  store::SiteKey Key() {
    auto all = store->ListKeys().value();
    if (!all.empty()) return all.front();
    return keys->Create(kSite)->record;
  }
  engine::CheckOutcome Check(const core::Comment& c) {
    auto outcome = filter->Check(c, Key(), "v1");
    REQUIRE(outcome);
    return *outcome;
  }
  // What memory would tell the checks about `c`, without counting it (a test comment).
  signals::History Probe(core::Comment c, int64_t at_ms) {
    c.is_test = true;
    const text::TextAnalysis text = text::Analyze(c.comment_content);
    engine::Sighting s;
    s.site_url = kSite;
    s.comment = &c;
    s.text = &text;
    s.at_ms = at_ms;
    s.footprint = memory->Trace(c, text, kSite);
    return memory->Recall(s);
  }
};

const signals::TraitHistory* Trait(const signals::History& h, TraitKind kind) {
  for (const auto& t : h.traits) {
    if (t.kind == kind) return &t;
  }
  return nullptr;
}

bool HasReason(const core::Decision& d, const std::string& check) {
  for (const auto& r : d.reasons) {
    if (r.check == check) return true;
  }
  return false;
}

struct Fixture {
  testing::TempDir dir;
  testing::FixedClock clock;
  testing::FakeClassifier classifier;
  std::string path = dir.File("hamlet.db");
};

}  // namespace

TEST_SUITE("engine/memory") {
  TEST_CASE("verdicts teach reputation by IP and e-mail, on the site and for all sites") {
    Fixture f;
    Node node(f.path, f.clock, f.classifier);
    for (int i = 0; i < 3; ++i) {
      node.Check(Comment("spammy pills number " + std::to_string(i), "203.0.113.7", "s@x.example"));
      f.clock.Advance(10 * kMinute);
    }
    const auto h = node.Probe(Comment("hello", "203.0.113.7", "s@x.example"), f.clock.NowMillis());
    REQUIRE(h.available);
    const auto* ip = Trait(h, TraitKind::kIp);
    REQUIRE(ip != nullptr);
    CHECK(ip->site.spam > 2.9);
    CHECK(ip->global.spam == doctest::Approx(ip->site.spam));
    CHECK(ip->site.ham == 0.0);
    CHECK(Trait(h, TraitKind::kEmail)->site.spam > 2.9);
    // A neighbour in the same /24 sees the network's history, not the IP's.
    const auto n = node.Probe(Comment("hello", "203.0.113.99"), f.clock.NowMillis());
    CHECK(Trait(n, TraitKind::kIp)->site.empty());
    CHECK(Trait(n, TraitKind::kNet)->site.spam > 2.9);
    // The fourth comment from that IP carries a reputation reason.
    auto fourth = node.Check(Comment("an ordinary question about the recipe", "203.0.113.7"));
    CHECK(HasReason(fourth.decision, "reputation.ip"));
  }

  TEST_CASE("a moderator's label replaces the verdict's count and a later label replaces it") {
    Fixture f;
    Node node(f.path, f.clock, f.classifier);
    auto checked = node.Check(Comment("spammy offer", "198.51.100.1"));
    auto ip = [&] {
      return *Trait(node.Probe(Comment("x", "198.51.100.1"), f.clock.NowMillis()), TraitKind::kIp);
    };
    CHECK(ip().site.spam == doctest::Approx(1.0));
    node.Mark(checked.id, engine::Label::kHam, "alice");
    f.clock.Advance(2'000);  // the next catch-up
    CHECK(ip().site.spam == doctest::Approx(0.0));
    CHECK(ip().site.approved == doctest::Approx(1.0));
    node.Mark(checked.id, engine::Label::kSpam, "bob");
    f.clock.Advance(2'000);
    CHECK(ip().site.approved == doctest::Approx(0.0));
    CHECK(ip().site.reported == doctest::Approx(1.0));
    CHECK(ip().site.spam == doctest::Approx(0.0));
  }

  TEST_CASE("submit-spam without a guid finds the decision and teaches at once") {
    Fixture f;
    Node node(f.path, f.clock, f.classifier);
    const core::Comment c = Comment("a friendly looking comment", "192.0.2.44", "m@y.example");
    auto checked = node.Check(c);
    CHECK(checked.decision.verdict == core::Verdict::kHam);
    auto outcome = node.feedback->Submit(c, node.Key(), engine::Label::kSpam, "", "akismet");
    REQUIRE(outcome);
    CHECK(outcome->decision_id == checked.id);
    const auto h = node.Probe(Comment("x", "192.0.2.44", "m@y.example"), f.clock.NowMillis());
    CHECK(Trait(h, TraitKind::kEmail)->site.reported == doctest::Approx(1.0));
    CHECK(Trait(h, TraitKind::kEmail)->site.ham == doctest::Approx(0.0));
  }

  TEST_CASE("a campaign is seen from the second sender on and the first is not punished") {
    Fixture f;
    Node node(f.path, f.clock, f.classifier);
    auto first = node.Check(Comment(kCampaignText, "203.0.113.1"));
    f.clock.Advance(kMinute);
    auto second = node.Check(Comment(kCampaignText, "198.51.100.2"));
    f.clock.Advance(kMinute);
    auto third = node.Check(Comment(kCampaignText + "!!", "192.0.2.3"));
    CHECK_FALSE(HasReason(first.decision, "campaign"));
    CHECK(HasReason(second.decision, "campaign"));
    REQUIRE(HasReason(third.decision, "campaign"));
    double third_campaign = 0;
    for (const auto& r : third.decision.reasons) {
      if (r.check == "campaign") third_campaign = r.contribution;
    }
    CHECK(third_campaign == doctest::Approx(3.0));
    // Outside the window it is a first sighting again.
    f.clock.Advance(73 * 60 * kMinute);
    CHECK_FALSE(HasReason(node.Check(Comment(kCampaignText, "203.0.113.9")).decision, "campaign"));
  }

  TEST_CASE("what only history pushed over the threshold teaches reputation nothing") {
    Fixture f;
    f.classifier.fixed_margin = -1.0;  // ham on its own, but close
    Node node(f.path, f.clock, f.classifier);
    std::vector<engine::CheckOutcome> outcomes;
    for (int i = 0; i < 3; ++i) {
      outcomes.push_back(node.Check(Comment(kCampaignText, "203.0.113." + std::to_string(i + 1))));
    }
    REQUIRE(outcomes[2].decision.verdict == core::Verdict::kSpam);  // -1 + 3 (campaign)
    auto stored = node.store->GetDecision(outcomes[2].id).value();
    REQUIRE(stored->memory.has_value());
    CHECK(stored->memory->lesson == "");  // -1 alone is within the uncertain band: nothing
    f.classifier.fixed_margin = -3.2;
    auto clear = node.Check(Comment(kCampaignText, "203.0.113.4"));
    CHECK(clear.decision.verdict == core::Verdict::kSpam);  // -3.2 + 4.5
    CHECK(node.store->GetDecision(clear.id).value()->memory->lesson == "ham");
  }

  TEST_CASE("a burst from one IP is counted across the last minute") {
    Fixture f;
    Node node(f.path, f.clock, f.classifier);
    engine::CheckOutcome last;
    for (int i = 0; i < 5; ++i) {
      last = node.Check(Comment("comment number " + std::to_string(i), "203.0.113.50"));
      f.clock.Advance(5'000);
    }
    CHECK(HasReason(last.decision, "rate.ip"));
    const auto h = node.Probe(Comment("x", "203.0.113.50"), f.clock.NowMillis());
    CHECK(h.rate.ip_last_minute == 5);
  }

  TEST_CASE("rechecks and tests are not counted against themselves") {
    Fixture f;
    Node node(f.path, f.clock, f.classifier);
    const core::Comment c = Comment(kCampaignText, "203.0.113.60", "r@x.example");
    node.Check(c);
    core::Comment recheck = c;
    recheck.recheck_reason = "edit";
    recheck.fields.emplace_back("recheck_reason", "edit");
    auto again = node.Check(recheck);
    CHECK_FALSE(HasReason(again.decision, "campaign"));
    CHECK_FALSE(HasReason(again.decision, "rate.ip"));
    node.Check(Comment(kCampaignText, "203.0.113.61", "", /*is_test=*/true));
    const auto h =
        node.Probe(Comment(kCampaignText, "203.0.113.62", "r@x.example"), f.clock.NowMillis());
    CHECK(h.campaign.copies == 1);  // the first check only
    CHECK(h.rate.ip_last_minute == 0);
    CHECK(h.prior_comments_by_author == 1);
    CHECK(Trait(h, TraitKind::kEmail)->site.ham == doctest::Approx(1.0));
  }

  TEST_CASE("rebuilding from the store after a restart gives the same History") {
    Fixture f;
    const core::Comment probe = Comment(kCampaignText, "203.0.113.7", "s@x.example");
    signals::History before;
    {
      Node node(f.path, f.clock, f.classifier);
      std::string labelled;
      for (int i = 0; i < 6; ++i) {
        auto outcome = node.Check(Comment(i % 2 ? kCampaignText : "spammy " + std::to_string(i),
                                          "203.0.113." + std::to_string(7 + i % 3), "s@x.example"));
        if (i == 1) labelled = outcome.id;
        f.clock.Advance(7 * kMinute);
      }
      node.Mark(labelled, engine::Label::kSpam, "alice");
      f.clock.Advance(2'000);
      // Submitted with no decision to link: learnt from the submitted fields.
      REQUIRE(node.feedback->Submit(Comment("never checked", "203.0.113.7", "s@x.example"),
                                    node.Key(), engine::Label::kSpam, "", "akismet"));
      before = node.Probe(probe, f.clock.NowMillis());
    }
    Node restarted(f.path, f.clock, f.classifier);
    const auto& stats = restarted.memory->rebuild_stats();
    CHECK(stats.decisions == 6);
    CHECK(stats.feedback == 2);
    const signals::History after = restarted.Probe(probe, f.clock.NowMillis());
    REQUIRE(after.traits.size() == before.traits.size());
    for (size_t i = 0; i < after.traits.size(); ++i) {
      CAPTURE(i);
      const auto &a = after.traits[i], &b = before.traits[i];
      CHECK(a.kind == b.kind);
      for (auto [x, y] : {std::pair{a.site, b.site}, std::pair{a.global, b.global}}) {
        CHECK(x.spam == doctest::Approx(y.spam));
        CHECK(x.ham == doctest::Approx(y.ham));
        CHECK(x.reported == doctest::Approx(y.reported));
        CHECK(x.approved == doctest::Approx(y.approved));
      }
    }
    CHECK(before.campaign.copies == 3);
    CHECK(after.campaign.copies == before.campaign.copies);
    CHECK(after.campaign.senders == before.campaign.senders);
    CHECK(after.campaign.reported == before.campaign.reported);
    CHECK(after.rate.ip_last_hour == before.rate.ip_last_hour);
    CHECK(after.prior_comments_by_author == before.prior_comments_by_author);
    CHECK(Trait(after, TraitKind::kEmail)->site.reported == doctest::Approx(2.0).epsilon(0.01));
  }

  TEST_CASE("decisions stored without memory are derived from their fields at rebuild") {
    Fixture f;
    {
      Node plain(f.path, f.clock, f.classifier, /*with_memory=*/false);
      auto outcome = plain.Check(Comment("spammy stuff", "203.0.113.70"));
      CHECK_FALSE(plain.store->GetDecision(outcome.id).value()->memory.has_value());
    }
    Node node(f.path, f.clock, f.classifier);
    const auto h = node.Probe(Comment("x", "203.0.113.70"), f.clock.NowMillis());
    CHECK(Trait(h, TraitKind::kIp)->site.spam == doctest::Approx(1.0));
  }

  TEST_CASE("labels stored by another process are learnt on catch-up and only once") {
    Fixture f;
    Node node(f.path, f.clock, f.classifier);
    auto checked = node.Check(Comment("spammy", "203.0.113.80"));
    // `hamlet mark-ham` in another process: same database, no memory.
    Node cli(f.path, f.clock, f.classifier, /*with_memory=*/false);
    cli.Mark(checked.id, engine::Label::kHam, "carol");
    auto approved = [&] {
      return Trait(node.Probe(Comment("x", "203.0.113.80"), f.clock.NowMillis()), TraitKind::kIp)
          ->site.approved;
    };
    CHECK(approved() == doctest::Approx(0.0));  // not yet: caught up every 2 s
    f.clock.Advance(2'000);
    CHECK(approved() == doctest::Approx(1.0));
    // Feedback through this process is learnt at once; the catch-up does not learn it again.
    auto other = node.Check(Comment("spammy two", "203.0.113.81"));
    REQUIRE(node.feedback->Submit(Comment("not linked", "203.0.113.80"), node.Key(),
                                  engine::Label::kHam, "", "v1"));
    CHECK(approved() == doctest::Approx(2.0));
    f.clock.Advance(2'000);
    REQUIRE(node.memory->CatchUp().ok());
    CHECK(approved() == doctest::Approx(2.0));
    (void)other;
  }

  TEST_CASE("an undo in another process is unlearnt on catch-up: the label left counts again") {
    Fixture f;
    Node node(f.path, f.clock, f.classifier);
    auto checked = node.Check(Comment("spammy offer", "198.51.100.7"));
    auto ip = [&] {
      return *Trait(node.Probe(Comment("x", "198.51.100.7"), f.clock.NowMillis()), TraitKind::kIp);
    };
    Node cli(f.path, f.clock, f.classifier, /*with_memory=*/false);
    const int64_t ham = cli.Mark(checked.id, engine::Label::kHam, "carol");
    f.clock.Advance(2'000);
    CHECK(ip().site.approved == doctest::Approx(1.0));
    CHECK(ip().site.spam == doctest::Approx(0.0));

    // Undone: no label is left, so the verdict's own lesson counts again.
    cli.Undo(ham);
    f.clock.Advance(2'000);
    CHECK(ip().site.approved == doctest::Approx(0.0));
    CHECK(ip().site.spam == doctest::Approx(1.0));

    // Two labels, the later undone: the earlier is in force again. Then that one is undone
    // too, in the same catch-up window as a new label: the new label wins.
    const int64_t spam = cli.Mark(checked.id, engine::Label::kSpam, "carol");
    const int64_t ham_again = cli.Mark(checked.id, engine::Label::kHam, "erin");
    f.clock.Advance(2'000);
    CHECK(ip().site.approved == doctest::Approx(1.0));
    cli.Undo(ham_again);
    f.clock.Advance(2'000);
    CHECK(ip().site.approved == doctest::Approx(0.0));
    CHECK(ip().site.reported == doctest::Approx(1.0));
    cli.Undo(spam);
    f.clock.Advance(2'000);
    CHECK(ip().site.reported == doctest::Approx(0.0));
    CHECK(ip().site.spam == doctest::Approx(1.0));

    // A restart rebuilds the same from the store.
    const signals::TraitHistory before = ip();
    Node restarted(f.path, f.clock, f.classifier);
    const auto after = *Trait(restarted.Probe(Comment("x", "198.51.100.7"), f.clock.NowMillis()),
                              TraitKind::kIp);
    CHECK(after.site.spam == doctest::Approx(before.site.spam));
    CHECK(after.site.reported == doctest::Approx(before.site.reported));
    CHECK(after.site.approved == doctest::Approx(before.site.approved));
    CHECK(restarted.memory->rebuild_stats().undos > 0);
  }

  TEST_CASE("undos read in one catch-up or in several leave the same label in force") {
    // Labels 1 (spam) and 2 (ham), then undos of 2 and of 1. Read together, both undos say
    // no label is left; read apart, the first says label 1 is left, the second none.
    const core::Comment c = Comment("hello", "203.0.113.91");
    const text::TextAnalysis text = text::Analyze(c.comment_content);
    auto label = [&](engine::LocalMemory& m, int64_t id, bool spam) {
      engine::Correction k;
      k.feedback_id = id;
      k.spam = spam;
      k.decision_id = "d1";
      k.site_url = kSite;
      k.at_ms = 1'700'000'000'000;
      k.footprint = m.Trace(c, text, kSite);
      k.lesson = engine::Lesson::kHam;
      return k;
    };
    auto undo = [&](engine::LocalMemory& m, int64_t revoked, std::optional<int64_t> left,
                    bool spam) {
      engine::Correction k = label(m, left.value_or(0), spam);
      k.revoked_feedback_id = revoked;
      k.label_removed = !left.has_value();
      return k;
    };
    auto ip = [&](engine::LocalMemory& m) {
      engine::Sighting s;
      s.site_url = kSite;
      s.comment = &c;
      s.text = &text;
      s.at_ms = 1'700'000'000'000;
      s.footprint = m.Trace(c, text, kSite);
      return *Trait(m.Recall(s), TraitKind::kIp);
    };
    for (const bool together : {true, false}) {
      CAPTURE(together);
      engine::LocalMemory m({}, "salt");
      m.Learn(label(m, 1, true));
      m.Learn(label(m, 2, false));
      CHECK(ip(m).site.approved == doctest::Approx(1.0));
      if (together) {
        m.Learn(undo(m, 2, std::nullopt, false));
      } else {
        m.Learn(undo(m, 2, 1, true));
        CHECK(ip(m).site.reported == doctest::Approx(1.0));
        CHECK(ip(m).site.approved == doctest::Approx(0.0));
      }
      m.Learn(undo(m, 1, std::nullopt, false));
      CHECK(ip(m).site.reported == doctest::Approx(0.0));
      CHECK(ip(m).site.approved == doctest::Approx(0.0));
      CHECK(ip(m).site.ham == doctest::Approx(1.0));  // the lesson again
      // Label 1 read late (a slow page) changes nothing; a new label 3 counts.
      m.Learn(label(m, 1, true));
      CHECK(ip(m).site.reported == doctest::Approx(0.0));
      m.Learn(label(m, 3, true));
      CHECK(ip(m).site.reported == doctest::Approx(1.0));
      CHECK(ip(m).site.ham == doctest::Approx(0.0));
      // An undo that knew only labels up to 2 does not take back label 3.
      m.Learn(undo(m, 2, 1, true));
      CHECK(ip(m).site.reported == doctest::Approx(1.0));
    }
  }

  TEST_CASE("memory stays within its caps whatever arrives") {
    engine::MemoryOptions options;
    options.max_reputation_entries = 1000;
    options.max_campaign_sightings = 1000;
    options.max_rate_senders = 1000;
    options.max_labels = 1000;
    engine::LocalMemory memory(options, "salt");
    for (int i = 0; i < 5000; ++i) {
      // Built by appending: GCC 12's -Wrestrict misfires on "x" + std::to_string(i).
      const std::string n = std::to_string(i);
      std::string ip = "10.";
      ip.append(std::to_string(i / 65536 % 256)).append(".").append(std::to_string(i / 256 % 256));
      ip.append(".").append(std::to_string(i % 256));
      std::string email = "u";
      email.append(n).append("@example.org");
      std::string text_of_i = "unique comment text number ";
      text_of_i.append(n).append(" with enough words to be fingerprinted by the campaign index");
      const core::Comment c = Comment(text_of_i, ip, email);
      const text::TextAnalysis text = text::Analyze(c.comment_content);
      engine::Sighting s;
      s.decision_id = "d";
      s.decision_id.append(n);
      s.site_url = kSite;
      s.comment = &c;
      s.text = &text;
      s.at_ms = 1'700'000'000'000 + i;
      s.footprint = memory.Trace(c, text, kSite);
      (void)memory.Recall(s);
      memory.Record(s, engine::Lesson::kHam);
      engine::Correction label;
      label.feedback_id = i + 1;
      label.spam = true;
      label.decision_id = s.decision_id;
      label.site_url = kSite;
      label.at_ms = s.at_ms;
      label.footprint = s.footprint;
      label.lesson = engine::Lesson::kHam;
      memory.Learn(label);
    }
    const engine::MemoryStats stats = memory.Stats();
    CHECK(stats.reputation_entries <= 1000 + 64);  // per-shard shares, rounded
    CHECK(stats.campaign_sightings <= 1000);
    CHECK(stats.rate_senders <= 1000 + 32);
    CHECK(stats.labels <= 1000);
    CHECK(stats.reputation_entries > 500);
  }

  TEST_CASE("concurrent checks and labels on one memory agree with the same work done alone") {
    // Four threads recall and record the same 400 comments' sightings (100 each) while a fifth
    // labels some of them; the counts must come out as if done one after the other (the locks
    // are per shard and per index; run under scripts/sanitize.sh for data races).
    engine::LocalMemory memory({}, "salt");
    const int64_t t0 = 1'700'000'000'000;
    std::vector<core::Comment> comments;
    for (int i = 0; i < 400; ++i) {
      std::string ip = "198.51.100.";
      ip.append(std::to_string(i % 8));
      comments.push_back(Comment(kCampaignText, ip, "same@x.example"));
    }
    auto check = [&](int first) {
      for (int i = first; i < first + 100; ++i) {
        const core::Comment& c = comments[static_cast<size_t>(i)];
        const text::TextAnalysis text = text::Analyze(c.comment_content);
        engine::Sighting s;
        s.decision_id = std::to_string(i);
        s.site_url = kSite;
        s.comment = &c;
        s.text = &text;
        s.at_ms = t0 + i;
        s.footprint = memory.Trace(c, text, kSite);
        (void)memory.Recall(s);
        memory.Record(s, engine::Lesson::kSpam);
      }
    };
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) threads.emplace_back(check, t * 100);
    for (auto& t : threads) t.join();
    const core::Comment probe = Comment("x", "198.51.100.1", "same@x.example", true);
    const text::TextAnalysis text = text::Analyze(probe.comment_content);
    engine::Sighting s;
    s.site_url = kSite;
    s.comment = &probe;
    s.text = &text;
    s.at_ms = t0 + 1000;
    s.footprint = memory.Trace(probe, text, kSite);
    const auto h = memory.Recall(s);
    CHECK(Trait(h, TraitKind::kEmail)->site.spam == doctest::Approx(400.0).epsilon(0.001));
    CHECK(Trait(h, TraitKind::kIp)->site.spam == doctest::Approx(50.0).epsilon(0.001));
    CHECK(h.prior_comments_by_author == 400);
    CHECK(h.rate.email_last_hour == static_cast<int>(engine::RateIndex::kMaxPerKey));
  }

  TEST_CASE("a stale label is ignored and the options are validated") {
    engine::LocalMemory memory({}, "salt");
    const core::Comment c = Comment("hello", "203.0.113.90");
    const text::TextAnalysis text = text::Analyze(c.comment_content);
    engine::Correction newer;
    newer.feedback_id = 5;
    newer.spam = true;
    newer.decision_id = "d1";
    newer.site_url = kSite;
    newer.at_ms = 1'700'000'000'000;
    newer.footprint = memory.Trace(c, text, kSite);
    memory.Learn(newer);
    engine::Correction older = newer;
    older.feedback_id = 4;
    older.spam = false;
    memory.Learn(older);
    engine::Sighting s;
    s.site_url = kSite;
    s.comment = &c;
    s.text = &text;
    s.at_ms = newer.at_ms;
    s.footprint = newer.footprint;
    const auto h = memory.Recall(s);
    CHECK(Trait(h, TraitKind::kIp)->site.reported == doctest::Approx(1.0));
    CHECK(Trait(h, TraitKind::kIp)->site.approved == 0.0);

    engine::MemoryOptions bad;
    bad.half_life_ms = 1000;
    CHECK(bad.Validate().code() == core::StatusCode::kInvalidArgument);
    bad = {};
    bad.campaign_window_ms = 0;
    CHECK_FALSE(bad.Validate().ok());
    bad = {};
    bad.max_labels = 10;
    CHECK_FALSE(bad.Validate().ok());
    CHECK(engine::MemoryOptions{}.Validate().ok());
  }

  TEST_CASE_TEMPLATE("two nodes on one database learn each other's decisions once on catch-up",
                     Backend, testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(db, Backend);
    testing::FixedClock clock;
    testing::FakeClassifier classifier;
    Node a(db.OpenAnother(), clock, classifier);
    auto first = a.Check(Comment(kCampaignText, "203.0.113.1"));
    // b starts after a's first copy (its rebuild reads it) and judges the second copy.
    Node b(db.OpenAnother(), clock, classifier);
    clock.Advance(1'000);  // within the catch-up interval (2 s)
    auto second = b.Check(Comment(kCampaignText, "198.51.100.2"));
    CHECK_FALSE(HasReason(first.decision, "campaign"));
    CHECK(HasReason(second.decision, "campaign"));
    // a has not caught up yet: it knows only its own copy.
    CHECK(a.Probe(Comment(kCampaignText, "192.0.2.3"), clock.NowMillis()).campaign.copies == 1);

    // a catches up on the check path once the interval has passed; b on request, twice.
    clock.Advance(2'000);
    const signals::History on_a = a.Probe(Comment(kCampaignText, "192.0.2.3"), clock.NowMillis());
    REQUIRE(b.memory->CatchUp().ok());
    REQUIRE(b.memory->CatchUp().ok());
    const signals::History on_b = b.Probe(Comment(kCampaignText, "192.0.2.3"), clock.NowMillis());
    for (const signals::History* h : {&on_a, &on_b}) {
      CHECK(h->campaign.copies == 2);
      CHECK(h->campaign.senders == 3);
    }
    // Each verdict taught its sender's IP once on both nodes, whichever node judged it.
    for (Node* node : {&a, &b}) {
      for (const char* ip : {"203.0.113.1", "198.51.100.2"}) {
        const signals::History h = node->Probe(Comment("x", ip), clock.NowMillis());
        const signals::TraitHistory* trait = Trait(h, TraitKind::kIp);
        REQUIRE(trait != nullptr);
        CHECK_MESSAGE(trait->site.ham + trait->site.spam == doctest::Approx(1.0), ip);
      }
    }
    // The third copy is caught by either node.
    clock.Advance(kMinute);
    auto third = a.Check(Comment(kCampaignText, "192.0.2.3"));
    double campaign = 0;
    for (const auto& r : third.decision.reasons) {
      if (r.check == "campaign") campaign = r.contribution;
    }
    CHECK(campaign == doctest::Approx(3.0));
    // A node opened now rebuilds the same picture, and its catch-up adds nothing to it.
    Node c(db.OpenAnother(), clock, classifier);
    REQUIRE(c.memory->CatchUp().ok());
    CHECK(c.Probe(Comment(kCampaignText, "192.0.2.4"), clock.NowMillis()).campaign.copies == 3);
  }

  TEST_CASE("a label committed after a greater feedback id was read is learnt on catch-up") {
    HAMLET_OPEN_TEST_STORE(db, testing::PostgresBackend);
    testing::FixedClock clock;
    testing::FakeClassifier classifier;
    Node node(db.OpenAnother(), clock, classifier);
    auto checked = node.Check(Comment("spammy", "203.0.113.90"));
    auto approved = [&] {
      return Trait(node.Probe(Comment("x", "203.0.113.90"), clock.NowMillis()), TraitKind::kIp)
          ->site.approved;
    };
    // A moderator on another node says ham; that row took its id before another node's feedback
    // and commits after it, after this node's catch-up read the greater id.
    std::unique_ptr<store::Store> other = db.OpenAnother();
    store::FeedbackRecord late;
    late.decision_id = checked.id;
    late.label = "ham";
    late.source = "cli";
    late.moderator = "carol";
    late.created_ms = clock.NowMillis();
    testing::CommitFeedbackLate(db.location(), *other, late, [&] {
      REQUIRE(node.memory->CatchUp().ok());
      CHECK(approved() == doctest::Approx(0.0));
    });
    REQUIRE(node.memory->CatchUp().ok());
    CHECK(approved() == doctest::Approx(1.0));
    REQUIRE(node.memory->CatchUp().ok());
    CHECK(approved() == doctest::Approx(1.0));  // once
  }
}

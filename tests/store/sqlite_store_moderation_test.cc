// Tests for the store's moderation side on both backends: moderator actions and their undo
// (and what an undo does to the latest label, retraining's labels and Akismet's statistics),
// the decision filter with its text search (FTS5, tsvector), bulk import, and the retention
// purge.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "store/sqlite_store.h"
#include "support/sqlite_probe.h"
#include "support/store_backends.h"
#include "support/temp_dir.h"

namespace hamlet::store {
namespace {

constexpr int64_t kDay = 24LL * 3600 * 1000;
constexpr int64_t kT0 = 1'700'000'000'000;  // 2023-11-14

DecisionRecord Decision(const std::string& id, int64_t created_ms, const std::string& content,
                        core::Verdict verdict = core::Verdict::kSpam, double score = 0.9) {
  DecisionRecord r;
  r.id = id;
  r.created_ms = created_ms;
  r.channel = "akismet";
  r.site_url = "http://blog.example/";
  r.comment = core::CommentFromFields({{"blog", "http://blog.example/"},
                                       {"comment_content", content},
                                       {"comment_author", "Author " + id},
                                       {"comment_author_email", id + "@mail.example"},
                                       {"comment_author_url", "http://" + id + ".example/"},
                                       {"user_ip", "203.0.113." + std::to_string(id.size())},
                                       {"user_agent", "Mozilla/5.0"},
                                       {"referrer", "http://ref.example/"}});
  r.decision.verdict = verdict;
  r.decision.score = score;
  r.decision.reasons = {{"model", 2.5, "text model: P(spam) = 0.9"},
                        {"links.count", 0.75, "3 links in the text"}};
  r.model_version = "m@1";
  r.match_key = "mk-" + id;
  return r;
}

FeedbackRecord Label(const std::string& decision_id, const std::string& label, int64_t at,
                     const std::string& source = "akismet") {
  FeedbackRecord f;
  f.decision_id = decision_id;
  f.label = label;
  f.source = source;
  f.created_ms = at;
  f.fields = {{"comment_content", "as reported"}, {"user_ip", "203.0.113.9"}};
  return f;
}

ModeratorAction Action(const std::string& moderator, const std::string& label, int64_t at) {
  ModeratorAction a;
  a.moderator = moderator;
  a.label = label;
  a.origin = "mark";
  a.selection = "email=someone@mail.example";
  a.created_ms = at;
  return a;
}

FeedbackRecord ByModerator(const std::string& decision_id, const std::string& label,
                           const std::string& moderator, int64_t at) {
  FeedbackRecord f = Label(decision_id, label, at, "cli");
  f.moderator = moderator;
  f.fields.clear();
  return f;
}

std::vector<std::string> Ids(Store& store, DecisionFilter filter) {
  filter.limit = 100;
  auto listed = store.ListDecisions(filter);
  REQUIRE_MESSAGE(listed.has_value(), listed.error().ToString());
  std::vector<std::string> ids;
  for (const auto& r : *listed) ids.push_back(r.id);
  return ids;
}

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

std::vector<LabeledFeedback> AllLabels(Store& store) {
  auto page = store.ListLabeledFeedback(0, 1000);
  REQUIRE(page.has_value());
  return *page;
}

}  // namespace

TEST_SUITE("store/sqlite_store_moderation") {
  TEST_CASE_TEMPLATE(
      "an action writes its feedback rows at once and its undo restores the earlier label", Backend,
      testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    REQUIRE(store->AppendDecision(Decision("d1", kT0, "cheap pills")).ok());
    REQUIRE(store->AppendDecision(Decision("d2", kT0 + 1, "nice post", core::Verdict::kHam)).ok());
    // A site said ham for d1 earlier.
    REQUIRE(store->AppendFeedback(Label("d1", "ham", kT0 + 10)).has_value());

    auto action = store->AppendModeratorAction(Action("alice", "spam", kT0 + 20),
                                               {ByModerator("d1", "spam", "alice", kT0 + 20),
                                                ByModerator("d2", "spam", "alice", kT0 + 20)},
                                               {});
    REQUIRE(action.has_value());
    CHECK(action->id > 0);
    CHECK(action->item_count == 2);
    CHECK((*store->GetDecision("d1"))->feedback_label == "spam");
    CHECK((*store->GetDecision("d2"))->feedback_label == "spam");
    auto rows = store->ListFeedback("d1");
    REQUIRE(rows->size() == 2);
    CHECK(rows->back().action_id == action->id);
    CHECK_FALSE(rows->back().revoked_ms.has_value());
    auto written = store->ListActionFeedback(action->id);
    REQUIRE(written->size() == 2);
    CHECK((*written)[0].decision_id == "d1");
    CHECK((*written)[1].decision_id == "d2");
    CHECK(store->ListActionFeedback(action->id + 1)->empty());

    auto revoked = store->UndoModeratorAction(action->id, "bob", kT0 + 30, {});
    REQUIRE(revoked.has_value());
    CHECK(*revoked == 2);
    // The site's label is in force again; d2 has none.
    CHECK((*store->GetDecision("d1"))->feedback_label == "ham");
    CHECK_FALSE((*store->GetDecision("d2"))->feedback_label.has_value());
    // History keeps the revoked rows, stamped.
    rows = store->ListFeedback("d1");
    REQUIRE(rows->size() == 2);
    CHECK(rows->back().revoked_ms == kT0 + 30);
    auto stored = store->GetModeratorAction(action->id);
    REQUIRE(stored->has_value());
    CHECK((*stored)->undone_ms == kT0 + 30);
    CHECK((*stored)->undone_by == "bob");

    CHECK(store->UndoModeratorAction(action->id, "bob", kT0 + 40, {}).error().code() ==
          core::StatusCode::kInvalidArgument);
    CHECK(store->UndoModeratorAction(999, "bob", kT0 + 40, {}).error().code() ==
          core::StatusCode::kNotFound);
  }

  TEST_CASE_TEMPLATE("an undone label no longer counts for retraining or Akismet's statistics",
                     Backend, testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    REQUIRE(store->AppendDecision(Decision("d1", kT0, "cheap pills")).ok());
    REQUIRE(store->AppendDecision(Decision("d2", kT0, "more pills")).ok());
    REQUIRE(store->AppendFeedback(Label("d2", "spam", kT0 + 5)).has_value());
    auto action = store->AppendModeratorAction(
        Action("alice", "ham", kT0 + 10),
        {ByModerator("d1", "ham", "alice", kT0 + 10), ByModerator("d2", "ham", "alice", kT0 + 10)},
        {});
    REQUIRE(action.has_value());

    auto labels = AllLabels(*store);
    REQUIRE(labels.size() == 2);
    CHECK(labels[0].label == "ham");
    CHECK(labels[1].label == "ham");
    auto counts = store->CountDecisions(0, 0, kT0 + kDay);
    REQUIRE(counts->size() == 1);
    CHECK((*counts)[0].false_positives == 2);

    REQUIRE(store->UndoModeratorAction(action->id, "alice", kT0 + 20, {}).has_value());
    labels = AllLabels(*store);
    // d1 has no label left; d2's site label (spam) is back.
    REQUIRE(labels.size() == 1);
    CHECK(labels[0].decision_id == "d2");
    CHECK(labels[0].label == "spam");
    counts = store->CountDecisions(0, 0, kT0 + kDay);
    CHECK((*counts)[0].false_positives == 0);
  }

  TEST_CASE_TEMPLATE("an action whose feedback names an unknown decision writes nothing", Backend,
                     testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    REQUIRE(store->AppendDecision(Decision("d1", kT0, "x")).ok());
    auto action = store->AppendModeratorAction(
        Action("alice", "spam", kT0),
        {ByModerator("d1", "spam", "alice", kT0), ByModerator("nope", "spam", "alice", kT0)}, {});
    REQUIRE_FALSE(action.has_value());
    CHECK(action.error().code() == core::StatusCode::kInvalidArgument);
    CHECK(store->ListFeedback("d1")->empty());
    CHECK(store->ListModeratorActions("", true, 10)->empty());
  }

  TEST_CASE_TEMPLATE("lists a moderator's actions newest first and only those in force on request",
                     Backend, testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    REQUIRE(store->AppendDecision(Decision("d1", kT0, "x")).ok());
    auto a1 = store->AppendModeratorAction(Action("alice", "spam", kT0),
                                           {ByModerator("d1", "spam", "alice", kT0)}, {});
    auto b1 = store->AppendModeratorAction(Action("bob", "ham", kT0 + 1),
                                           {ByModerator("d1", "ham", "bob", kT0 + 1)}, {});
    auto a2 = store->AppendModeratorAction(Action("alice", "ham", kT0 + 2),
                                           {ByModerator("d1", "ham", "alice", kT0 + 2)}, {});
    REQUIRE((a1 && b1 && a2));
    auto alice = store->ListModeratorActions("alice", false, 10);
    REQUIRE(alice->size() == 2);
    CHECK((*alice)[0].id == a2->id);
    REQUIRE(store->UndoModeratorAction(a2->id, "alice", kT0 + 3, {}).has_value());
    alice = store->ListModeratorActions("alice", false, 10);
    REQUIRE(alice->size() == 1);
    CHECK((*alice)[0].id == a1->id);
    CHECK(store->ListModeratorActions("alice", true, 10)->size() == 2);
    CHECK(store->ListModeratorActions("", true, 10)->size() == 3);
    CHECK(store->ListModeratorActions("", true, -1).error().code() ==
          core::StatusCode::kInvalidArgument);
    // bob's ham is the latest in force.
    CHECK((*store->GetDecision("d1"))->feedback_label == "ham");
  }

  TEST_CASE_TEMPLATE("filters by site verdict uncertainty label score author e-mail and IP",
                     Backend, testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    auto a = Decision("aa", kT0, "one", core::Verdict::kSpam, 0.95);
    auto b = Decision("bbb", kT0 + 1, "two", core::Verdict::kHam, 0.10);
    b.decision.uncertain = true;
    auto c = Decision("cccc", kT0 + 2, "three", core::Verdict::kDiscard, 0.99);
    c.site_url = "https://other.example/";
    c.comment.blog = "";
    REQUIRE(store->AppendDecision(a).ok());
    REQUIRE(store->AppendDecision(b).ok());
    REQUIRE(store->AppendDecision(c).ok());
    REQUIRE(store->AppendFeedback(Label("aa", "ham", kT0 + 5)).has_value());

    DecisionFilter f;
    f.site = "http://blog.example";  // trailing slash ignored
    CHECK(Sorted(Ids(*store, f)) == std::vector<std::string>{"aa", "bbb"});
    f = {};
    f.site = "https://other.example/";
    CHECK(Ids(*store, f) == std::vector<std::string>{"cccc"});
    f = {};
    f.verdicts = {core::Verdict::kSpam, core::Verdict::kDiscard};
    CHECK(Sorted(Ids(*store, f)) == std::vector<std::string>{"aa", "cccc"});
    f = {};
    f.uncertain_only = true;
    CHECK(Ids(*store, f) == std::vector<std::string>{"bbb"});
    f = {};
    f.flagged_only = true;
    CHECK(Ids(*store, f).size() == 3);
    f.label = LabelFilter::kUnlabeled;
    CHECK(Sorted(Ids(*store, f)) == std::vector<std::string>{"bbb", "cccc"});
    f.label = LabelFilter::kHam;
    CHECK(Ids(*store, f) == std::vector<std::string>{"aa"});
    f.label = LabelFilter::kSpam;
    CHECK(Ids(*store, f).empty());
    f = {};
    f.min_score = 0.9;
    f.max_score = 0.96;
    CHECK(Ids(*store, f) == std::vector<std::string>{"aa"});
    f = {};
    f.author_contains = "AUTHOR BBB";
    CHECK(Ids(*store, f) == std::vector<std::string>{"bbb"});
    f = {};
    f.email_contains = "cccc@";
    CHECK(Ids(*store, f) == std::vector<std::string>{"cccc"});
    f = {};
    f.ip = "203.0.113.2";
    CHECK(Ids(*store, f) == std::vector<std::string>{"aa"});
    f = {};
    f.ip_prefix = "203.0.113.";
    CHECK(Ids(*store, f).size() == 3);
    f.ip_prefix = "198.51.";
    CHECK(Ids(*store, f).empty());
    f = {};
    f.ip_prefix = "203.0.113.%";  // % is literal, not a LIKE wildcard
    CHECK(Ids(*store, f).empty());
    f = {};
    f.mentions = "CCCC.EXAMPLE";
    CHECK(Ids(*store, f) == std::vector<std::string>{"cccc"});

    f = {};
    f.order = DecisionOrder::kRiskiest;
    CHECK(Ids(*store, f) == std::vector<std::string>{"cccc", "aa", "bbb"});
    f.order = DecisionOrder::kOldest;
    CHECK(Ids(*store, f) == std::vector<std::string>{"aa", "bbb", "cccc"});
    f.order = DecisionOrder::kNewest;
    CHECK(Ids(*store, f) == std::vector<std::string>{"cccc", "bbb", "aa"});
    f.flagged_only = true;
    CHECK(store->CountMatchingDecisions(f).value() == 3);
    f.label = LabelFilter::kUnlabeled;
    CHECK(store->CountMatchingDecisions(f).value() == 2);
  }

  TEST_CASE_TEMPLATE(
      "text search matches whole words ignoring case and accents phrases and prefixes", Backend,
      testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    REQUIRE(
        store->AppendDecision(Decision("d1", kT0, "Buy CHEAP pills at http://pills.example now"))
            .ok());
    REQUIRE(store->AppendDecision(Decision("d2", kT0 + 1, "Le café était très bon")).ok());
    REQUIRE(store->AppendDecision(Decision("d3", kT0 + 2, "pills are cheap, buy")).ok());
    DecisionFilter f;
    f.text = "cheap pills";
    CHECK(Sorted(Ids(*store, f)) == std::vector<std::string>{"d1", "d3"});
    f.text = "\"cheap pills\"";
    CHECK(Ids(*store, f) == std::vector<std::string>{"d1"});
    f.text = "cafe TRES";
    CHECK(Ids(*store, f) == std::vector<std::string>{"d2"});
    f.text = "pil*";
    CHECK(Ids(*store, f).size() == 2);
    f.text = "pil";  // whole words only
    CHECK(Ids(*store, f).empty());
    f.text = "pills.example";  // a URL's parts, as a phrase
    CHECK(Ids(*store, f) == std::vector<std::string>{"d1"});
    f.text = "Author d2";  // the author name is searched too
    CHECK(Ids(*store, f) == std::vector<std::string>{"d2"});
    // FTS5 syntax in the query is text, never an operator or a column filter.
    f.text = "cheap OR NEAR( decision_id:d2 )";
    CHECK(Ids(*store, f).empty());
    f.text = "\"unclosed";
    CHECK(store->ListDecisions(f).error().code() == core::StatusCode::kInvalidArgument);
    f.text = "  ( * ) ";
    CHECK(store->ListDecisions(f).error().code() == core::StatusCode::kInvalidArgument);
  }

  TEST_CASE_TEMPLATE("counts volumes per day site verdict and label and reasons per check", Backend,
                     testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    REQUIRE(store->AppendDecision(Decision("d1", kT0, "a", core::Verdict::kSpam)).ok());
    REQUIRE(store->AppendDecision(Decision("d2", kT0 + 1, "b", core::Verdict::kSpam)).ok());
    auto ham = Decision("d3", kT0 + kDay, "c", core::Verdict::kHam);
    ham.decision.reasons = {{"model", -3.0, "ham"}};
    REQUIRE(store->AppendDecision(ham).ok());
    REQUIRE(store->AppendFeedback(Label("d2", "ham", kT0 + 5)).has_value());
    DecisionFilter all;
    auto volumes = store->CountVolumes(all);
    REQUIRE(volumes.has_value());
    REQUIRE(volumes->size() == 3);
    CHECK((*volumes)[0].day == "2023-11-14");
    CHECK((*volumes)[0].site == "http://blog.example/");
    CHECK((*volumes)[0].verdict == core::Verdict::kSpam);
    CHECK((*volumes)[0].label == "");
    CHECK((*volumes)[0].count == 1);
    CHECK((*volumes)[1].label == "ham");
    CHECK((*volumes)[2].day == "2023-11-15");
    auto reasons = store->CountReasons(all, 10);
    REQUIRE(reasons.has_value());
    REQUIRE(reasons->size() == 2);
    CHECK((*reasons)[0].check == "model");
    CHECK((*reasons)[0].decisions == 3);
    CHECK((*reasons)[1].check == "links.count");
    CHECK((*reasons)[1].decisions == 2);
    CHECK(store->CountReasons(all, 1)->size() == 1);
  }

  TEST_CASE_TEMPLATE("purge blanks personal fields in batches and keeps every count", Backend,
                     testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    for (int i = 0; i < 5; ++i) {
      std::string id = "old";
      id += std::to_string(i);
      REQUIRE(store->AppendDecision(Decision(id, kT0 + i, "cheap pills")).ok());
    }
    REQUIRE(store->AppendDecision(Decision("new", kT0 + 10 * kDay, "cheap pills")).ok());
    REQUIRE(store->AppendFeedback(Label("old0", "ham", kT0 + 100)).has_value());
    FeedbackRecord orphan = Label("", "spam", kT0 + 100);
    REQUIRE(store->AppendFeedback(orphan).has_value());
    auto action = store->AppendModeratorAction(
        Action("alice", "spam", kT0 + 200), {ByModerator("old1", "spam", "alice", kT0 + 200)}, {});
    REQUIRE(action.has_value());

    const auto counts_before = store->CountDecisions(0, 0, kT0 + 20 * kDay).value();
    const auto volumes_before = store->CountVolumes({}).value();
    const int64_t cutoff = kT0 + kDay;
    auto preview = store->CountPurgeable(cutoff);
    CHECK(preview->decisions == 5);
    CHECK(preview->feedback == 3);
    CHECK(preview->actions == 1);

    auto first = store->PurgePersonalData(cutoff, kT0 + 11 * kDay, 2);
    REQUIRE(first.has_value());
    CHECK(first->decisions == 2);
    CHECK(first->feedback == 2);
    int64_t decisions = first->decisions;
    for (;;) {
      auto batch = store->PurgePersonalData(cutoff, kT0 + 11 * kDay, 2);
      REQUIRE(batch.has_value());
      decisions += batch->decisions;
      if (batch->decisions == 0 && batch->feedback == 0 && batch->actions == 0) break;
    }
    CHECK(decisions == 5);
    CHECK(store->CountPurgeable(cutoff)->decisions == 0);

    auto old = store->GetDecision("old3");
    REQUIRE(old->has_value());
    const auto& r = **old;
    CHECK(r.purged_ms == kT0 + 11 * kDay);
    for (const std::string* field :
         {&r.comment.comment_content, &r.comment.comment_author, &r.comment.comment_author_email,
          &r.comment.comment_author_url, &r.comment.user_ip, &r.comment.user_agent,
          &r.comment.referrer, &r.match_key}) {
      CHECK(field->empty());
    }
    CHECK(r.comment.fields.empty());
    CHECK(r.comment.blog == "http://blog.example/");  // the site is not personal
    REQUIRE(r.decision.reasons.size() == 2);
    CHECK(r.decision.reasons[1].check == "links.count");
    CHECK(r.decision.reasons[1].contribution == doctest::Approx(0.75));
    CHECK(r.decision.reasons[1].detail.empty());
    CHECK(r.decision.verdict == core::Verdict::kSpam);
    const auto old_feedback = store->ListFeedback("old0").value();
    REQUIRE(old_feedback.size() == 1);
    for (const auto& f : old_feedback) {
      CHECK(f.fields.empty());
      CHECK(f.purged_ms.has_value());
    }
    CHECK((*store->GetModeratorAction(action->id))->selection.empty());
    // The recent decision is untouched.
    auto recent = store->GetDecision("new");
    CHECK((*recent)->comment.comment_content == "cheap pills");
    CHECK_FALSE((*recent)->purged_ms.has_value());

    // Counts are the same; the text search no longer finds the purged text.
    const auto counts_after = store->CountDecisions(0, 0, kT0 + 20 * kDay).value();
    REQUIRE(counts_after.size() == counts_before.size());
    CHECK(counts_after[0].spam == counts_before[0].spam);
    CHECK(counts_after[0].false_positives == counts_before[0].false_positives);
    const auto volumes_after = store->CountVolumes({}).value();
    REQUIRE(volumes_after.size() == volumes_before.size());
    for (size_t i = 0; i < volumes_after.size(); ++i) {
      CHECK(volumes_after[i].count == volumes_before[i].count);
    }
    DecisionFilter text;
    text.text = "cheap";
    CHECK(Ids(*store, text) == std::vector<std::string>{"new"});
    DecisionFilter author;
    author.text = "old3";
    CHECK(Ids(*store, author).empty());
    // Nothing purged is learned from: its text is gone.
    CHECK(AllLabels(*store).empty());
    CHECK(store->PurgePersonalData(cutoff, kT0, 0).error().code() ==
          core::StatusCode::kInvalidArgument);
  }

  TEST_CASE_TEMPLATE("bulk import writes everything or nothing", Backend, testing::SqliteBackend,
                     testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    REQUIRE(store->AppendDecision(Decision("taken", kT0, "x")).ok());
    auto s = store->AppendImported({Decision("i1", kT0, "a"), Decision("taken", kT0, "b")},
                                   {Label("i1", "spam", kT0)});
    CHECK(s.code() == core::StatusCode::kInvalidArgument);
    CHECK(s.message().find("taken") != std::string::npos);
    CHECK_FALSE(store->GetDecision("i1")->has_value());
    REQUIRE(
        store->AppendImported({Decision("i1", kT0, "imported text")}, {Label("i1", "spam", kT0)})
            .ok());
    CHECK((*store->GetDecision("i1"))->feedback_label == "spam");
    DecisionFilter f;
    f.text = "imported";
    CHECK(Ids(*store, f) == std::vector<std::string>{"i1"});
  }

  TEST_CASE("migrating a version 3 database indexes its existing comments for text search") {
    testing::TempDir dir;
    const std::string path = dir.File("v3.db");
    testing::CreateDatabaseAtVersionForTesting(
        path, 3,
        "INSERT INTO decisions (id, key_id, site_url, created_ms, channel, verdict, uncertain,"
        " score, reasons, model_version, latency_ms, is_test, match_key, blog, user_ip,"
        " user_agent, referrer, permalink, comment_type, comment_author, comment_author_email,"
        " comment_author_url, comment_content, comment_date_gmt, blog_lang, blog_charset,"
        " user_role, recheck_reason, honeypot_value, fields) VALUES ('old', NULL, 's', 1,"
        " 'v1', 'spam', 0, 0.9, '[]', 'm', 1, 0, 'k', '', '', '', '', '', '', 'Zoë', '', '',"
        " 'written before full-text search', '', '', '', '', '', '', '[]');");
    auto store = testing::OpenSqliteStoreOrFail(path);
    DecisionFilter f;
    f.text = "full-text written";
    CHECK(Ids(*store, f) == std::vector<std::string>{"old"});
    f.text = "zoe";
    CHECK(Ids(*store, f) == std::vector<std::string>{"old"});
    CHECK_FALSE((*store->GetDecision("old"))->purged_ms.has_value());
  }
}

}  // namespace hamlet::store

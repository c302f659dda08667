// The populated installation and the row-by-row description of a store (see the header).
#include "support/installation_fixture.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace hamlet::testing {
namespace {

constexpr int64_t kT0 = 1'700'000'000'000;  // 2023-11-14
constexpr int64_t kDay = 24LL * 3600 * 1000;

store::DecisionRecord Decision(const std::string& id, int64_t key_id, int64_t at,
                               const std::string& content) {
  store::DecisionRecord r;
  r.id = id;
  r.key_id = key_id;
  r.site_url = "https://blog.example/";
  r.created_ms = at;
  r.channel = "akismet";
  r.comment = core::CommentFromFields({{"blog", "https://blog.example/"},
                                       {"comment_content", content},
                                       {"comment_author", "Author " + id},
                                       {"comment_author_email", id + "@mail.example"},
                                       {"user_ip", "203.0.113.7"},
                                       {"user_agent", "Mozilla/5.0"},
                                       {"extra_field", "kept in fields"}});
  r.decision.verdict = core::Verdict::kSpam;
  r.decision.uncertain = true;
  r.decision.score = 0.8125;
  r.decision.reasons = {{"model", 2.5, "text model: P(spam) = 0.9"},
                        {"links.count", 0.75, "3 links"}};
  r.model_version = "m@7";
  r.latency_ms = 1.25;
  r.match_key = "mk-" + id;
  r.memory = store::MemoryTrace{"spam", -1234567890123LL, "ip:0123456789abcdef sh:14"};
  return r;
}

store::WebhookEvent Event(const std::string& event_id, const std::string& decision_id, int64_t at) {
  store::WebhookEvent e;
  e.event_id = event_id;
  e.site_url = "https://blog.example/";
  e.type = decision_id.empty() ? "ping" : "decision.moderated";
  e.decision_id = decision_id;
  e.payload = R"({"event":")" + event_id + R"("})";
  e.created_ms = at;
  e.next_attempt_ms = at;
  return e;
}

std::string Optional(const std::optional<int64_t>& v) {
  return v ? std::to_string(*v) : std::string("null");
}

std::string Number(double v) {
  if (std::isnan(v)) return "nan";
  std::ostringstream out;
  out.precision(17);
  out << v;
  return out.str();
}

std::string Fields(const core::FieldList& fields) {
  std::string out = "[";
  for (const auto& [name, value] : fields) out += name + "=" + value + ";";
  return out + "]";
}

std::string Describe(const store::DecisionRecord& d) {
  std::ostringstream out;
  out << "decision " << d.id << ": key_id=" << d.key_id << " site_url=" << d.site_url
      << " created_ms=" << d.created_ms << " channel=" << d.channel
      << " verdict=" << core::VerdictName(d.decision.verdict)
      << " uncertain=" << d.decision.uncertain << " score=" << Number(d.decision.score)
      << " reasons=[";
  for (const core::Reason& r : d.decision.reasons) {
    out << r.check << "," << Number(r.contribution) << "," << r.detail << ";";
  }
  out << "] model_version=" << d.model_version << " latency_ms=" << Number(d.latency_ms)
      << " match_key=" << d.match_key << " recheck_of=" << d.recheck_of
      << " purged_ms=" << Optional(d.purged_ms) << " is_test=" << d.comment.is_test;
  for (const core::CommentMember& m : core::CommentMembers()) {
    out << " " << m.name << "=" << d.comment.*m.member;
  }
  out << " honeypot_value=" << d.comment.honeypot_value << " fields=" << Fields(d.comment.fields);
  if (d.memory) {
    out << " memory=" << d.memory->lesson << "," << Optional(d.memory->fingerprint) << ","
        << d.memory->traits;
  } else {
    out << " memory=none";
  }
  return out.str();
}

std::string Describe(const store::FeedbackRecord& f) {
  std::ostringstream out;
  out << "feedback " << f.id << ": decision_id=" << f.decision_id << " key_id=" << f.key_id
      << " label=" << f.label << " source=" << f.source << " moderator=" << f.moderator
      << " created_ms=" << f.created_ms << " is_test=" << f.is_test
      << " fields=" << Fields(f.fields) << " action_id=" << f.action_id
      << " revoked_ms=" << Optional(f.revoked_ms) << " purged_ms=" << Optional(f.purged_ms);
  return out.str();
}

std::string Describe(const store::WebhookEvent& e) {
  std::ostringstream out;
  out << "webhook event " << e.id << ": event_id=" << e.event_id << " site_url=" << e.site_url
      << " type=" << e.type << " decision_id=" << e.decision_id << " feedback_id=" << e.feedback_id
      << " payload=" << e.payload << " created_ms=" << e.created_ms
      << " state=" << store::WebhookStateName(e.state) << " attempts=" << e.attempts
      << " next_attempt_ms=" << e.next_attempt_ms << " claimed_by=" << e.claimed_by
      << " claimed_until_ms=" << e.claimed_until_ms << " last_status=" << e.last_status
      << " last_error=" << e.last_error << " finished_ms=" << e.finished_ms;
  return out.str();
}

std::string Describe(const store::PublishedModel& m) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : m.model) {
    hex.push_back(kDigits[c >> 4]);
    hex.push_back(kDigits[c & 0xF]);
  }
  std::ostringstream out;
  out << "published model " << m.id << ": version=" << m.version << " sha256=" << m.sha256
      << " meta_json=" << m.meta_json << " published_ms=" << m.published_ms
      << " publisher=" << m.publisher << " model_bytes=" << m.model_bytes << " model=" << hex;
  return out.str();
}

void Describe(const store::InstallRows& rows, std::vector<std::string>& out) {
  for (const store::MetaEntry& m : rows.meta) out.push_back("meta " + m.name + "=" + m.value);
  for (const store::SiteKey& k : rows.keys) {
    out.push_back("key " + std::to_string(k.id) + ": role=" + std::string(KeyRoleName(k.role)) +
                  " site_url=" + k.site_url + " hash=" + k.key_hash + " hint=" + k.key_hint +
                  " created_ms=" + std::to_string(k.created_ms) +
                  " revoked_ms=" + Optional(k.revoked_ms));
  }
  for (const store::SiteSetting& s : rows.settings) {
    out.push_back("setting " + s.site_url + " " + s.name + "=" + s.value +
                  " updated_ms=" + std::to_string(s.updated_ms));
  }
  for (const store::ListEntry& e : rows.list_entries) {
    out.push_back("list entry " + std::to_string(e.id) + ": " + e.site_url + " " + e.list + " " +
                  e.kind + " " + e.value + " note=" + e.note + " added_by=" + e.added_by +
                  " created_ms=" + std::to_string(e.created_ms));
  }
  for (const store::ModeratorAction& a : rows.actions) {
    out.push_back("action " + std::to_string(a.id) + ": moderator=" + a.moderator +
                  " label=" + a.label + " origin=" + a.origin + " selection=" + a.selection +
                  " created_ms=" + std::to_string(a.created_ms) +
                  " item_count=" + std::to_string(a.item_count) +
                  " undone_ms=" + Optional(a.undone_ms) + " undone_by=" + a.undone_by);
  }
  for (const store::DecisionRecord& d : rows.decisions) out.push_back(Describe(d));
  for (const store::FeedbackRecord& f : rows.feedback) out.push_back(Describe(f));
  for (const store::WebhookEvent& e : rows.webhook_events) out.push_back(Describe(e));
  for (const store::PublishedModel& m : rows.published_models) out.push_back(Describe(m));
  for (const store::DeletedCount& c : rows.deleted_counts) {
    out.push_back("deleted day " + std::to_string(c.day_ms) +
                  ": key_id=" + std::to_string(c.key_id) + " site_url=" + c.site_url +
                  " blog=" + c.blog + " verdict=" + std::string(core::VerdictName(c.verdict)) +
                  " uncertain=" + std::to_string(c.uncertain) + " label=" + c.label +
                  " is_test=" + std::to_string(c.is_test) +
                  " recheck=" + std::to_string(c.recheck) + " linked=" + std::to_string(c.linked) +
                  " decisions=" + std::to_string(c.decisions));
  }
}

}  // namespace

void PopulateInstallation(store::Store& store) {
  using store::KeyRole;
  REQUIRE(store.PutMetaIfAbsent("key_salt", "0123456789abcdef0123456789abcdef"));
  REQUIRE(store.PutMetaIfAbsent("memory_salt", "fedcba9876543210fedcba9876543210"));
  auto site = store.AddKey(KeyRole::kSite, "https://blog.example/", "hash-site", "abcd", kT0);
  REQUIRE(site);
  auto old = store.AddKey(KeyRole::kSite, "https://old.example/", "hash-old", "ef01", kT0 + 1);
  REQUIRE(old);
  REQUIRE(store.AddKey(KeyRole::kAdmin, "", "hash-admin", "9999", kT0 + 2));
  REQUIRE(store.RevokeKey(old->id, kT0 + 3).ok());

  REQUIRE(store.PutSiteSetting({"", "spam_threshold", "0.7", kT0}).ok());
  REQUIRE(store
              .PutSiteSetting(
                  {"https://blog.example/", "webhook_url", "https://blog.example/hook", kT0 + 1})
              .ok());
  REQUIRE(store.AddListEntries(
      {{0, "", "block", "ip", "198.51.100.7", "spammer", "alice", kT0},
       {0, "https://blog.example/", "allow", "email", "friend@mail.example", "", "bob", kT0 + 1},
       {0, "", "block", "word", "casino", "", "", kT0 + 2}}));
  REQUIRE(store.RemoveListEntry("", "block", "word", "casino").ok());

  // Old decisions (purged below), then recent ones: a recheck of d3, one without a key or
  // memory trace, and one whose text PostgreSQL's TEXT cannot hold as it is.
  REQUIRE(store.AppendDecision(Decision("d1", site->id, kT0, "old spam one")).ok());
  REQUIRE(store.AppendDecision(Decision("d2", site->id, kT0 + 1, "old spam two")).ok());
  const int64_t recent = kT0 + 100 * kDay;
  store::DecisionRecord d3 = Decision("d3", site->id, recent, "zanzibarish offer, buy now");
  REQUIRE(store.AppendDecision(d3).ok());
  store::DecisionRecord d4 = Decision("d4", site->id, recent, "zanzibarish offer, buy now");
  d4.comment.recheck_reason = "edit";
  d4.recheck_of = "d3";
  d4.decision.verdict = core::Verdict::kDiscard;
  REQUIRE(store.AppendDecision(d4).ok());
  store::DecisionRecord d5 = Decision("d5", 0, recent + 1, std::string("nul\0byte \xff", 10));
  d5.memory.reset();
  d5.decision.verdict = core::Verdict::kHam;
  d5.decision.uncertain = false;
  d5.channel = "cli";
  REQUIRE(store.AppendDecision(d5).ok());

  store::FeedbackRecord report;
  report.decision_id = "d1";
  report.key_id = site->id;
  report.label = "spam";
  report.source = "akismet";
  report.created_ms = kT0 + 10;
  report.fields = {{"comment_content", "as reported"}};
  REQUIRE(store.AppendFeedback(report));
  store::FeedbackRecord orphan = report;
  orphan.decision_id = "";
  orphan.label = "ham";
  orphan.created_ms = recent + 5;
  REQUIRE(store.AppendFeedback(orphan));

  store::ModeratorAction action{0, "alice", "ham", "mark", "ids=d3", recent + 10, 0, {}, ""};
  store::FeedbackRecord mark;
  mark.decision_id = "d3";
  mark.label = "ham";
  mark.source = "cli";
  mark.moderator = "alice";
  mark.created_ms = recent + 10;
  auto stored = store.AppendModeratorAction(action, {mark}, {Event("e-mark", "d3", recent + 10)});
  REQUIRE(stored);
  auto marked = store.ListActionFeedback(stored->id);
  REQUIRE(marked);
  REQUIRE(marked->size() == 1);
  store::WebhookEvent undo_event = Event("e-undo", "d3", recent + 20);
  undo_event.feedback_id = marked->front().id;
  REQUIRE(store.UndoModeratorAction(stored->id, "bob", recent + 20, {undo_event}));
  auto again = store.AppendModeratorAction(
      {0, "carol", "spam", "review", "filter text", recent + 30, 0, {}, ""}, {[&] {
        store::FeedbackRecord f = mark;
        f.label = "spam";
        f.moderator = "carol";
        f.decision_id = "d4";
        return f;
      }()},
      {});
  REQUIRE(again);

  // Webhook events: e-mark delivered, a ping failed, e-undo left pending (owed to the site).
  REQUIRE(store.AppendWebhookEvent(Event("e-ping", "", recent + 40)));
  auto claimed = store.ClaimWebhookEvent("node-a", recent + 50, 60'000);
  REQUIRE(claimed);
  REQUIRE(claimed->has_value());
  REQUIRE((*claimed)->event_id == "e-mark");
  REQUIRE(store
              .FinishWebhookAttempt({(*claimed)->id, "node-a", store::WebhookState::kDelivered, 0,
                                     200, "", recent + 51})
              .ok());
  // Due first: e-undo, claimed by node-b and left under its lease (node-b stopped), then the
  // ping, which fails.
  for (int i = 0; i < 2; ++i) {
    auto next = store.ClaimWebhookEvent("node-b", recent + 60, 60'000);
    REQUIRE(next);
    REQUIRE(next->has_value());
    if ((*next)->event_id != "e-ping") continue;
    REQUIRE(store
                .FinishWebhookAttempt({(*next)->id, "node-b", store::WebhookState::kFailed, 0, 0,
                                       "connection refused", recent + 61})
                .ok());
  }

  // Three published models (two pages of a copy's model batches); their bytes hold every byte
  // value, NUL and invalid UTF-8 included, as a model file does.
  for (int i = 0; i < 3; ++i) {
    store::PublishedModel m;
    m.version = "hamlet-test@" + std::to_string(i);
    for (int b = 0; b < 256; ++b) m.model.push_back(static_cast<char>((b + i * 7) & 0xFF));
    m.meta_json = i == 1 ? "" : R"({"thresholds":{"spam":0.5}})";
    m.sha256 = std::string(63, 'a') + std::to_string(i);
    m.published_ms = recent + 80 + i;
    m.publisher = "alice@host" + std::to_string(i);
    REQUIRE(store.PublishModel(m));
  }

  // The retention purge blanks the two old decisions and the site report on d1.
  auto purged = store.PurgePersonalData(kT0 + kDay, recent + 70, 100);
  REQUIRE(purged);
  REQUIRE(purged->decisions == 2);

  // Counts of decisions deleted long ago (decision_days), one with a label and flags set.
  store::InstallRows counts;
  counts.deleted_counts.push_back(store::DeletedCount{kT0 - 400 * kDay, 1, "http://a.example/",
                                                      "http://a.example/", core::Verdict::kSpam,
                                                      false, "", false, false, false, 7});
  counts.deleted_counts.push_back(store::DeletedCount{kT0 - 399 * kDay, 0, "", "http://b.example/",
                                                      core::Verdict::kHam, true, "spam", true, true,
                                                      true, 2});
  REQUIRE(store.ImportInstallRows(counts).ok());
}

store::InstallRows ExportAllRows(store::Store& store, int limit) {
  store::InstallRows all;
  auto append = [](auto& to, const auto& from) { to.insert(to.end(), from.begin(), from.end()); };
  for (store::InstallTable table : store::kInstallTables) {
    int64_t after = 0;
    for (;;) {
      auto page = store.ExportInstallRows(table, after, limit);
      REQUIRE_MESSAGE(page.has_value(), page.error().ToString());
      CHECK(page->rows.size() <= static_cast<size_t>(limit));
      const store::InstallRows& r = page->rows;
      append(all.meta, r.meta);
      append(all.keys, r.keys);
      append(all.settings, r.settings);
      append(all.list_entries, r.list_entries);
      append(all.actions, r.actions);
      append(all.decisions, r.decisions);
      append(all.feedback, r.feedback);
      append(all.webhook_events, r.webhook_events);
      append(all.published_models, r.published_models);
      append(all.deleted_counts, r.deleted_counts);
      if (page->done) break;
      after = page->next;
    }
  }
  return all;
}

std::vector<std::string> DescribeInstallation(store::Store& store) {
  std::vector<std::string> out;
  Describe(ExportAllRows(store, 2), out);
  auto revision = store.ListEntriesRevision();
  REQUIRE(revision);
  out.push_back("list_revision " + std::to_string(*revision));
  return out;
}

void CheckSameInstallation(const std::vector<std::string>& expected,
                           const std::vector<std::string>& actual) {
  CHECK(expected.size() == actual.size());
  const size_t n = std::min(expected.size(), actual.size());
  for (size_t i = 0; i < n; ++i) CHECK(expected[i] == actual[i]);
}

}  // namespace hamlet::testing

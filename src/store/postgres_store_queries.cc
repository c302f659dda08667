// PostgresStore's reads of decisions and feedback, the filter in PostgreSQL's spelling (strpos,
// the tsvector search), the statistics, memory's reads, site settings and list entries.
#include <utility>

#include "core/comment.h"
#include "store/postgres_store.h"
#include "store/postgres_store_internal.h"
#include "store/sql_filter.h"

namespace hamlet::store {

using core::Result;
using core::Status;
using internal::FirstRow;
using internal::PgConnection;
using internal::PgParams;
using internal::PgResult;
using internal::ReadFirstRow;
using internal::ReadRows;
using internal::Rows;
using internal::RowSource;
using internal::WithContext;

Result<PgResult> PostgresStore::Read(const std::string& sql, const PgParams& params) {
  std::optional<PgResult> out;
  Status s = WithConnection([&](PgConnection& conn) -> Status {
    auto r = conn.Query(sql, params);
    if (!r) return r.error();
    out.emplace(std::move(r).value());
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return std::move(*out);
}

Result<PgResult> PostgresStore::Write(const std::string& sql, const PgParams& params) {
  std::optional<PgResult> out;
  Status s = WithConnection(
      [&](PgConnection& conn) -> Status {
        auto r = conn.Query(sql, params);
        if (!r) return r.error();
        out.emplace(std::move(r).value());
        return Status::Ok();
      },
      /*retry=*/false);
  if (!s.ok()) return s;
  return std::move(*out);
}

namespace {

// The text query on the `search` tsvector (schema.cc version 6): every term must match; a
// quoted phrase matches its words in order, a word ending in * as a prefix.
Result<std::string> TsQueryTerm(std::string_view text,
                                const std::function<std::string(internal::BindValue)>& param) {
  auto terms = internal::ParseTextQuery(text);
  if (!terms) return terms.error();
  std::string out = " AND d.search @@ (";
  for (size_t k = 0; k < terms->size(); ++k) {
    if (k > 0) out += " && ";
    out += "hamlet_phrase_query(" + param((*terms)[k].text) + "::text, " +
           ((*terms)[k].prefix ? "true" : "false") + ")";
  }
  out += ")";
  return out;
}

const internal::FilterDialect& PgDialect() {
  static const internal::FilterDialect kDialect{" WHERE true", "strpos", TsQueryTerm};
  return kDialect;
}

// Appended piecewise: "?" + std::to_string trips GCC 12's -Wrestrict false positive.
std::string Param(int n) {
  std::string out = "?";
  out += std::to_string(n);
  return out;
}

}  // namespace

// --- decisions

Result<std::optional<DecisionRecord>> PostgresStore::GetDecision(const std::string& id) {
  const std::string context = "read decision " + id;
  PgParams p;
  p.BindText(1, id);
  return FirstRow<DecisionRecord>(
      [&] { return Read(internal::DecisionSelectSql() + " WHERE d.id = ?1", p); }, context,
      internal::ReadDecision);
}

Result<std::vector<DecisionRecord>> PostgresStore::FindDecisionsByMatchKey(
    int64_t key_id, const std::string& match_key, int limit) {
  if (limit < 0) return Status::InvalidArgument("find decisions: limit must not be negative");
  PgParams p;
  p.BindIdOrNull(1, key_id);
  p.BindText(2, match_key);
  p.BindInt(3, limit);
  return Rows<DecisionRecord>(
      [&] {
        return Read(internal::DecisionSelectSql() +
                        " WHERE d.key_id IS NOT DISTINCT FROM ?1::bigint AND d.match_key = ?2"
                        " ORDER BY d.created_ms DESC, d.seq DESC LIMIT ?3",
                    p);
      },
      "find decisions", internal::ReadDecision);
}

Result<std::optional<DecisionRecord>> PostgresStore::FindDecisionByMatchKey(
    int64_t key_id, const std::string& match_key) {
  auto found = FindDecisionsByMatchKey(key_id, match_key, 1);
  if (!found) return WithContext(found.error(), "find decision");
  if (found->empty()) return std::optional<DecisionRecord>();
  return std::optional<DecisionRecord>(std::move(found->front()));
}

Result<std::vector<DecisionRecord>> PostgresStore::ListDecisions(const DecisionFilter& filter) {
  const std::string context = "list decisions";
  if (filter.limit < 0 || filter.offset < 0) {
    return Status::InvalidArgument(context + ": limit and offset must not be negative");
  }
  auto where = internal::BuildDecisionFilter(filter, PgDialect());
  if (!where) return WithContext(where.error(), context);
  const int n = static_cast<int>(where->values.size());
  const std::string sql = internal::DecisionSelectSql() + where->where +
                          internal::OrderBySql(filter.order, "d.seq") + " LIMIT " + Param(n + 1) +
                          " OFFSET " + Param(n + 2);
  PgParams p;
  internal::BindValues(p, where->values);
  p.BindInt(n + 1, filter.limit);
  p.BindInt(n + 2, filter.offset);
  return Rows<DecisionRecord>([&] { return Read(sql, p); }, context, internal::ReadDecision);
}

Result<int64_t> PostgresStore::CountMatchingDecisions(const DecisionFilter& filter) {
  const std::string context = "count decisions";
  auto where = internal::BuildDecisionFilter(filter, PgDialect());
  if (!where) return WithContext(where.error(), context);
  PgParams p;
  internal::BindValues(p, where->values);
  auto r = Read("SELECT count(*) FROM decisions d" + where->where, p);
  if (!r) return WithContext(r.error(), context);
  return r->row(0).ColumnInt(0);
}

namespace {

// "YYYY-MM" or "YYYY-MM-DD" of a created_ms column, in UTC.
std::string UtcDateSql(std::string_view column, std::string_view format) {
  return "to_char(to_timestamp(" + std::string(column) + " / 1000) AT TIME ZONE 'UTC', '" +
         std::string(format) + "')";
}

}  // namespace

Result<std::vector<VolumeCount>> PostgresStore::CountVolumes(const DecisionFilter& filter) {
  const std::string context = "count volumes";
  auto where = internal::BuildDecisionFilter(filter, PgDialect());
  if (!where) return WithContext(where.error(), context);
  const std::string sql =
      "SELECT day, site, verdict, uncertain, label, count(*) FROM"
      " (SELECT " +
      UtcDateSql("d.created_ms", "YYYY-MM-DD") +
      " AS day,"
      "   coalesce(nullif(d.blog, ''), d.site_url) AS site, d.verdict AS verdict,"
      "   d.uncertain AS uncertain, coalesce(" +
      internal::LatestLabelSql() + ", '') AS label FROM decisions d" + where->where +
      ") v GROUP BY day, site, verdict, uncertain, label ORDER BY day, site, verdict, uncertain,"
      " label";
  PgParams p;
  internal::BindValues(p, where->values);
  return Rows<VolumeCount>([&] { return Read(sql, p); }, context, internal::ReadVolumeCount);
}

Result<std::vector<ReasonCount>> PostgresStore::CountReasons(const DecisionFilter& filter,
                                                             int limit) {
  const std::string context = "count reasons";
  if (limit < 0) return Status::InvalidArgument(context + ": limit must not be negative");
  auto where = internal::BuildDecisionFilter(filter, PgDialect());
  if (!where) return WithContext(where.error(), context);
  const int n = static_cast<int>(where->values.size());
  // A check named twice in one decision counts once.
  const std::string sql =
      "SELECT r.check_name, count(*) FROM"
      " (SELECT DISTINCT d.id AS id, j.value ->> 'check' AS check_name"
      "  FROM decisions d CROSS JOIN LATERAL jsonb_array_elements(d.reasons::jsonb) j" +
      where->where + ") r GROUP BY r.check_name ORDER BY count(*) DESC, r.check_name LIMIT " +
      Param(n + 1);
  PgParams p;
  internal::BindValues(p, where->values);
  p.BindInt(n + 1, limit);
  return Rows<ReasonCount>([&] { return Read(sql, p); }, context,
                           [](const RowSource& s) -> Result<ReasonCount> {
                             return ReasonCount{s.ColumnText(0), s.ColumnInt(1)};
                           });
}

Result<std::vector<DecisionCounts>> PostgresStore::CountDecisions(int64_t key_id, int64_t from_ms,
                                                                  int64_t to_ms) {
  static const std::string kSql =
      "SELECT month, blog, count(*),"
      " count(*) FILTER (WHERE first AND verdict != 'ham'),"
      " count(*) FILTER (WHERE first AND verdict = 'ham'),"
      " count(*) FILTER (WHERE first AND verdict = 'ham' AND label = 'spam'),"
      " count(*) FILTER (WHERE first AND verdict != 'ham' AND label = 'ham')"
      " FROM (SELECT " +
      UtcDateSql("d.created_ms", "YYYY-MM") +
      " AS month, d.blog AS blog, d.recheck_of IS NULL AS first, d.verdict AS verdict, " +
      internal::LatestLabelSql() +
      " AS label FROM decisions d WHERE d.key_id IS NOT DISTINCT FROM ?1::bigint"
      " AND d.created_ms >= ?2 AND d.created_ms < ?3) c"
      " GROUP BY month, blog ORDER BY month, blog";
  PgParams p;
  p.BindIdOrNull(1, key_id);
  p.BindInt(2, from_ms);
  p.BindInt(3, to_ms);
  return Rows<DecisionCounts>([&] { return Read(kSql, p); }, "count decisions",
                              internal::ReadDecisionCounts);
}

// --- feedback

Result<std::vector<FeedbackRecord>> PostgresStore::ListFeedback(const std::string& decision_id) {
  PgParams p;
  p.BindText(1, decision_id);
  return Rows<FeedbackRecord>(
      [&] {
        return Read(internal::FeedbackSelectSql() + " WHERE f.decision_id = ?1 ORDER BY f.id", p);
      },
      "list feedback on " + decision_id, internal::ReadFeedback);
}

Result<std::vector<LabeledFeedback>> PostgresStore::ListLabeledFeedback(int64_t after_feedback_id,
                                                                        int limit) {
  const std::string context = "list labeled feedback";
  if (limit < 0) return Status::InvalidArgument(context + ": limit must not be negative");
  const std::string& kPageSql = internal::LabeledFeedbackPageSql();
  PgParams p;
  p.BindInt(1, after_feedback_id);
  p.BindInt(2, limit);
  auto page =
      Rows<FeedbackRecord>([&] { return Read(kPageSql, p); }, context, internal::ReadFeedback);
  if (!page) return page.error();
  std::vector<LabeledFeedback> out;
  out.reserve(page->size());
  for (FeedbackRecord& f : *page) {
    LabeledFeedback labeled;
    labeled.feedback_id = f.id;
    labeled.decision_id = f.decision_id;
    labeled.label = f.label;
    labeled.created_ms = f.created_ms;
    if (f.decision_id.empty()) {
      labeled.comment = core::CommentFromFields(std::move(f.fields));
    } else {
      auto decision = GetDecision(f.decision_id);
      if (!decision) return WithContext(decision.error(), context);
      if (!*decision) {
        return Status::Internal(context + ": feedback " + std::to_string(f.id) +
                                " names a missing decision " + f.decision_id);
      }
      labeled.comment = std::move((*decision)->comment);
    }
    out.push_back(std::move(labeled));
  }
  return out;
}

// --- memory

Result<std::vector<MemoryDecision>> PostgresStore::ListMemoryDecisions(int64_t since_ms,
                                                                       const MemoryCursor& after,
                                                                       int limit) {
  const std::string context = "list decisions for memory";
  if (limit < 0) return Status::InvalidArgument(context + ": limit must not be negative");
  // COLLATE "C": ids are hex, compared bytewise as SQLite does.
  static const std::string kSql = std::string("SELECT d.change_stamp, d.seq, ") +
                                  internal::kMemoryDecisionColumns +
                                  " FROM decisions d WHERE d.created_ms >= ?1"
                                  " AND (d.created_ms > ?2 OR (d.created_ms = ?2"
                                  " AND d.id COLLATE \"C\" > ?3))"
                                  " ORDER BY d.created_ms, d.id COLLATE \"C\" LIMIT ?4";
  PgParams p;
  p.BindInt(1, since_ms);
  p.BindInt(2, after.created_ms);
  p.BindText(3, after.id);
  p.BindInt(4, limit);
  return Rows<MemoryDecision>([&] { return Read(kSql, p); }, context,
                              internal::ReadPositionedMemoryDecision);
}

// A decision's position is (change_stamp, seq). Transactions that write decisions take their
// stamp from the one-row change_clock and hold its lock until they end, so they commit in stamp
// order, and all rows of one stamp commit together (see kPgV8 in schema.cc): a reader that sees
// a position has seen every smaller one. seq alone would not do: identity values are handed
// out at insert, so a smaller seq can commit after a greater one was read.
Result<DecisionPosition> PostgresStore::LastDecisionPosition() {
  static const std::string kSql =
      "SELECT d.change_stamp, d.seq FROM decisions d"
      " ORDER BY d.change_stamp DESC, d.seq DESC LIMIT 1";
  auto r = Read(kSql, {});
  if (!r) return WithContext(r.error(), "find the last decision");
  if (r->rows() == 0) return DecisionPosition{};
  return DecisionPosition{r->row(0).ColumnInt(0), r->row(0).ColumnInt(1)};
}

Result<std::vector<MemoryDecision>> PostgresStore::ListMemoryDecisionsAfter(
    const DecisionPosition& after, int limit) {
  const std::string context = "list decisions for memory";
  if (limit < 0) return Status::InvalidArgument(context + ": limit must not be negative");
  // decisions_by_change (version 12) walks the positions in order.
  static const std::string kSql = std::string("SELECT d.change_stamp, d.seq, ") +
                                  internal::kMemoryDecisionColumns +
                                  " FROM decisions d WHERE (d.change_stamp, d.seq) > (?1, ?2)"
                                  " ORDER BY d.change_stamp, d.seq LIMIT ?3";
  PgParams p;
  p.BindInt(1, after.stamp);
  p.BindInt(2, after.seq);
  p.BindInt(3, limit);
  return Rows<MemoryDecision>([&] { return Read(kSql, p); }, context,
                              internal::ReadPositionedMemoryDecision);
}

// A feedback row's position is (change_stamp, id), for the reason a decision's is (change_stamp,
// seq): feedback writes take their stamp from change_clock too, while an id is handed out at
// insert and a smaller one can commit after a greater one was read. feedback_by_change
// (version 8) walks the positions in order.
Result<std::vector<MemoryFeedback>> PostgresStore::ListMemoryFeedback(const FeedbackPosition& after,
                                                                      int64_t since_ms, int limit) {
  const std::string context = "list feedback for memory";
  if (limit < 0) return Status::InvalidArgument(context + ": limit must not be negative");
  static const std::string kSql = internal::MemoryFeedbackSql(
      "f.change_stamp", "(f.change_stamp, f.id) > (?1, ?2)", "f.change_stamp, f.id");
  PgParams p;
  p.BindInt(1, after.stamp);
  p.BindInt(2, after.id);
  p.BindInt(3, since_ms);
  p.BindInt(4, limit);
  return Rows<MemoryFeedback>([&] { return Read(kSql, p); }, context, internal::ReadMemoryFeedback);
}

Result<std::vector<MemoryRevocation>> PostgresStore::ListMemoryRevocations(
    const RevocationPosition& after, int64_t since_ms, int limit) {
  const std::string context = "list revoked feedback for memory";
  if (limit < 0) return Status::InvalidArgument(context + ": limit must not be negative");
  PgParams p;
  p.BindInt(1, after.stamp);
  p.BindInt(2, after.id);
  p.BindInt(3, since_ms);
  p.BindInt(4, limit);
  return Rows<MemoryRevocation>([&] { return Read(internal::MemoryRevocationSql(), p); }, context,
                                internal::ReadMemoryRevocation);
}

// --- per-site settings

Result<std::vector<SiteSetting>> PostgresStore::ListSiteSettings() {
  return Rows<SiteSetting>(
      [&] {
        return Read(
            "SELECT site_url, name, value, updated_ms FROM site_settings"
            " ORDER BY site_url COLLATE \"C\", name COLLATE \"C\"",
            PgParams());
      },
      "read site settings",
      [](const RowSource& s) -> Result<SiteSetting> {
        return SiteSetting{s.ColumnText(0), s.ColumnText(1), s.ColumnText(2), s.ColumnInt(3)};
      });
}

Status PostgresStore::PutSiteSetting(const SiteSetting& setting) {
  const std::string context = "store site setting " + setting.name;
  if (setting.name.empty()) return Status::InvalidArgument(context + ": the name is empty");
  PgParams p;
  p.BindText(1, setting.site_url);
  p.BindText(2, setting.name);
  p.BindText(3, setting.value);
  p.BindInt(4, setting.updated_ms);
  // An upsert: repeating it after a lost connection does no harm.
  auto r = Read(
      "INSERT INTO site_settings (site_url, name, value, updated_ms) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT (site_url, name) DO UPDATE SET value = excluded.value, "
      "updated_ms = excluded.updated_ms",
      p);
  return r ? Status::Ok() : WithContext(r.error(), context);
}

Status PostgresStore::DeleteSiteSetting(const std::string& site_url, const std::string& name) {
  const std::string context = "delete site setting " + name;
  PgParams p;
  p.BindText(1, site_url);
  p.BindText(2, name);
  auto r = Write("DELETE FROM site_settings WHERE site_url = ?1 AND name = ?2", p);
  if (!r) return WithContext(r.error(), context);
  if (r->affected() == 0) {
    return Status::NotFound(context + ": not set for " +
                            (site_url.empty() ? std::string("all sites") : site_url));
  }
  return Status::Ok();
}

// --- allow and block lists

Result<std::vector<ListEntry>> PostgresStore::ListListEntries() {
  return Rows<ListEntry>(
      [&] {
        return Read(
            "SELECT id, site_url, list, kind, value, note, added_by, created_ms FROM list_entries"
            " ORDER BY site_url COLLATE \"C\", list COLLATE \"C\", kind COLLATE \"C\","
            " value COLLATE \"C\"",
            PgParams());
      },
      "read list entries",
      [](const RowSource& s) -> Result<ListEntry> {
        return ListEntry{s.ColumnInt(0),  s.ColumnText(1), s.ColumnText(2), s.ColumnText(3),
                         s.ColumnText(4), s.ColumnText(5), s.ColumnText(6), s.ColumnInt(7)};
      });
}

Result<int64_t> PostgresStore::ListEntriesRevision() {
  auto r = Read("SELECT revision FROM list_revision WHERE id = 1", PgParams());
  if (!r) return WithContext(r.error(), "read list revision");
  if (r->rows() == 0)
    return Status::Internal("read list revision: the list_revision row is missing");
  return r->row(0).ColumnInt(0);
}

Result<std::vector<int64_t>> PostgresStore::AddListEntries(const std::vector<ListEntry>& entries) {
  const std::string context = "add list entries";
  for (const ListEntry& e : entries) {
    if (e.list.empty() || e.kind.empty() || e.value.empty()) {
      return Status::InvalidArgument(context + ": list, kind and value must not be empty");
    }
  }
  std::vector<int64_t> ids;
  Status s = Transaction([&](PgConnection& conn) -> Status {
    ids.clear();
    for (const ListEntry& e : entries) {
      PgParams p;
      p.BindText(1, e.site_url);
      p.BindText(2, e.list);
      p.BindText(3, e.kind);
      p.BindText(4, e.value);
      p.BindText(5, e.note);
      p.BindText(6, e.added_by);
      p.BindInt(7, e.created_ms);
      auto r = conn.Query(
          "INSERT INTO list_entries (site_url, list, kind, value, note, added_by, created_ms) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
          "ON CONFLICT (site_url, list, kind, value) DO NOTHING RETURNING id",
          p);
      if (!r) return r.error();
      ids.push_back(r->rows() > 0 ? r->row(0).ColumnInt(0) : 0);
    }
    return Status::Ok();
  });
  if (!s.ok()) return WithContext(s, context);
  return ids;
}

Status PostgresStore::RemoveListEntry(const std::string& site_url, const std::string& list,
                                      const std::string& kind, const std::string& value) {
  const std::string context = "remove " + list + " " + kind + " entry";
  PgParams p;
  p.BindText(1, site_url);
  p.BindText(2, list);
  p.BindText(3, kind);
  p.BindText(4, value);
  auto r = Write(
      "DELETE FROM list_entries WHERE site_url = ?1 AND list = ?2 AND kind = ?3 AND value = ?4", p);
  if (!r) return WithContext(r.error(), context);
  if (r->affected() == 0) {
    return Status::NotFound(context + ": '" + value + "' is not on the " + list + " list of " +
                            (site_url.empty() ? std::string("every site") : site_url));
  }
  return Status::Ok();
}

}  // namespace hamlet::store

// DecisionFilter -> SQL for the SQLite store: SQLite's spelling of the shared WHERE terms
// (sql_filter.cc), the full-text query mapped onto FTS5, and the aggregate reads built on them.
#include <utility>

#include "store/sqlite_store.h"
#include "store/sqlite_store_internal.h"

namespace hamlet::store {

using core::Result;
using core::Status;
using internal::BindValue;
using internal::Connection;
using internal::FilterSql;
using internal::ReadAll;
using internal::Statement;
using internal::WithContext;

namespace internal {
namespace {

// The columns a text query searches (decisions_fts has decision_id first, which it must not).
constexpr std::string_view kFtsColumns =
    "{comment_author comment_author_email comment_author_url comment_content}";

// An FTS5 string literal: "..." with inner quotes doubled, so any text is a plain phrase and
// never FTS5 syntax (NEAR, AND, column filters ...).
std::string FtsString(std::string_view term) {
  std::string out = "\"";
  for (char c : term) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

// The text query as a subquery on decisions_fts.
Result<std::string> FtsTerm(std::string_view text,
                            const std::function<std::string(BindValue)>& param) {
  auto match = FtsMatchExpression(text);
  if (!match) return match.error();
  return " AND d.id IN (SELECT decision_id FROM decisions_fts WHERE decisions_fts MATCH " +
         param(*match) + ")";
}

}  // namespace

Result<std::string> FtsMatchExpression(std::string_view text) {
  auto terms = ParseTextQuery(text);
  if (!terms) return terms.error();
  std::string expr = std::string(kFtsColumns) + " : (";
  for (size_t k = 0; k < terms->size(); ++k) {
    if (k > 0) expr += " AND ";
    expr += FtsString((*terms)[k].text);
    if ((*terms)[k].prefix) expr += " *";
  }
  expr += ")";
  return expr;
}

const FilterDialect& SqliteFilterDialect() {
  static const FilterDialect kDialect{" WHERE 1", "instr", FtsTerm};
  return kDialect;
}

}  // namespace internal

Result<internal::FilterSql> SqliteStore::FilterFor(const DecisionFilter& filter) {
  if (!filter.text.empty()) {
    // Index what waits first, so the search sees every stored decision. Best effort: a
    // database that cannot be written now is still searched.
    for (;;) {
      auto indexed = CatchUpTextIndex(kTextIndexBatch);
      if (!indexed || *indexed < kTextIndexBatch) break;
    }
  }
  return internal::BuildDecisionFilter(filter, internal::SqliteFilterDialect());
}

Result<int64_t> SqliteStore::CatchUpTextIndex(int max_rows) {
  const std::string context = "update the text index";
  if (max_rows < 1) return Status::InvalidArgument(context + ": max_rows must be >= 1");
  // The same first `max_rows` queued ids in both statements: one transaction, one snapshot.
  static constexpr char kBatch[] =
      "SELECT decision_id FROM fts_pending ORDER BY decision_id LIMIT ?1";
  static const std::string kIndexSql =
      std::string("INSERT INTO decisions_fts (decision_id, comment_author, comment_author_email,"
                  " comment_author_url, comment_content)"
                  " SELECT d.id, d.comment_author, d.comment_author_email, d.comment_author_url,"
                  " d.comment_content FROM decisions d WHERE d.id IN (") +
      kBatch +
      ") AND (d.comment_author != '' OR d.comment_author_email != ''"
      " OR d.comment_author_url != '' OR d.comment_content != '')";
  static const std::string kDequeueSql =
      std::string("DELETE FROM fts_pending WHERE decision_id IN (") + kBatch + ")";
  int64_t indexed = 0;
  Status s = WriteTransaction([&](Connection& db) -> Status {
    auto dequeue = db.Prepare(kDequeueSql);
    if (!dequeue) return dequeue.error();
    auto index = db.Prepare(kIndexSql);
    if (!index) return index.error();
    index->BindInt(1, max_rows);
    if (Status run = index->Run(); !run.ok()) return run;
    dequeue->BindInt(1, max_rows);
    if (Status run = dequeue->Run(); !run.ok()) return run;
    indexed = db.Changes();
    return Status::Ok();
    // Not fsynced: what is lost in a crash is still queued in fts_pending and indexed again.
  }, CommitSync::kDeferred);
  if (!s.ok()) return WithContext(s, context);
  return indexed;
}

Result<std::vector<DecisionRecord>> SqliteStore::ListDecisions(const DecisionFilter& filter) {
  const std::string context = "list decisions";
  if (filter.limit < 0 || filter.offset < 0) {
    return Status::InvalidArgument(context + ": limit and offset must not be negative");
  }
  auto where = FilterFor(filter);
  if (!where) return WithContext(where.error(), context);
  const int n = static_cast<int>(where->values.size());
  const std::string sql = internal::DecisionSelectSql() + where->where +
                          internal::OrderBySql(filter.order, "d.rowid") + " LIMIT ?" +
                          std::to_string(n + 1) + " OFFSET ?" + std::to_string(n + 2);
  ReadLock lock(*this);
  auto stmt = lock.conn().Prepare(sql);
  if (!stmt) return WithContext(stmt.error(), context);
  internal::BindValues(*stmt, where->values);
  stmt->BindInt(n + 1, filter.limit);
  stmt->BindInt(n + 2, filter.offset);
  auto records = ReadAll<DecisionRecord>(*stmt, internal::ReadDecision);
  if (!records) return WithContext(records.error(), context);
  return records;
}

Result<int64_t> SqliteStore::CountMatchingDecisions(const DecisionFilter& filter) {
  const std::string context = "count decisions";
  auto where = FilterFor(filter);
  if (!where) return WithContext(where.error(), context);
  ReadLock lock(*this);
  auto stmt = lock.conn().Prepare("SELECT count(*) FROM decisions d" + where->where);
  if (!stmt) return WithContext(stmt.error(), context);
  internal::BindValues(*stmt, where->values);
  auto rows =
      ReadAll<int64_t>(*stmt, [](const Statement& s) -> Result<int64_t> { return s.ColumnInt(0); });
  if (!rows) return WithContext(rows.error(), context);
  return rows->empty() ? int64_t{0} : rows->front();
}

Result<std::vector<VolumeCount>> SqliteStore::CountVolumes(const DecisionFilter& filter) {
  const std::string context = "count volumes";
  auto where = FilterFor(filter);
  if (!where) return WithContext(where.error(), context);
  const std::string sql =
      "SELECT day, site, verdict, uncertain, label, count(*) FROM"
      " (SELECT strftime('%Y-%m-%d', d.created_ms / 1000, 'unixepoch') AS day,"
      "   coalesce(nullif(d.blog, ''), d.site_url) AS site, d.verdict AS verdict,"
      "   d.uncertain AS uncertain, coalesce(" +
      internal::LatestLabelSql() + ", '') AS label FROM decisions d" + where->where +
      ") GROUP BY day, site, verdict, uncertain, label ORDER BY day, site, verdict, uncertain,"
      " label";
  ReadLock lock(*this);
  auto stmt = lock.conn().Prepare(sql);
  if (!stmt) return WithContext(stmt.error(), context);
  internal::BindValues(*stmt, where->values);
  auto rows = ReadAll<VolumeCount>(*stmt, internal::ReadVolumeCount);
  if (!rows) return WithContext(rows.error(), context);
  return rows;
}

Result<std::vector<ReasonCount>> SqliteStore::CountReasons(const DecisionFilter& filter,
                                                           int limit) {
  const std::string context = "count reasons";
  if (limit < 0) return Status::InvalidArgument(context + ": limit must not be negative");
  auto where = FilterFor(filter);
  if (!where) return WithContext(where.error(), context);
  const int n = static_cast<int>(where->values.size());
  // json_each over the stored reasons array; a check named twice in one decision counts once.
  const std::string sql =
      "SELECT r.check_name, count(*) FROM"
      " (SELECT DISTINCT d.id AS id, json_extract(j.value, '$.check') AS check_name"
      "  FROM decisions d, json_each(d.reasons) j" +
      where->where + ") r GROUP BY r.check_name ORDER BY count(*) DESC, r.check_name LIMIT ?" +
      std::to_string(n + 1);
  ReadLock lock(*this);
  auto stmt = lock.conn().Prepare(sql);
  if (!stmt) return WithContext(stmt.error(), context);
  internal::BindValues(*stmt, where->values);
  stmt->BindInt(n + 1, limit);
  auto rows = ReadAll<ReasonCount>(*stmt, [](const Statement& s) -> Result<ReasonCount> {
    return ReasonCount{s.ColumnText(0), s.ColumnInt(1)};
  });
  if (!rows) return WithContext(rows.error(), context);
  return rows;
}

}  // namespace hamlet::store

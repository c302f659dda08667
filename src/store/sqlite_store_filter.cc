// DecisionFilter -> SQL for the SQLite store: the WHERE terms every filtered listing, count and
// statistic shares, the full-text query mapped onto FTS5, and the aggregate reads built on them.
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

// True when `term` holds a letter or digit (else FTS5's tokenizer sees no token in it).
bool HasWordCharacter(std::string_view term) {
  for (unsigned char c : term) {
    if (c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) {
      return true;
    }
  }
  return false;
}

}  // namespace

Result<std::string> FtsMatchExpression(std::string_view text) {
  std::vector<std::string> terms;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    std::string term;
    if (c == '"') {
      const size_t close = text.find('"', i + 1);
      if (close == std::string_view::npos) {
        return Status::InvalidArgument("text search: a \" is not closed in '" + std::string(text) +
                                       "'");
      }
      std::string_view phrase = text.substr(i + 1, close - i - 1);
      i = close + 1;
      if (HasWordCharacter(phrase)) terms.push_back(FtsString(phrase));
      continue;
    }
    size_t end = i;
    while (end < text.size() && text[end] != ' ' && text[end] != '\t' && text[end] != '\n' &&
           text[end] != '\r' && text[end] != '"') {
      ++end;
    }
    std::string_view word = text.substr(i, end - i);
    i = end;
    const bool prefix = word.size() > 1 && word.back() == '*';
    if (prefix) word.remove_suffix(1);
    if (!HasWordCharacter(word)) continue;
    term = FtsString(word);
    if (prefix) term += " *";
    terms.push_back(std::move(term));
  }
  if (terms.empty()) {
    return Status::InvalidArgument("text search: no word to search for in '" + std::string(text) +
                                   "'");
  }
  std::string expr = std::string(kFtsColumns) + " : (";
  for (size_t k = 0; k < terms.size(); ++k) {
    if (k > 0) expr += " AND ";
    expr += terms[k];
  }
  expr += ")";
  return expr;
}

Result<FilterSql> BuildDecisionFilter(const DecisionFilter& filter) {
  // Built from constant fragments only; every value is bound. The flagged term is spelled
  // exactly as the decisions_flagged partial index's WHERE, so the planner can use that index.
  FilterSql out;
  out.where = " WHERE 1";
  auto param = [&out](BindValue value) {
    out.values.push_back(std::move(value));
    // Appended piecewise: `"?" + std::to_string(i)` trips GCC 12's -Wrestrict false positive.
    std::string name = "?";
    name += std::to_string(out.values.size());
    return name;
  };
  if (filter.flagged_only) out.where += " AND (verdict != 'ham' OR uncertain != 0)";
  LabelFilter label = filter.label;
  if (filter.unreviewed_only) label = LabelFilter::kUnlabeled;
  switch (label) {
    case LabelFilter::kAny:
      break;
    case LabelFilter::kUnlabeled:
      out.where +=
          " AND NOT EXISTS (SELECT 1 FROM feedback f WHERE f.decision_id = d.id"
          " AND f.revoked_ms IS NULL)";
      break;
    case LabelFilter::kLabeled:
      out.where +=
          " AND EXISTS (SELECT 1 FROM feedback f WHERE f.decision_id = d.id"
          " AND f.revoked_ms IS NULL)";
      break;
    case LabelFilter::kSpam:
      out.where += " AND " + LatestLabelSql() + " = 'spam'";
      break;
    case LabelFilter::kHam:
      out.where += " AND " + LatestLabelSql() + " = 'ham'";
      break;
  }
  if (filter.first_checks_only) out.where += " AND d.recheck_reason = ''";
  if (filter.key_id) {
    // Key id 0 means "made without a key": NULL in the column.
    out.where +=
        *filter.key_id == 0 ? " AND d.key_id IS NULL" : " AND d.key_id = " + param(*filter.key_id);
  }
  if (filter.since_ms) out.where += " AND d.created_ms >= " + param(*filter.since_ms);
  if (filter.until_ms) out.where += " AND d.created_ms < " + param(*filter.until_ms);
  if (!filter.verdicts.empty()) {
    out.where += " AND d.verdict IN (";
    for (size_t i = 0; i < filter.verdicts.size(); ++i) {
      if (i > 0) out.where += ", ";
      out.where += param(std::string(core::VerdictName(filter.verdicts[i])));
    }
    out.where += ")";
  }
  if (filter.uncertain_only) out.where += " AND d.uncertain = 1";
  if (!filter.site.empty()) {
    std::string site = filter.site;
    while (!site.empty() && site.back() == '/') site.pop_back();
    const std::string p = param(site);
    out.where += " AND (rtrim(d.site_url, '/') = " + p + " OR rtrim(d.blog, '/') = " + p + ")";
  }
  if (filter.min_score) out.where += " AND d.score >= " + param(*filter.min_score);
  if (filter.max_score) out.where += " AND d.score <= " + param(*filter.max_score);
  if (!filter.text.empty()) {
    auto match = FtsMatchExpression(filter.text);
    if (!match) return match.error();
    out.where += " AND d.id IN (SELECT decision_id FROM decisions_fts WHERE decisions_fts MATCH " +
                 param(*match) + ")";
  }
  if (!filter.author_contains.empty()) {
    out.where +=
        " AND instr(lower(d.comment_author), lower(" + param(filter.author_contains) + ")) > 0";
  }
  if (!filter.email_contains.empty()) {
    out.where += " AND instr(lower(d.comment_author_email), lower(" + param(filter.email_contains) +
                 ")) > 0";
  }
  if (!filter.ip.empty()) out.where += " AND d.user_ip = " + param(filter.ip);
  if (!filter.ip_prefix.empty()) {
    // substr, not LIKE: '%' and '_' in the value are literal.
    const std::string p = param(filter.ip_prefix);
    out.where += " AND substr(d.user_ip, 1, length(" + p + ")) = " + p;
  }
  if (!filter.mentions.empty()) {
    const std::string p = param(filter.mentions);
    out.where += " AND (instr(lower(d.comment_content), lower(" + p +
                 ")) > 0 OR instr(lower(d.comment_author_url), lower(" + p + ")) > 0)";
  }
  if (filter.exclude_linked_rechecks) out.where += " AND d.recheck_of IS NULL";
  if (filter.exclude_tests) out.where += " AND d.is_test = 0";
  if (filter.exclude_purged) out.where += " AND d.purged_ms IS NULL";
  return out;
}

std::string_view OrderBySql(DecisionOrder order) {
  switch (order) {
    case DecisionOrder::kNewest:
      return " ORDER BY d.created_ms DESC, d.rowid DESC";
    case DecisionOrder::kOldest:
      return " ORDER BY d.created_ms ASC, d.rowid ASC";
    case DecisionOrder::kRiskiest:
      return " ORDER BY d.score DESC, d.created_ms DESC, d.rowid DESC";
  }
  return " ORDER BY d.created_ms DESC, d.rowid DESC";
}

void BindValues(Statement& stmt, const std::vector<BindValue>& values, int first) {
  int index = first;
  for (const BindValue& v : values) {
    if (const auto* i = std::get_if<int64_t>(&v)) {
      stmt.BindInt(index, *i);
    } else if (const auto* d = std::get_if<double>(&v)) {
      stmt.BindDouble(index, *d);
    } else {
      stmt.BindText(index, std::get<std::string>(v));
    }
    ++index;
  }
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
  return internal::BuildDecisionFilter(filter);
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
                          std::string(internal::OrderBySql(filter.order)) + " LIMIT ?" +
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
  auto rows = ReadAll<VolumeCount>(*stmt, [](const Statement& s) -> Result<VolumeCount> {
    VolumeCount c;
    c.day = s.ColumnText(0);
    c.site = s.ColumnText(1);
    auto verdict = core::ParseVerdict(s.ColumnText(2));
    if (!verdict) return Status::Internal("corrupt verdict column");
    c.verdict = *verdict;
    c.uncertain = s.ColumnInt(3) != 0;
    c.label = s.ColumnText(4);
    c.count = s.ColumnInt(5);
    return c;
  });
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

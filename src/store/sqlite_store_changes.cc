// SqliteStore's decision changes for sites that poll (GET /v1/decisions): two streams, new
// decisions by rowid and new feedback by id, merged by time into pages behind a cursor that
// remembers how far each stream was read.
#include <charconv>
#include <unordered_map>
#include <utility>

#include "store/change_merge.h"
#include "store/sqlite_store.h"
#include "store/sqlite_store_internal.h"

namespace hamlet::store {

using core::Result;
using core::Status;
using internal::Connection;
using internal::Statement;
using internal::WithContext;

namespace {

struct Cursor {
  int64_t decision_rowid = 0;  // the last decision row read
  int64_t feedback_id = 0;     // the last feedback row read
};

std::optional<int64_t> ParseCount(std::string_view text) {
  int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 0 || text.empty()) {
    return std::nullopt;
  }
  return v;
}

Result<Cursor> ParseCursor(const std::string& text) {
  if (text.empty()) return Cursor{};
  const size_t dot = text.find('.');
  if (dot != std::string::npos) {
    auto d = ParseCount(std::string_view(text).substr(0, dot));
    auto f = ParseCount(std::string_view(text).substr(dot + 1));
    if (d && f) return Cursor{*d, *f};
  }
  return Status::InvalidArgument("the cursor '" + text.substr(0, 64) +
                                 "' is not one this service handed out (use a 'next' value)");
}

std::string FormatCursor(const Cursor& c) {
  return std::to_string(c.decision_rowid) + "." + std::to_string(c.feedback_id);
}

using Change = internal::StreamChange<int64_t>;

Result<Change> ReadChange(const Statement& s) {
  return Change{s.ColumnInt(0), s.ColumnText(1), s.ColumnInt(2)};
}

}  // namespace

Result<DecisionChangesPage> SqliteStore::ListDecisionChanges(const std::string& site_url,
                                                             const std::string& cursor_text,
                                                             int limit) {
  const std::string context = "list decision changes";
  if (limit < 1) return Status::InvalidArgument(context + ": the limit must be at least 1");
  Result<Cursor> cursor = ParseCursor(cursor_text);
  if (!cursor) return cursor.error();

  // decisions_by_site carries the rowid, so this walks only the site's rows after the cursor.
  static const std::string kDecisionsSql =
      "SELECT d.rowid, d.id, d.created_ms FROM decisions d INDEXED BY decisions_by_site"
      " WHERE d.site_url = ?1 AND d.rowid > ?2 ORDER BY d.rowid LIMIT ?3";
  static const std::string kFeedbackSql =
      "SELECT f.id, f.decision_id, f.created_ms FROM feedback f"
      " JOIN decisions d ON d.id = f.decision_id"
      " WHERE d.site_url = ?1 AND f.id > ?2 ORDER BY f.id LIMIT ?3";
  static const std::string kDecisionSql = internal::DecisionSelectSql() + " WHERE d.id = ?1";
  static const std::string kLatestFeedbackSql =
      internal::FeedbackSelectSql() +
      " WHERE f.decision_id = ?1 AND f.revoked_ms IS NULL ORDER BY f.id DESC LIMIT 1";

  ReadLock lock(*this);
  Connection& conn = lock.conn();
  // One read transaction: the streams and the records come from the same snapshot.
  if (Status s = conn.Exec("BEGIN"); !s.ok()) return WithContext(s, context);
  auto page = [&]() -> Result<DecisionChangesPage> {
    auto read_stream = [&](const std::string& sql, int64_t after) -> Result<std::vector<Change>> {
      auto stmt = conn.Prepare(sql);
      if (!stmt) return stmt.error();
      stmt->BindText(1, site_url);
      stmt->BindInt(2, after);
      stmt->BindInt(3, static_cast<int64_t>(limit) + 1);  // one more tells whether more exist
      return internal::ReadAll<Change>(*stmt, ReadChange);
    };
    auto decisions = read_stream(kDecisionsSql, cursor->decision_rowid);
    if (!decisions) return decisions.error();
    auto feedback = read_stream(kFeedbackSql, cursor->feedback_id);
    if (!feedback) return feedback.error();
    const auto merged = internal::MergeChanges(*decisions, *feedback, cursor->decision_rowid,
                                               cursor->feedback_id, limit);

    // Each decision once, where its last change in this page put it.
    std::unordered_map<std::string, size_t> last;
    for (size_t k = 0; k < merged.decision_ids.size(); ++k) last[merged.decision_ids[k]] = k;
    DecisionChangesPage out;
    out.next_cursor = FormatCursor(Cursor{merged.decisions_next, merged.feedback_next});
    out.more = merged.more;
    for (size_t k = 0; k < merged.decision_ids.size(); ++k) {
      const std::string& id = merged.decision_ids[k];
      if (last[id] != k) continue;
      DecisionChange change;
      auto stmt = conn.Prepare(kDecisionSql);
      if (!stmt) return stmt.error();
      stmt->BindText(1, id);
      auto record = internal::ReadOptional<DecisionRecord>(*stmt, internal::ReadDecision);
      if (!record) return record.error();
      if (!*record) return Status::Internal("decision " + id + " vanished while read");
      change.decision = std::move(**record);

      auto fstmt = conn.Prepare(kLatestFeedbackSql);
      if (!fstmt) return fstmt.error();
      fstmt->BindText(1, id);
      auto latest = internal::ReadOptional<FeedbackRecord>(*fstmt, internal::ReadFeedback);
      if (!latest) return latest.error();
      change.latest_feedback = std::move(*latest);
      out.changes.push_back(std::move(change));
    }
    return out;
  }();
  (void)conn.Exec(page ? "COMMIT" : "ROLLBACK");
  if (!page) return WithContext(page.error(), context);
  return page;
}

}  // namespace hamlet::store

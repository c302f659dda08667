// SqliteStore's decision changes for sites that poll (GET /v1/decisions): three streams, new
// decisions by rowid, new feedback by id and undos by revoke stamp, merged by time into pages
// behind a cursor that remembers how far each stream was read.
#include <array>
#include <optional>
#include <vector>
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

// A stream position: (0, rowid) for decisions, (0, id) for feedback, (revoke stamp, feedback
// id) for undos.
struct Position {
  int64_t stamp = 0;
  int64_t row = 0;
};
using Change = internal::StreamChange<Position>;
using Cursor = std::array<Position, internal::kStreams>;

// "<decision rowid>.<feedback id>.<revoke stamp>.<revoked feedback id>"; "" is the beginning.
// A cursor handed out before undos were a stream ("<rowid>.<id>") reads every undo since.
Result<Cursor> ParseCursor(const std::string& text) {
  if (text.empty()) return Cursor{};
  std::optional<std::vector<int64_t>> parts = internal::ParseCursorNumbers(text, 4);
  if (parts && (parts->size() == 2 || parts->size() == 4)) {
    parts->resize(4, 0);
    const std::vector<int64_t>& n = *parts;
    return Cursor{Position{0, n[0]}, Position{0, n[1]}, Position{n[2], n[3]}};
  }
  return Status::InvalidArgument("the cursor '" + text.substr(0, 64) +
                                 "' is not one this service handed out (use a 'next' value)");
}

std::string FormatCursor(const Cursor& c) {
  const Position& undo = c[internal::kRevocationStream];
  return std::to_string(c[internal::kDecisionStream].row) + "." +
         std::to_string(c[internal::kFeedbackStream].row) + "." + std::to_string(undo.stamp) +
         "." + std::to_string(undo.row);
}

Result<Change> ReadChange(const Statement& s) {
  return Change{{s.ColumnInt(0), s.ColumnInt(1)}, s.ColumnText(2), s.ColumnInt(3)};
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
  // Each stream's query reads (stamp, row, decision id, time), after (?2, ?3).
  static const std::array<std::string, internal::kStreams> kStreamSql = {
      "SELECT 0, d.rowid, d.id, d.created_ms FROM decisions d INDEXED BY decisions_by_site"
      " WHERE d.site_url = ?1 AND d.rowid > ?3 ORDER BY d.rowid LIMIT ?4",
      "SELECT 0, f.id, f.decision_id, f.created_ms FROM feedback f"
      " JOIN decisions d ON d.id = f.decision_id"
      " WHERE d.site_url = ?1 AND f.id > ?3 ORDER BY f.id LIMIT ?4",
      // CROSS JOIN keeps feedback the outer loop: undos are few and feedback_by_revocation
      // starts at the cursor, where the planner would walk every decision of the site.
      "SELECT f.revoke_stamp, f.id, f.decision_id, f.revoked_ms FROM feedback f"
      " CROSS JOIN decisions d ON d.id = f.decision_id"
      " WHERE d.site_url = ?1 AND f.revoke_stamp IS NOT NULL AND (f.revoke_stamp, f.id) > (?2, ?3)"
      " ORDER BY f.revoke_stamp, f.id LIMIT ?4"};
  static const std::string kDecisionSql = internal::DecisionSelectSql() + " WHERE d.id = ?1";
  static const std::string kLatestFeedbackSql =
      internal::FeedbackSelectSql() +
      " WHERE f.decision_id = ?1 AND f.revoked_ms IS NULL ORDER BY f.id DESC LIMIT 1";

  ReadLock lock(*this);
  Connection& conn = lock.conn();
  // One read transaction: the streams and the records come from the same snapshot.
  if (Status s = conn.Exec("BEGIN"); !s.ok()) return WithContext(s, context);
  auto page = [&]() -> Result<DecisionChangesPage> {
    internal::ChangeStreams<Position> streams;
    for (size_t k = 0; k < internal::kStreams; ++k) {
      auto stmt = conn.Prepare(kStreamSql[k]);
      if (!stmt) return stmt.error();
      stmt->BindText(1, site_url);
      stmt->BindInt(2, (*cursor)[k].stamp);
      stmt->BindInt(3, (*cursor)[k].row);
      stmt->BindInt(4, static_cast<int64_t>(limit) + 1);  // one more tells whether more exist
      auto rows = internal::ReadAll<Change>(*stmt, ReadChange);
      if (!rows) return rows.error();
      streams[k] = std::move(rows).value();
    }
    const auto merged = internal::MergeChanges(streams, *cursor, limit);

    // Each decision once, where its last change in this page put it.
    std::unordered_map<std::string, size_t> last;
    for (size_t k = 0; k < merged.decision_ids.size(); ++k) last[merged.decision_ids[k]] = k;
    DecisionChangesPage out;
    out.next_cursor = FormatCursor(merged.next);
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

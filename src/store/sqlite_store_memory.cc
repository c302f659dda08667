// SqliteStore's reads for the engine's memory: decisions in time order or in commit (rowid)
// order, and feedback in id order, with only the columns memory needs (its trace, or the fields
// to derive one from).
#include <utility>

#include "core/comment.h"
#include "store/sqlite_store.h"
#include "store/sqlite_store_internal.h"

namespace hamlet::store {

using core::Result;
using core::Status;
using internal::Statement;
using internal::WithContext;

namespace {

// The rows of a statement that selects the position, then internal::kMemoryDecisionColumns.
Result<std::vector<MemoryDecision>> ReadMemoryDecisions(Statement& stmt,
                                                        const std::string& context) {
  std::vector<MemoryDecision> out;
  for (;;) {
    Result<bool> row = stmt.Step();
    if (!row) return WithContext(row.error(), context);
    if (!*row) return out;
    auto decision = internal::ReadPositionedMemoryDecision(stmt);
    if (!decision) return WithContext(decision.error(), context);
    out.push_back(std::move(decision).value());
  }
}

}  // namespace

Result<std::vector<MemoryDecision>> SqliteStore::ListMemoryDecisions(int64_t since_ms,
                                                                     const MemoryCursor& after,
                                                                     int limit) {
  const std::string context = "list decisions for memory";
  if (limit < 0) return Status::InvalidArgument(context + ": limit must not be negative");
  // Keyset paging on (created_ms, id): decisions_by_time finds the start, and rows of one
  // millisecond are few, so the id part of the order costs a small sort at most.
  static const std::string kSql = std::string("SELECT 0, d.rowid, ") +
                                  internal::kMemoryDecisionColumns +
                                  " FROM decisions d WHERE d.created_ms >= ?1"
                                  " AND (d.created_ms > ?2 OR (d.created_ms = ?2 AND d.id > ?3))"
                                  " ORDER BY d.created_ms, d.id LIMIT ?4";
  ReadLock lock(*this);
  auto stmt = lock.conn().Prepare(kSql);
  if (!stmt) return WithContext(stmt.error(), context);
  stmt->BindInt(1, since_ms);
  stmt->BindInt(2, after.created_ms);
  stmt->BindText(3, after.id);
  stmt->BindInt(4, limit);
  return ReadMemoryDecisions(*stmt, context);
}

// A decision's position is (0, rowid). SQLite has one writer at a time, holding the write lock
// for its whole transaction, and gives a new row max(rowid) + 1 (decisions are never deleted, so
// no rowid is handed out twice): rowids grow in commit order, and a reader that sees a rowid has
// seen every smaller one.
Result<DecisionPosition> SqliteStore::LastDecisionPosition() {
  const std::string context = "find the last decision";
  ReadLock lock(*this);
  auto stmt = lock.conn().Prepare("SELECT max(rowid) FROM decisions");
  if (!stmt) return WithContext(stmt.error(), context);
  Result<bool> row = stmt->Step();
  if (!row) return WithContext(row.error(), context);
  return DecisionPosition{0, *row ? stmt->ColumnInt(0) : 0};
}

Result<std::vector<MemoryDecision>> SqliteStore::ListMemoryDecisionsAfter(
    const DecisionPosition& after, int limit) {
  const std::string context = "list decisions for memory";
  if (limit < 0) return Status::InvalidArgument(context + ": limit must not be negative");
  static const std::string kSql = std::string("SELECT 0, d.rowid, ") +
                                  internal::kMemoryDecisionColumns +
                                  " FROM decisions d WHERE d.rowid > ?1 ORDER BY d.rowid LIMIT ?2";
  ReadLock lock(*this);
  auto stmt = lock.conn().Prepare(kSql);
  if (!stmt) return WithContext(stmt.error(), context);
  stmt->BindInt(1, after.seq);
  stmt->BindInt(2, limit);
  return ReadMemoryDecisions(*stmt, context);
}

// A feedback row's position is (0, id), as a decision's is (0, rowid): `id` is the rowid, one
// writer at a time holds the write lock for its whole transaction, a new row gets
// max(rowid) + 1, and feedback rows are never deleted, so ids grow in commit order.
Result<std::vector<MemoryFeedback>> SqliteStore::ListMemoryFeedback(const FeedbackPosition& after,
                                                                    int64_t since_ms, int limit) {
  const std::string context = "list feedback for memory";
  if (limit < 0) return Status::InvalidArgument(context + ": limit must not be negative");
  static const std::string kSql = internal::MemoryFeedbackSql("0", "f.id > ?2", "f.id");
  ReadLock lock(*this);
  auto stmt = lock.conn().Prepare(kSql);
  if (!stmt) return WithContext(stmt.error(), context);
  stmt->BindInt(1, after.stamp);  // unused: SQLite's stamp is always 0
  stmt->BindInt(2, after.id);
  stmt->BindInt(3, since_ms);
  stmt->BindInt(4, limit);
  std::vector<MemoryFeedback> out;
  for (;;) {
    Result<bool> row = stmt->Step();
    if (!row) return WithContext(row.error(), context);
    if (!*row) return out;
    auto f = internal::ReadMemoryFeedback(*stmt);
    if (!f) return WithContext(f.error(), context);
    out.push_back(std::move(f).value());
  }
}

Result<std::vector<MemoryRevocation>> SqliteStore::ListMemoryRevocations(
    const RevocationPosition& after, int64_t since_ms, int limit) {
  const std::string context = "list revoked feedback for memory";
  if (limit < 0) return Status::InvalidArgument(context + ": limit must not be negative");
  ReadLock lock(*this);
  auto stmt = lock.conn().Prepare(internal::MemoryRevocationSql());
  if (!stmt) return WithContext(stmt.error(), context);
  stmt->BindInt(1, after.stamp);
  stmt->BindInt(2, after.id);
  stmt->BindInt(3, since_ms);
  stmt->BindInt(4, limit);
  auto rows = internal::ReadAll<MemoryRevocation>(*stmt, internal::ReadMemoryRevocation);
  if (!rows) return WithContext(rows.error(), context);
  return rows;
}

}  // namespace hamlet::store

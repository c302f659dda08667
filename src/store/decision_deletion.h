// The SQL of retention's row deletion (Store::DeleteOldDecisions, CountDeletable,
// ListDeletedCounts), shared by both backends: each names its insertion-order column and how
// a JSON array parameter of ids becomes a set, and runs the statements in one transaction.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/row_codec.h"
#include "store/sql_filter.h"
#include "store/store.h"

namespace hamlet::store::internal {

// What differs between the backends.
struct DeletionDialect {
  std::string order_column;  // insertion order: "rowid" (SQLite), "seq" (PostgreSQL)
  // The set of ids in the JSON array bound as parameter 1, as a parenthesized subquery.
  std::string id_set;
};

// The statements, parameters as `?N`.
struct DeletionSql {
  // ?1 before_ms, ?2 limit: a batch of decision ids, newest first (a recheck goes before or
  // with the decision it refers to).
  std::string candidates;
  // ?1 ids: the ids of the batch that must stay (a recheck outside the batch refers to them,
  // or they hold the newest feedback row).
  std::string blocked;
  // ?1 ids: adds the batch to decision_days.
  std::string add_counts;
  // ?1 ids, each returning the rows deleted.
  std::string delete_events;
  std::string delete_feedback;
  std::string delete_decisions;
  // ?1 before_ms, ?2 limit.
  std::string delete_unlinked_events;
  std::string delete_unlinked_feedback;
  std::string delete_actions;
  // ?1 before_ms: one row of four counts (DeleteCounts).
  std::string count_deletable;
  // ?1 since_ms, ?2 until_ms.
  std::string list_counts;
};

DeletionSql MakeDeletionSql(const DeletionDialect& dialect);

// How a backend runs one statement inside its open write transaction: the first column of
// every row as text, or the number of rows changed.
using DeletionReadIds = std::function<core::Result<std::vector<std::string>>(
    const std::string& sql, const std::vector<BindValue>& values)>;
using DeletionRun = std::function<core::Result<int64_t>(const std::string& sql,
                                                        const std::vector<BindValue>& values)>;

// One batch of DeleteOldDecisions, run inside the caller's transaction: take the batch, leave
// out what must stay (until nothing changes), count it into decision_days, delete it, then the
// old feedback without a decision and the emptied moderator actions.
core::Result<DeleteCounts> DeleteOldDecisionsBatch(const DeletionSql& sql, int64_t before_ms,
                                                   int max_rows, const DeletionReadIds& read_ids,
                                                   const DeletionRun& run);

// ["id1","id2",...] for the id set parameter (ids are hex, but escaped anyway).
std::string JsonIdArray(const std::vector<std::string>& ids);

// `ids` without those in `remove`, in order.
std::vector<std::string> Without(const std::vector<std::string>& ids,
                                 const std::vector<std::string>& remove);

core::Result<DeletedCount> ReadDeletedCount(const RowSource& row);
// The one row of DeletionSql::count_deletable.
core::Result<DeleteCounts> ReadDeleteCounts(const RowSource& row);

}  // namespace hamlet::store::internal

// Retention's row deletion in SQL both backends run (see decision_deletion.h).
#include "store/decision_deletion.h"

#include <iterator>
#include <nlohmann/json.hpp>
#include <unordered_set>
#include <utility>

namespace hamlet::store::internal {
namespace {

constexpr char kCountColumns[] =
    "day_ms, key_id, site_url, blog, verdict, uncertain, label, is_test, recheck, linked";

}  // namespace

DeletionSql MakeDeletionSql(const DeletionDialect& dialect) {
  const std::string& ord = dialect.order_column;
  const std::string& ids = dialect.id_set;
  const std::string cols = kCountColumns;
  // A decision the deletion may take: old, not the newest (its id would be handed out again
  // by SQLite), and no recheck younger than the cut refers to it.
  const std::string candidate =
      "d.created_ms < ?1 AND d." + ord + " < (SELECT max(" + ord +
      ") FROM decisions)"
      " AND NOT EXISTS (SELECT 1 FROM decisions r WHERE r.recheck_of = d.id"
      " AND r.created_ms >= ?1)";
  const std::string unlinked_feedback =
      "SELECT id FROM feedback WHERE decision_id IS NULL AND created_ms < ?1"
      " AND id < (SELECT max(id) FROM feedback) ORDER BY id LIMIT ?2";
  DeletionSql sql;
  sql.candidates = "SELECT d.id FROM decisions d WHERE " + candidate +
                   " ORDER BY d.created_ms DESC, d." + ord + " DESC LIMIT ?2";
  sql.blocked = "SELECT r.recheck_of FROM decisions r WHERE r.recheck_of IN " + ids +
                " AND r.id NOT IN " + ids +
                " UNION SELECT f.decision_id FROM feedback f"
                " WHERE f.id = (SELECT max(id) FROM feedback) AND f.decision_id IS NOT NULL";
  sql.add_counts = "INSERT INTO decision_days (" + cols + ", decisions) SELECT " + cols +
                   ", count(*) FROM (SELECT d.created_ms - d.created_ms % 86400000 AS day_ms,"
                   " coalesce(d.key_id, 0) AS key_id, d.site_url AS site_url, d.blog AS blog,"
                   " d.verdict AS verdict, d.uncertain AS uncertain, coalesce(" +
                   LatestLabelSql() +
                   ", '') AS label, d.is_test AS is_test,"
                   " CASE WHEN d.recheck_reason = '' THEN 0 ELSE 1 END AS recheck,"
                   " CASE WHEN d.recheck_of IS NULL THEN 0 ELSE 1 END AS linked"
                   " FROM decisions d WHERE d.id IN " +
                   ids + ") c WHERE true GROUP BY " + cols + " ON CONFLICT (" + cols +
                   ") DO UPDATE SET decisions = decision_days.decisions + excluded.decisions";
  sql.delete_events = "DELETE FROM webhook_events WHERE decision_id IN " + ids +
                      " OR feedback_id IN (SELECT id FROM feedback WHERE decision_id IN " + ids +
                      ")";
  sql.delete_feedback = "DELETE FROM feedback WHERE decision_id IN " + ids;
  sql.delete_decisions = "DELETE FROM decisions WHERE id IN " + ids;
  sql.delete_unlinked_events =
      "DELETE FROM webhook_events WHERE feedback_id IN (" + unlinked_feedback + ")";
  sql.delete_unlinked_feedback = "DELETE FROM feedback WHERE id IN (" + unlinked_feedback + ")";
  sql.delete_actions =
      "DELETE FROM moderator_actions WHERE id IN (SELECT a.id FROM moderator_actions a"
      " WHERE a.created_ms < ?1 AND a.id < (SELECT max(id) FROM moderator_actions)"
      " AND NOT EXISTS (SELECT 1 FROM feedback f WHERE f.action_id = a.id)"
      " ORDER BY a.id LIMIT ?2)";
  const std::string deletable = "(SELECT d.id FROM decisions d WHERE " + candidate + ")";
  sql.count_deletable =
      "SELECT (SELECT count(*) FROM decisions d WHERE " + candidate +
      "),"
      " (SELECT count(*) FROM feedback WHERE decision_id IN " +
      deletable +
      ") + (SELECT count(*) FROM feedback WHERE decision_id IS NULL AND created_ms < ?1"
      "   AND id < (SELECT max(id) FROM feedback)),"
      " (SELECT count(*) FROM moderator_actions a WHERE a.created_ms < ?1"
      "   AND a.id < (SELECT max(id) FROM moderator_actions)"
      "   AND NOT EXISTS (SELECT 1 FROM feedback f WHERE f.action_id = a.id"
      "     AND (f.decision_id IS NULL OR f.decision_id NOT IN " +
      deletable +
      "))),"
      " (SELECT count(*) FROM webhook_events WHERE decision_id IN " +
      deletable + ")";
  sql.list_counts = "SELECT " + cols +
                    ", decisions FROM decision_days WHERE day_ms >= ?1 AND day_ms < ?2"
                    " ORDER BY day_ms, site_url, blog, key_id, verdict, uncertain, label,"
                    " is_test, recheck, linked";
  return sql;
}

core::Result<DeleteCounts> DeleteOldDecisionsBatch(const DeletionSql& sql, int64_t before_ms,
                                                   int max_rows, const DeletionReadIds& read_ids,
                                                   const DeletionRun& run) {
  DeleteCounts counts;
  auto ids = read_ids(sql.candidates, {before_ms, int64_t{max_rows}});
  if (!ids) return ids.error();
  if (!ids->empty()) {
    // Leave out what must stay, until what stays holds nothing back (a decision kept keeps
    // the first check it refers to).
    std::vector<std::string> take = std::move(*ids);
    for (int round = 0; round < 8 && !take.empty(); ++round) {
      auto blocked = read_ids(sql.blocked, {JsonIdArray(take)});
      if (!blocked) return blocked.error();
      std::vector<std::string> rest = Without(take, *blocked);
      if (rest.size() == take.size()) break;
      take = std::move(rest);
    }
    const std::string set = JsonIdArray(take);
    int64_t* into[] = {nullptr, &counts.webhook_events, &counts.feedback, &counts.decisions};
    const std::string* steps[] = {&sql.add_counts, &sql.delete_events, &sql.delete_feedback,
                                  &sql.delete_decisions};
    for (size_t i = 0; i < std::size(steps); ++i) {
      auto n = run(*steps[i], {set});
      if (!n) return n.error();
      if (into[i] != nullptr) *into[i] += *n;
    }
  }
  const std::vector<BindValue> old = {before_ms, int64_t{max_rows}};
  int64_t* into[] = {&counts.webhook_events, &counts.feedback, &counts.actions};
  const std::string* steps[] = {&sql.delete_unlinked_events, &sql.delete_unlinked_feedback,
                                &sql.delete_actions};
  for (size_t i = 0; i < std::size(steps); ++i) {
    auto n = run(*steps[i], old);
    if (!n) return n.error();
    *into[i] += *n;
  }
  return counts;
}

std::string JsonIdArray(const std::vector<std::string>& ids) {
  return nlohmann::json(ids).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<std::string> Without(const std::vector<std::string>& ids,
                                 const std::vector<std::string>& remove) {
  const std::unordered_set<std::string> gone(remove.begin(), remove.end());
  std::vector<std::string> out;
  for (const std::string& id : ids) {
    if (!gone.count(id)) out.push_back(id);
  }
  return out;
}

core::Result<DeleteCounts> ReadDeleteCounts(const RowSource& row) {
  return DeleteCounts{row.ColumnInt(0), row.ColumnInt(1), row.ColumnInt(2), row.ColumnInt(3)};
}

core::Result<DeletedCount> ReadDeletedCount(const RowSource& row) {
  DeletedCount c;
  c.day_ms = row.ColumnInt(0);
  c.key_id = row.ColumnInt(1);
  c.site_url = row.ColumnText(2);
  c.blog = row.ColumnText(3);
  auto verdict = core::ParseVerdict(row.ColumnText(4));
  if (!verdict) return core::Status::Internal("corrupt verdict column in decision_days");
  c.verdict = *verdict;
  c.uncertain = row.ColumnInt(5) != 0;
  c.label = row.ColumnText(6);
  c.is_test = row.ColumnInt(7) != 0;
  c.recheck = row.ColumnInt(8) != 0;
  c.linked = row.ColumnInt(9) != 0;
  c.decisions = row.ColumnInt(10);
  return c;
}

}  // namespace hamlet::store::internal

// Export pages and import statements of an installation's tables, shared by the SQL stores
// (see install_rows.h). Every row comes and goes with every column, its id included, except
// the positions of the change streams: PostgreSQL's change_stamp takes the target's clock,
// and feedback.revoke_stamp stays NULL (an undo before the move is history; the sites' feed
// cursors belong to the old store and memory's rebuild skips revoked rows anyway).
#include "store/install_rows.h"

#include <utility>

#include "store/decision_deletion.h"

namespace hamlet::store::internal {
namespace {

// Tables paged by their integer id (column 0 of each page row is the position); meta and
// site_settings, keyed by text and small, are paged by offset.
bool PagedByOffset(InstallTable table) {
  return table == InstallTable::kMeta || table == InstallTable::kSiteSettings ||
         table == InstallTable::kDecisionDays;
}

// A row read from column 1 on: column 0 of a page row is its position.
class ShiftedRow final : public RowSource {
 public:
  explicit ShiftedRow(const RowSource& row) : row_(row) {}
  bool ColumnIsNull(int col) const override { return row_.ColumnIsNull(col + 1); }
  int64_t ColumnInt(int col) const override { return row_.ColumnInt(col + 1); }
  double ColumnDouble(int col) const override { return row_.ColumnDouble(col + 1); }
  std::string ColumnText(int col) const override { return row_.ColumnText(col + 1); }
  std::string ColumnBlob(int col) const override { return row_.ColumnBlob(col + 1); }

 private:
  const RowSource& row_;
};

void BindOptionalInt(ParamSink& stmt, int index, const std::optional<int64_t>& value) {
  if (value) {
    stmt.BindInt(index, *value);
  } else {
    stmt.BindNull(index);
  }
}

// Runs `run` on `sql` for each row of `items`, naming the row in an error.
template <typename T, typename Bind, typename Name>
core::Status EachRow(const std::vector<T>& items, const std::string& sql, Bind bind, Name name,
                     const ImportStatementRunner& run) {
  for (const T& item : items) {
    core::Status s = run(sql, [&](ParamSink& stmt) { bind(stmt, item); });
    if (!s.ok()) return WithContext(s, name(item));
  }
  return core::Status::Ok();
}

const char* const kKeyInsertSql =
    "INSERT INTO site_keys (id, site_url, key_hash, key_hint, created_ms, revoked_ms, role)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
const char* const kSettingInsertSql =
    "INSERT INTO site_settings (site_url, name, value, updated_ms) VALUES (?1, ?2, ?3, ?4)";
const char* const kListEntryInsertSql =
    "INSERT INTO list_entries (id, site_url, list, kind, value, note, added_by, created_ms)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
const char* const kActionInsertSql =
    "INSERT INTO moderator_actions (id, moderator, label, origin, selection, created_ms,"
    " item_count, undone_ms, undone_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
// A value under the same name is replaced: the destination's own salts (made when something
// opened it) give way to the installation's, which its keys and memory were hashed with.
const char* const kMetaUpsertSql =
    "INSERT INTO meta (name, value) VALUES (?1, ?2)"
    " ON CONFLICT (name) DO UPDATE SET value = excluded.value";
const char* const kPublishedModelInsertSql =
    "INSERT INTO published_models (id, version, model, meta_json, sha256, published_ms,"
    " publisher) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
const char* const kDeletedCountInsertSql =
    "INSERT INTO decision_days (day_ms, key_id, site_url, blog, verdict, uncertain, label,"
    " is_test, recheck, linked, decisions) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
const char* const kListRevisionSql = "UPDATE list_revision SET revision = ?1 WHERE id = 1";

const std::string& EventImportSql() {
  static const std::string kSql =
      std::string("INSERT INTO webhook_events (") + kEventColumns +
      ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";
  return kSql;
}

void BindEventImport(ParamSink& stmt, const WebhookEvent& e) {
  stmt.BindInt(1, e.id);
  stmt.BindText(2, e.event_id);
  stmt.BindText(3, e.site_url);
  stmt.BindText(4, e.type);
  stmt.BindTextOrNull(5, e.decision_id);
  stmt.BindIdOrNull(6, e.feedback_id);
  stmt.BindText(7, e.payload);
  stmt.BindInt(8, e.created_ms);
  stmt.BindText(9, WebhookStateName(e.state));
  stmt.BindInt(10, e.attempts);
  stmt.BindInt(11, e.next_attempt_ms);
  stmt.BindTextOrNull(12, e.claimed_by);
  stmt.BindIdOrNull(13, e.claimed_until_ms);
  stmt.BindIdOrNull(14, e.last_status);
  stmt.BindText(15, e.last_error);
  stmt.BindIdOrNull(16, e.finished_ms);
}

}  // namespace

std::string ExportPageSql(InstallTable table, std::string_view decision_order) {
  switch (table) {
    case InstallTable::kMeta:
      return "SELECT name, value FROM meta ORDER BY name LIMIT ?2 OFFSET ?1";
    case InstallTable::kSiteSettings:
      return "SELECT site_url, name, value, updated_ms FROM site_settings"
             " ORDER BY site_url, name LIMIT ?2 OFFSET ?1";
    case InstallTable::kSiteKeys:
      return "SELECT k.id AS position, " + SiteKeySelectSql().substr(7) +
             " WHERE k.id > ?1 ORDER BY k.id LIMIT ?2";
    case InstallTable::kListEntries:
      return "SELECT id, id, site_url, list, kind, value, note, added_by, created_ms"
             " FROM list_entries WHERE id > ?1 ORDER BY id LIMIT ?2";
    case InstallTable::kModeratorActions:
      return "SELECT id, " + std::string(kActionSelectSql).substr(7) +
             " WHERE id > ?1 ORDER BY id LIMIT ?2";
    case InstallTable::kDecisions: {
      const std::string order = "d." + std::string(decision_order);
      return "SELECT " + order + ", " + DecisionSelectSql().substr(7) + " WHERE " + order +
             " > ?1 ORDER BY " + order + " LIMIT ?2";
    }
    case InstallTable::kFeedback:
      return "SELECT f.id AS position, " + FeedbackSelectSql().substr(7) +
             " WHERE f.id > ?1 ORDER BY f.id LIMIT ?2";
    case InstallTable::kWebhookEvents:
      return std::string("SELECT id, ") + kEventColumns +
             " FROM webhook_events WHERE id > ?1 ORDER BY id LIMIT ?2";
    case InstallTable::kPublishedModels:
      return std::string("SELECT id, ") + kPublishedModelHeadColumns +
             ", length(model), model FROM published_models WHERE id > ?1 ORDER BY id LIMIT ?2";
    case InstallTable::kDecisionDays:
      return "SELECT day_ms, key_id, site_url, blog, verdict, uncertain, label, is_test, recheck,"
             " linked, decisions FROM decision_days ORDER BY day_ms, key_id, site_url, blog,"
             " verdict, uncertain, label, is_test, recheck, linked LIMIT ?2 OFFSET ?1";
  }
  return "";
}

core::Status ExportPageReader::Add(const RowSource& row) {
  InstallRows& rows = page_.rows;
  if (PagedByOffset(table_)) {
    ++next_;
    if (table_ == InstallTable::kMeta) {
      rows.meta.push_back({row.ColumnText(0), row.ColumnText(1)});
    } else if (table_ == InstallTable::kDecisionDays) {
      auto count = ReadDeletedCount(row);
      if (!count) return count.error();
      rows.deleted_counts.push_back(std::move(count).value());
    } else {
      rows.settings.push_back(
          {row.ColumnText(0), row.ColumnText(1), row.ColumnText(2), row.ColumnInt(3)});
    }
    return core::Status::Ok();
  }
  next_ = row.ColumnInt(0);
  const ShiftedRow r(row);
  switch (table_) {
    case InstallTable::kMeta:
    case InstallTable::kSiteSettings:
    case InstallTable::kDecisionDays:
      break;
    case InstallTable::kSiteKeys: {
      auto key = ReadSiteKey(r);
      if (!key) return key.error();
      rows.keys.push_back(std::move(key).value());
      break;
    }
    case InstallTable::kListEntries:
      rows.list_entries.push_back({r.ColumnInt(0), r.ColumnText(1), r.ColumnText(2),
                                   r.ColumnText(3), r.ColumnText(4), r.ColumnText(5),
                                   r.ColumnText(6), r.ColumnInt(7)});
      break;
    case InstallTable::kModeratorActions: {
      auto action = ReadAction(r);
      if (!action) return action.error();
      rows.actions.push_back(std::move(action).value());
      break;
    }
    case InstallTable::kDecisions: {
      auto decision = ReadDecision(r);
      if (!decision) return decision.error();
      decision->feedback_label.reset();  // a read's summary, not a column
      rows.decisions.push_back(std::move(decision).value());
      break;
    }
    case InstallTable::kFeedback: {
      auto feedback = ReadFeedback(r);
      if (!feedback) return feedback.error();
      rows.feedback.push_back(std::move(feedback).value());
      break;
    }
    case InstallTable::kWebhookEvents: {
      auto event = ReadEvent(r);
      if (!event) return event.error();
      rows.webhook_events.push_back(std::move(event).value());
      break;
    }
    case InstallTable::kPublishedModels: {
      PublishedModel model = ReadPublishedModelHead(r, 6);
      model.model = r.ColumnBlob(7);
      rows.published_models.push_back(std::move(model));
      break;
    }
  }
  return core::Status::Ok();
}

InstallPage ExportPageReader::Finish(int limit) && {
  page_.next = next_;
  page_.done = page_.rows.size() < static_cast<size_t>(limit);
  return std::move(page_);
}

std::string CountRowsSql(InstallTable table) {
  return "SELECT count(*) FROM " + std::string(InstallTableName(table));
}

core::Status ForEachImportStatement(const InstallRows& rows, const ImportStatementRunner& run) {
  core::Status s = EachRow(
      rows.meta, kMetaUpsertSql,
      [](ParamSink& p, const MetaEntry& m) {
        p.BindText(1, m.name);
        p.BindText(2, m.value);
      },
      [](const MetaEntry& m) { return "meta " + m.name; }, run);
  if (!s.ok()) return s;
  s = EachRow(
      rows.keys, kKeyInsertSql,
      [](ParamSink& p, const SiteKey& k) {
        p.BindInt(1, k.id);
        p.BindText(2, k.site_url);
        p.BindText(3, k.key_hash);
        p.BindText(4, k.key_hint);
        p.BindInt(5, k.created_ms);
        BindOptionalInt(p, 6, k.revoked_ms);
        p.BindText(7, KeyRoleName(k.role));
      },
      [](const SiteKey& k) { return "key " + std::to_string(k.id); }, run);
  if (!s.ok()) return s;
  s = EachRow(
      rows.settings, kSettingInsertSql,
      [](ParamSink& p, const SiteSetting& x) {
        p.BindText(1, x.site_url);
        p.BindText(2, x.name);
        p.BindText(3, x.value);
        p.BindInt(4, x.updated_ms);
      },
      [](const SiteSetting& x) { return "site setting " + x.name + " of '" + x.site_url + "'"; },
      run);
  if (!s.ok()) return s;
  s = EachRow(
      rows.list_entries, kListEntryInsertSql,
      [](ParamSink& p, const ListEntry& e) {
        p.BindInt(1, e.id);
        p.BindText(2, e.site_url);
        p.BindText(3, e.list);
        p.BindText(4, e.kind);
        p.BindText(5, e.value);
        p.BindText(6, e.note);
        p.BindText(7, e.added_by);
        p.BindInt(8, e.created_ms);
      },
      [](const ListEntry& e) { return "list entry " + std::to_string(e.id); }, run);
  if (!s.ok()) return s;
  s = EachRow(
      rows.actions, kActionInsertSql,
      [](ParamSink& p, const ModeratorAction& a) {
        p.BindInt(1, a.id);
        p.BindText(2, a.moderator);
        p.BindText(3, a.label);
        p.BindText(4, a.origin);
        p.BindText(5, a.selection);
        p.BindInt(6, a.created_ms);
        p.BindInt(7, a.item_count);
        BindOptionalInt(p, 8, a.undone_ms);
        if (a.undone_ms) {
          p.BindText(9, a.undone_by);
        } else {
          p.BindTextOrNull(9, a.undone_by);
        }
      },
      [](const ModeratorAction& a) { return "moderator action " + std::to_string(a.id); }, run);
  if (!s.ok()) return s;
  s = EachRow(
      rows.decisions, DecisionImportSql(), BindDecisionImport,
      [](const DecisionRecord& d) { return "decision " + d.id; }, run);
  if (!s.ok()) return s;
  s = EachRow(
      rows.feedback, FeedbackImportSql(), BindFeedbackImport,
      [](const FeedbackRecord& f) { return "feedback " + std::to_string(f.id); }, run);
  if (!s.ok()) return s;
  s = EachRow(
      rows.webhook_events, EventImportSql(), BindEventImport,
      [](const WebhookEvent& e) { return "webhook event " + std::to_string(e.id); }, run);
  if (!s.ok()) return s;
  s = EachRow(
      rows.published_models, kPublishedModelInsertSql,
      [](ParamSink& p, const PublishedModel& m) {
        p.BindInt(1, m.id);
        p.BindText(2, m.version);
        p.BindBlob(3, m.model);
        p.BindText(4, m.meta_json);
        p.BindText(5, m.sha256);
        p.BindInt(6, m.published_ms);
        p.BindText(7, m.publisher);
      },
      [](const PublishedModel& m) { return "published model " + std::to_string(m.id); }, run);
  if (!s.ok()) return s;
  s = EachRow(
      rows.deleted_counts, kDeletedCountInsertSql,
      [](ParamSink& p, const DeletedCount& c) {
        p.BindInt(1, c.day_ms);
        p.BindInt(2, c.key_id);
        p.BindText(3, c.site_url);
        p.BindText(4, c.blog);
        p.BindText(5, core::VerdictName(c.verdict));
        p.BindInt(6, c.uncertain ? 1 : 0);
        p.BindText(7, c.label);
        p.BindInt(8, c.is_test ? 1 : 0);
        p.BindInt(9, c.recheck ? 1 : 0);
        p.BindInt(10, c.linked ? 1 : 0);
        p.BindInt(11, c.decisions);
      },
      [](const DeletedCount& c) { return "deleted counts of day " + std::to_string(c.day_ms); },
      run);
  if (!s.ok()) return s;
  if (rows.list_revision) {
    s = run(kListRevisionSql, [&](ParamSink& p) { p.BindInt(1, *rows.list_revision); });
    if (!s.ok()) return WithContext(s, "list revision");
  }
  return core::Status::Ok();
}

std::vector<InstallTable> TablesWithImportedIds(const InstallRows& rows) {
  std::vector<InstallTable> out;
  if (!rows.keys.empty()) out.push_back(InstallTable::kSiteKeys);
  if (!rows.list_entries.empty()) out.push_back(InstallTable::kListEntries);
  if (!rows.actions.empty()) out.push_back(InstallTable::kModeratorActions);
  if (!rows.feedback.empty()) out.push_back(InstallTable::kFeedback);
  if (!rows.webhook_events.empty()) out.push_back(InstallTable::kWebhookEvents);
  if (!rows.published_models.empty()) out.push_back(InstallTable::kPublishedModels);
  return out;
}

}  // namespace hamlet::store::internal

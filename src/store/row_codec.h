// The row codec both SQL backends share: the decision, feedback and key column lists, the JSON
// text columns, and records bound to statement parameters / read from result rows through two
// small interfaces each backend's statement implements. SQL here uses SQLite's `?N` parameters;
// the PostgreSQL backend rewrites them to `$N` when it prepares. Not for use outside src/store/
// and tests/store/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/comment.h"
#include "core/decision.h"
#include "core/status.h"
#include "store/store.h"

namespace hamlet::store::internal {

// `status` with `context + ": "` put in front of its message, same code.
core::Status WithContext(const core::Status& status, std::string_view context);

// Where a statement's parameters go. Indexes are 1-based. Errors are kept and reported when
// the statement runs.
class ParamSink {
 public:
  virtual ~ParamSink() = default;
  virtual void BindText(int index, std::string_view value) = 0;
  virtual void BindInt(int index, int64_t value) = 0;
  // NaN binds as NULL (a NOT NULL column then refuses it, as SQLite does).
  virtual void BindDouble(int index, double value) = 0;
  virtual void BindNull(int index) = 0;
  // Bytes as they are (a model file): SQLite's BLOB, PostgreSQL's BYTEA.
  virtual void BindBlob(int index, std::string_view bytes) = 0;
  // Our id columns hold NULL for "none"; in records that is 0 (or an empty string).
  void BindIdOrNull(int index, int64_t id) {
    if (id == 0) {
      BindNull(index);
    } else {
      BindInt(index, id);
    }
  }
  void BindTextOrNull(int index, std::string_view value) {
    if (value.empty()) {
      BindNull(index);
    } else {
      BindText(index, value);
    }
  }
};

// One result row. Columns are 0-based; NULL reads as 0, 0.0 or "".
class RowSource {
 public:
  virtual ~RowSource() = default;
  virtual bool ColumnIsNull(int col) const = 0;
  virtual int64_t ColumnInt(int col) const = 0;
  virtual double ColumnDouble(int col) const = 0;
  virtual std::string ColumnText(int col) const = 0;
  // A BLOB / BYTEA column's bytes.
  virtual std::string ColumnBlob(int col) const = 0;
};

// --- Row codec (row_codec.cc). Column order is fixed by the SQL texts below.

// JSON text for the `fields` columns: [["name","value"], ...] in order. Bytes that are not
// valid UTF-8 are replaced by U+FFFD (JSON cannot carry them); the typed columns keep them.
std::string EncodeFields(const core::FieldList& fields);
// Internal when `json` is not such a list.
core::Result<core::FieldList> DecodeFields(std::string_view json);
// JSON text for decisions.reasons: [{"check":..., "contribution":..., "detail":...}, ...].
std::string EncodeReasons(const std::vector<core::Reason>& reasons);
core::Result<std::vector<core::Reason>> DecodeReasons(std::string_view json);

// "(SELECT label ...)": the label of decision d's latest feedback that no undo revoked, NULL
// when there is none.
const std::string& LatestLabelSql();
// "SELECT <every decision column>, <latest feedback label> FROM decisions d", to which
// callers append WHERE/ORDER BY clauses.
const std::string& DecisionSelectSql();
// INSERT INTO decisions with one parameter per column, for BindDecision.
const std::string& DecisionInsertSql();
void BindDecision(ParamSink& stmt, const DecisionRecord& record, const std::string& reasons_json,
                  const std::string& fields_json);
core::Result<DecisionRecord> ReadDecision(const RowSource& stmt);
// INSERT INTO decisions with every stored column, purged_ms included (a copy of a store).
const std::string& DecisionImportSql();
void BindDecisionImport(ParamSink& stmt, const DecisionRecord& record);
// The three memory_* columns (lesson, fingerprint, traits) from parameter/column `first` on;
// NULL traits mean "no trace".
void BindMemoryTrace(ParamSink& stmt, int first, const std::optional<MemoryTrace>& trace);
std::optional<MemoryTrace> ReadMemoryTrace(const RowSource& stmt, int first);

const std::string& FeedbackSelectSql();  // "SELECT ... FROM feedback f"
const std::string& FeedbackInsertSql();
void BindFeedback(ParamSink& stmt, const FeedbackRecord& record, const std::string& fields_json);
core::Result<FeedbackRecord> ReadFeedback(const RowSource& stmt);
// INSERT INTO feedback with every stored column: id, revoked_ms and purged_ms too.
const std::string& FeedbackImportSql();
void BindFeedbackImport(ParamSink& stmt, const FeedbackRecord& record);

const std::string& SiteKeySelectSql();  // "SELECT ... FROM site_keys k"
// Internal when the row's role is not one this build knows.
core::Result<SiteKey> ReadSiteKey(const RowSource& stmt);

// The webhook_events columns, in the order ReadEvent expects.
extern const char* const kEventColumns;
core::Result<WebhookEvent> ReadEvent(const RowSource& s);
// INSERT of a new pending event, for BindEvent (feedback_id 0 and decision_id "" as NULL).
extern const char* const kEventInsertSql;
void BindEvent(ParamSink& stmt, const WebhookEvent& e);
// The claim (?1 worker, ?2 now, ?3 lease), returning the event's kEventColumns; `lock` goes
// into the subquery that picks the row (PostgreSQL: " FOR UPDATE SKIP LOCKED").
std::string ClaimEventSql(std::string_view lock);
// The end of an attempt, for BindAttemptResult; changes nothing unless the worker holds it.
extern const char* const kFinishAttemptSql;
void BindAttemptResult(ParamSink& stmt, const WebhookAttemptResult& r);

// The decision columns memory reads, as "d.x", in the order ReadMemoryDecision expects (the
// stored fields only for decisions without a trace); one MemoryDecision from them, starting
// at column `first`.
extern const char* const kMemoryDecisionColumns;
core::Result<MemoryDecision> ReadMemoryDecision(const RowSource& stmt, int first);
// A MemoryDecision whose row starts with its position (two integers, the backend's
// DecisionPosition), then kMemoryDecisionColumns.
core::Result<MemoryDecision> ReadPositionedMemoryDecision(const RowSource& stmt);

// One page of ListLabeledFeedback's feedback rows (?1 after id, ?2 limit), for ReadFeedback.
const std::string& LabeledFeedbackPageSql();
// ListMemoryFeedback's rows (?1 after stamp, ?2 after id, ?3 since, ?4 limit), for
// ReadMemoryFeedback. `stamp` is the stamp of the backend's FeedbackPosition (stamp, f.id),
// `after` the position's condition on ?1 and ?2, `order` the ORDER BY terms walking it.
std::string MemoryFeedbackSql(std::string_view stamp, std::string_view after,
                              std::string_view order);
core::Result<MemoryFeedback> ReadMemoryFeedback(const RowSource& stmt);
// ListMemoryRevocations' rows (?1 after stamp, ?2 after id, ?3 since, ?4 limit), for
// ReadMemoryRevocation. The position is (revoke_stamp, f.id) on both backends.
const std::string& MemoryRevocationSql();
core::Result<MemoryRevocation> ReadMemoryRevocation(const RowSource& stmt);

// The statistics' rows: (day, site, verdict, uncertain, label, count) and (month, blog,
// api_calls, spam, ham, missed_spam, false_positives).
core::Result<VolumeCount> ReadVolumeCount(const RowSource& s);
core::Result<DecisionCounts> ReadDecisionCounts(const RowSource& s);

// "SELECT <moderator_actions columns> FROM moderator_actions", for ReadAction.
extern const char* const kActionSelectSql;
core::Result<ModeratorAction> ReadAction(const RowSource& s);

// The retention purge's statements both backends share: blank feedback `fields` (?1 now,
// ?2 cutoff, ?3 batch), moderator actions' `selection` and delete finished webhook events
// (?1 cutoff, ?2 batch); count what a purge with cutoff ?1 would touch.
extern const char* const kPurgeFeedbackSql;
extern const char* const kPurgeActionsSql;
extern const char* const kPurgeWebhookEventsSql;
extern const char* const kCountPurgeableSql;

// The model registry (published_models): InvalidArgument naming what is missing when a model
// to publish has no version, bytes or sha256. The head columns, in the order
// ReadPublishedModelHead expects (the model's size is each backend's length function).
core::Status CheckPublishable(const PublishedModel& model);
extern const char* const kPublishedModelHeadColumns;
PublishedModel ReadPublishedModelHead(const RowSource& s, int model_bytes_column);

}  // namespace hamlet::store::internal

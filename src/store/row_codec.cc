// Row <-> record conversions shared by the SQL stores: the column lists, the JSON text columns,
// and binding/reading records through ParamSink/RowSource. Row formats: src/store/README.md.
#include "store/row_codec.h"

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <utility>

namespace hamlet::store::internal {

core::Status WithContext(const core::Status& status, std::string_view context) {
  if (status.ok() || context.empty()) return status;
  std::string msg = std::string(context) + ": " + status.message();
  switch (status.code()) {
    case core::StatusCode::kOk:
      break;
    case core::StatusCode::kInvalidArgument:
      return core::Status::InvalidArgument(std::move(msg));
    case core::StatusCode::kNotFound:
      return core::Status::NotFound(std::move(msg));
    case core::StatusCode::kUnauthenticated:
      return core::Status::Unauthenticated(std::move(msg));
    case core::StatusCode::kPermissionDenied:
      return core::Status::PermissionDenied(std::move(msg));
    case core::StatusCode::kUnavailable:
      return core::Status::Unavailable(std::move(msg));
    case core::StatusCode::kInternal:
      return core::Status::Internal(std::move(msg));
  }
  return status;
}

namespace {

using core::Comment;
using Json = nlohmann::json;

// Comment members stored as their own TEXT columns, in column order after match_key: the
// Akismet-named members, then the derived honeypot value.
const std::vector<core::CommentMember>& CommentColumns() {
  static const std::vector<core::CommentMember> columns = [] {
    auto members = core::CommentMembers();
    std::vector<core::CommentMember> out(members.begin(), members.end());
    out.push_back({"honeypot_value", &Comment::honeypot_value});
    return out;
  }();
  return columns;
}

// decisions columns before the comment columns; `fields` follows them.
constexpr const char* kDecisionHead[] = {
    "id",    "key_id",  "site_url",      "created_ms", "channel", "verdict",   "uncertain",
    "score", "reasons", "model_version", "latency_ms", "is_test", "match_key",
};
constexpr int kHeadCount = static_cast<int>(std::size(kDecisionHead));
const int kCommentCount = static_cast<int>(CommentColumns().size());
const int kFieldsCol = kHeadCount + kCommentCount;
const int kRecheckOfCol = kFieldsCol + 1;        // added by migration 2, hence after fields
const int kMemoryLessonCol = kRecheckOfCol + 1;  // the memory_* columns of migration 9
const int kMemoryFingerprintCol = kMemoryLessonCol + 1;
const int kMemoryTraitsCol = kMemoryFingerprintCol + 1;
const int kPurgedCol = kMemoryTraitsCol + 1;   // migration 5; read, never inserted
const int kFeedbackLabelCol = kPurgedCol + 1;  // not a column: the latest-label subquery

std::vector<std::string> DecisionColumnNames() {
  std::vector<std::string> names(std::begin(kDecisionHead), std::end(kDecisionHead));
  for (const core::CommentMember& c : CommentColumns()) names.emplace_back(c.name);
  names.emplace_back("fields");
  names.emplace_back("recheck_of");
  names.emplace_back("memory_lesson");
  names.emplace_back("memory_fingerprint");
  names.emplace_back("memory_traits");
  return names;
}

// Columns read but never inserted (set later by UPDATEs).
std::vector<std::string> DecisionSelectColumnNames() {
  std::vector<std::string> names = DecisionColumnNames();
  names.emplace_back("purged_ms");
  return names;
}

std::string Join(const std::vector<std::string>& parts, std::string_view prefix) {
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out += ", ";
    out += prefix;
    out += p;
  }
  return out;
}

std::string InsertSql(std::string_view table, const std::vector<std::string>& columns) {
  std::string params;
  for (size_t i = 1; i <= columns.size(); ++i) {
    if (i > 1) params += ", ";
    // Appended piecewise: `"?" + std::to_string(i)` trips GCC 12's -Wrestrict false positive.
    params += '?';
    params += std::to_string(i);
  }
  return "INSERT INTO " + std::string(table) + " (" + Join(columns, "") + ") VALUES (" + params +
         ")";
}

std::string Dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

// Whether `s` is well-formed UTF-8 (Unicode's table 3-7: no overlong forms, no surrogates,
// nothing above U+10FFFF), as nlohmann's decoder judges it.
bool IsWellFormedUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    const unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int more = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      more = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      more = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      more = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (end - p <= more) return false;
    if (p[1] < lo || p[1] > hi) return false;
    for (int k = 2; k <= more; ++k) {
      if (p[k] < 0x80 || p[k] > 0xBF) return false;
    }
    p += more + 1;
  }
  return true;
}

// Appends `s` as a JSON string, byte for byte as Dump(Json(s)) would (the stored columns keep
// one spelling), without building a Json value: building and dumping one cost about a tenth
// of a check's instructions. Text that is not well-formed UTF-8 goes through nlohmann, which
// replaces the bad bytes with U+FFFD.
void AppendJsonString(std::string& out, std::string_view s) {
  if (!IsWellFormedUtf8(s)) {
    out += Dump(Json(std::string(s)));
    return;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  size_t plain = 0;  // start of the run not yet copied
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xF]);
    }
  }
  out.append(s.data() + plain, s.size() - plain);
  out.push_back('"');
}

core::Status Corrupt(std::string_view what) {
  return core::Status::Internal(std::string("corrupt ") + std::string(what) + " column");
}

const std::vector<std::string> kFeedbackColumns = {"decision_id", "key_id",    "label",
                                                   "source",      "moderator", "created_ms",
                                                   "is_test",     "fields",    "action_id"};

}  // namespace

std::string EncodeFields(const core::FieldList& fields) {
  std::string out = "[";
  size_t bytes = 2;
  for (const auto& [name, value] : fields) bytes += name.size() + value.size() + 8;
  out.reserve(bytes);
  for (size_t i = 0; i < fields.size(); ++i) {
    out += i == 0 ? "[" : ",[";
    AppendJsonString(out, fields[i].first);
    out.push_back(',');
    AppendJsonString(out, fields[i].second);
    out.push_back(']');
  }
  out.push_back(']');
  return out;
}

core::Result<core::FieldList> DecodeFields(std::string_view json) {
  Json j = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_array()) return Corrupt("fields");
  core::FieldList out;
  out.reserve(j.size());
  for (const Json& pair : j) {
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string()) {
      return Corrupt("fields");
    }
    out.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
  }
  return out;
}

std::string EncodeReasons(const std::vector<core::Reason>& reasons) {
  std::string out = "[";
  for (size_t i = 0; i < reasons.size(); ++i) {
    const core::Reason& r = reasons[i];
    out += i == 0 ? "{\"check\":" : ",{\"check\":";
    AppendJsonString(out, r.check);
    // nlohmann's shortest round-trip spelling; NaN and infinities come out as null (JSON has
    // no spelling for them).
    out += ",\"contribution\":";
    out += Json(r.contribution).dump();
    out += ",\"detail\":";
    AppendJsonString(out, r.detail);
    out.push_back('}');
  }
  out.push_back(']');
  return out;
}

core::Result<std::vector<core::Reason>> DecodeReasons(std::string_view json) {
  Json j = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_array()) return Corrupt("reasons");
  std::vector<core::Reason> out;
  out.reserve(j.size());
  for (const Json& r : j) {
    if (!r.is_object()) return Corrupt("reasons");
    auto check = r.find("check");
    auto contribution = r.find("contribution");
    auto detail = r.find("detail");
    if (check == r.end() || !check->is_string() || detail == r.end() || !detail->is_string() ||
        contribution == r.end() || !(contribution->is_number() || contribution->is_null())) {
      return Corrupt("reasons");
    }
    core::Reason reason;
    reason.check = check->get<std::string>();
    reason.contribution = contribution->is_null() ? std::numeric_limits<double>::quiet_NaN()
                                                  : contribution->get<double>();
    reason.detail = detail->get<std::string>();
    out.push_back(std::move(reason));
  }
  return out;
}

const std::string& LatestLabelSql() {
  static const std::string kSql =
      "(SELECT f.label FROM feedback f WHERE f.decision_id = d.id AND f.revoked_ms IS NULL"
      " ORDER BY f.id DESC LIMIT 1)";
  return kSql;
}

const std::string& DecisionSelectSql() {
  static const std::string kSql = "SELECT " + Join(DecisionSelectColumnNames(), "d.") + ", " +
                                  LatestLabelSql() + " FROM decisions d";
  return kSql;
}

const std::string& DecisionInsertSql() {
  static const std::string kSql = InsertSql("decisions", DecisionColumnNames());
  return kSql;
}

void BindDecision(ParamSink& stmt, const DecisionRecord& record, const std::string& reasons_json,
                  const std::string& fields_json) {
  const core::Decision& d = record.decision;
  stmt.BindText(1, record.id);
  stmt.BindIdOrNull(2, record.key_id);
  stmt.BindText(3, record.site_url);
  stmt.BindInt(4, record.created_ms);
  stmt.BindText(5, record.channel);
  stmt.BindText(6, core::VerdictName(d.verdict));
  stmt.BindInt(7, d.uncertain ? 1 : 0);
  stmt.BindDouble(8, d.score);  // NaN binds as NULL and fails NOT NULL: InvalidArgument
  stmt.BindText(9, reasons_json);
  stmt.BindText(10, record.model_version);
  stmt.BindDouble(11, record.latency_ms);
  stmt.BindInt(12, record.comment.is_test ? 1 : 0);
  stmt.BindText(13, record.match_key);
  for (int i = 0; i < kCommentCount; ++i) {
    stmt.BindText(kHeadCount + 1 + i, record.comment.*CommentColumns()[i].member);
  }
  stmt.BindText(kFieldsCol + 1, fields_json);
  stmt.BindTextOrNull(kRecheckOfCol + 1, record.recheck_of);
  BindMemoryTrace(stmt, kMemoryLessonCol + 1, record.memory);
}

const std::string& DecisionImportSql() {
  static const std::string kSql = InsertSql("decisions", DecisionSelectColumnNames());
  return kSql;
}

void BindDecisionImport(ParamSink& stmt, const DecisionRecord& record) {
  BindDecision(stmt, record, EncodeReasons(record.decision.reasons),
               EncodeFields(record.comment.fields));
  if (record.purged_ms) {
    stmt.BindInt(kPurgedCol + 1, *record.purged_ms);
  } else {
    stmt.BindNull(kPurgedCol + 1);
  }
}

void BindMemoryTrace(ParamSink& stmt, int first, const std::optional<MemoryTrace>& trace) {
  if (!trace) {
    for (int i = 0; i < 3; ++i) stmt.BindNull(first + i);
    return;
  }
  stmt.BindTextOrNull(first, trace->lesson);
  if (trace->fingerprint) {
    stmt.BindInt(first + 1, *trace->fingerprint);
  } else {
    stmt.BindNull(first + 1);
  }
  stmt.BindText(first + 2, trace->traits);
}

std::optional<MemoryTrace> ReadMemoryTrace(const RowSource& stmt, int first) {
  if (stmt.ColumnIsNull(first + 2)) return std::nullopt;
  MemoryTrace trace;
  trace.lesson = stmt.ColumnText(first);  // NULL reads as ""
  if (!stmt.ColumnIsNull(first + 1)) trace.fingerprint = stmt.ColumnInt(first + 1);
  trace.traits = stmt.ColumnText(first + 2);
  return trace;
}

core::Result<DecisionRecord> ReadDecision(const RowSource& stmt) {
  DecisionRecord r;
  r.id = stmt.ColumnText(0);
  r.key_id = stmt.ColumnIsNull(1) ? 0 : stmt.ColumnInt(1);
  r.site_url = stmt.ColumnText(2);
  r.created_ms = stmt.ColumnInt(3);
  r.channel = stmt.ColumnText(4);
  std::optional<core::Verdict> verdict = core::ParseVerdict(stmt.ColumnText(5));
  if (!verdict) return WithContext(Corrupt("verdict"), "decision " + r.id);
  r.decision.verdict = *verdict;
  r.decision.uncertain = stmt.ColumnInt(6) != 0;
  r.decision.score = stmt.ColumnDouble(7);
  auto reasons = DecodeReasons(stmt.ColumnText(8));
  if (!reasons) return WithContext(reasons.error(), "decision " + r.id);
  r.decision.reasons = std::move(reasons).value();
  r.model_version = stmt.ColumnText(9);
  r.latency_ms = stmt.ColumnDouble(10);
  r.comment.is_test = stmt.ColumnInt(11) != 0;
  r.match_key = stmt.ColumnText(12);
  for (int i = 0; i < kCommentCount; ++i) {
    r.comment.*CommentColumns()[i].member = stmt.ColumnText(kHeadCount + i);
  }
  auto fields = DecodeFields(stmt.ColumnText(kFieldsCol));
  if (!fields) return WithContext(fields.error(), "decision " + r.id);
  r.comment.fields = std::move(fields).value();
  r.recheck_of = stmt.ColumnText(kRecheckOfCol);  // NULL reads as ""
  if (!stmt.ColumnIsNull(kPurgedCol)) r.purged_ms = stmt.ColumnInt(kPurgedCol);
  r.memory = ReadMemoryTrace(stmt, kMemoryLessonCol);
  if (!stmt.ColumnIsNull(kFeedbackLabelCol)) r.feedback_label = stmt.ColumnText(kFeedbackLabelCol);
  return r;
}

const std::string& FeedbackSelectSql() {
  static const std::string kSql = "SELECT f.id, " + Join(kFeedbackColumns, "f.") +
                                  ", f.revoked_ms, f.purged_ms FROM feedback f";
  return kSql;
}

const std::string& FeedbackInsertSql() {
  static const std::string kSql = InsertSql("feedback", kFeedbackColumns);
  return kSql;
}

void BindFeedback(ParamSink& stmt, const FeedbackRecord& record, const std::string& fields_json) {
  stmt.BindTextOrNull(1, record.decision_id);
  stmt.BindIdOrNull(2, record.key_id);
  stmt.BindText(3, record.label);
  stmt.BindText(4, record.source);
  stmt.BindText(5, record.moderator);
  stmt.BindInt(6, record.created_ms);
  stmt.BindInt(7, record.is_test ? 1 : 0);
  stmt.BindText(8, fields_json);
  stmt.BindIdOrNull(9, record.action_id);
}

const std::string& FeedbackImportSql() {
  static const std::string kSql = [] {
    std::vector<std::string> columns = kFeedbackColumns;
    columns.insert(columns.end(), {"revoked_ms", "purged_ms", "id"});
    return InsertSql("feedback", columns);
  }();
  return kSql;
}

void BindFeedbackImport(ParamSink& stmt, const FeedbackRecord& record) {
  BindFeedback(stmt, record, EncodeFields(record.fields));
  const int next = static_cast<int>(kFeedbackColumns.size()) + 1;
  for (const auto& [index, stamp] :
       {std::pair{next, record.revoked_ms}, std::pair{next + 1, record.purged_ms}}) {
    if (stamp) {
      stmt.BindInt(index, *stamp);
    } else {
      stmt.BindNull(index);
    }
  }
  stmt.BindInt(next + 2, record.id);
}

core::Result<FeedbackRecord> ReadFeedback(const RowSource& stmt) {
  FeedbackRecord r;
  r.id = stmt.ColumnInt(0);
  r.decision_id = stmt.ColumnText(1);  // NULL reads as ""
  r.key_id = stmt.ColumnIsNull(2) ? 0 : stmt.ColumnInt(2);
  r.label = stmt.ColumnText(3);
  r.source = stmt.ColumnText(4);
  r.moderator = stmt.ColumnText(5);
  r.created_ms = stmt.ColumnInt(6);
  r.is_test = stmt.ColumnInt(7) != 0;
  auto fields = DecodeFields(stmt.ColumnText(8));
  if (!fields) return WithContext(fields.error(), "feedback " + std::to_string(r.id));
  r.fields = std::move(fields).value();
  r.action_id = stmt.ColumnIsNull(9) ? 0 : stmt.ColumnInt(9);
  if (!stmt.ColumnIsNull(10)) r.revoked_ms = stmt.ColumnInt(10);
  if (!stmt.ColumnIsNull(11)) r.purged_ms = stmt.ColumnInt(11);
  return r;
}

const std::string& SiteKeySelectSql() {
  static const std::string kSql =
      "SELECT k.id, k.site_url, k.key_hash, k.key_hint, k.created_ms, k.revoked_ms, k.role"
      " FROM site_keys k";
  return kSql;
}

core::Result<SiteKey> ReadSiteKey(const RowSource& stmt) {
  SiteKey k;
  k.id = stmt.ColumnInt(0);
  const std::string role = stmt.ColumnText(6);
  auto parsed = ParseKeyRole(role);
  if (!parsed) {
    return core::Status::Internal("key " + std::to_string(k.id) + " has unknown role '" + role +
                                  "'");
  }
  k.role = *parsed;
  k.site_url = stmt.ColumnText(1);
  k.key_hash = stmt.ColumnText(2);
  k.key_hint = stmt.ColumnText(3);
  k.created_ms = stmt.ColumnInt(4);
  if (!stmt.ColumnIsNull(5)) k.revoked_ms = stmt.ColumnInt(5);
  return k;
}

// The decision columns memory reads, as "d.x", in the order ReadMemoryDecision expects. The
// stored fields are read only for decisions without a trace.
const char* const kMemoryDecisionColumns =
    "d.id, d.site_url, d.created_ms, d.verdict, d.uncertain, d.is_test, d.recheck_reason, "
    "d.memory_lesson, d.memory_fingerprint, d.memory_traits, "
    "CASE WHEN d.memory_traits IS NULL THEN d.fields END";

// One MemoryDecision from the columns above, starting at column `first`.
core::Result<MemoryDecision> ReadMemoryDecision(const RowSource& stmt, int first) {
  MemoryDecision d;
  d.id = stmt.ColumnText(first);
  d.site_url = stmt.ColumnText(first + 1);
  d.created_ms = stmt.ColumnInt(first + 2);
  const std::optional<core::Verdict> verdict = core::ParseVerdict(stmt.ColumnText(first + 3));
  if (!verdict) return core::Status::Internal("decision " + d.id + ": corrupt verdict column");
  d.verdict = *verdict;
  d.uncertain = stmt.ColumnInt(first + 4) != 0;
  d.is_test = stmt.ColumnInt(first + 5) != 0;
  d.recheck = !stmt.ColumnText(first + 6).empty();
  d.memory = ReadMemoryTrace(stmt, first + 7);
  if (!d.memory) {
    auto fields = DecodeFields(stmt.ColumnText(first + 10));
    if (!fields) return WithContext(fields.error(), "decision " + d.id);
    d.comment = core::CommentFromFields(std::move(fields).value());
  }
  return d;
}

core::Result<MemoryDecision> ReadPositionedMemoryDecision(const RowSource& stmt) {
  auto d = ReadMemoryDecision(stmt, 2);
  if (d) d->position = {stmt.ColumnInt(0), stmt.ColumnInt(1)};
  return d;
}

const char* const kEventColumns =
    "id, event_id, site_url, type, decision_id, feedback_id, payload, created_ms, state, "
    "attempts, next_attempt_ms, claimed_by, claimed_until_ms, last_status, last_error, "
    "finished_ms";

core::Result<WebhookEvent> ReadEvent(const RowSource& s) {
  WebhookEvent e;
  e.id = s.ColumnInt(0);
  e.event_id = s.ColumnText(1);
  e.site_url = s.ColumnText(2);
  e.type = s.ColumnText(3);
  e.decision_id = s.ColumnText(4);  // NULL reads as ""
  e.feedback_id = s.ColumnIsNull(5) ? 0 : s.ColumnInt(5);
  e.payload = s.ColumnText(6);
  e.created_ms = s.ColumnInt(7);
  const std::optional<WebhookState> state = ParseWebhookState(s.ColumnText(8));
  if (!state)
    return core::Status::Internal("corrupt webhook_events.state of event " + std::to_string(e.id));
  e.state = *state;
  e.attempts = static_cast<int>(s.ColumnInt(9));
  e.next_attempt_ms = s.ColumnInt(10);
  e.claimed_by = s.ColumnText(11);
  e.claimed_until_ms = s.ColumnIsNull(12) ? 0 : s.ColumnInt(12);
  e.last_status = s.ColumnIsNull(13) ? 0 : static_cast<int>(s.ColumnInt(13));
  e.last_error = s.ColumnText(14);
  e.finished_ms = s.ColumnIsNull(15) ? 0 : s.ColumnInt(15);
  return e;
}

const char* const kActionSelectSql =
    "SELECT id, moderator, label, origin, selection, created_ms, item_count, undone_ms,"
    " undone_by FROM moderator_actions";

core::Result<ModeratorAction> ReadAction(const RowSource& s) {
  ModeratorAction a;
  a.id = s.ColumnInt(0);
  a.moderator = s.ColumnText(1);
  a.label = s.ColumnText(2);
  a.origin = s.ColumnText(3);
  a.selection = s.ColumnText(4);
  a.created_ms = s.ColumnInt(5);
  a.item_count = s.ColumnInt(6);
  if (!s.ColumnIsNull(7)) a.undone_ms = s.ColumnInt(7);
  a.undone_by = s.ColumnText(8);  // NULL reads as ""
  return a;
}

const char* const kEventInsertSql =
    "INSERT INTO webhook_events (event_id, site_url, type, decision_id, feedback_id, payload,"
    " created_ms, state, attempts, next_attempt_ms, last_error)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending', 0, ?8, '')";

void BindEvent(ParamSink& stmt, const WebhookEvent& e) {
  stmt.BindText(1, e.event_id);
  stmt.BindText(2, e.site_url);
  stmt.BindText(3, e.type);
  stmt.BindTextOrNull(4, e.decision_id);
  stmt.BindIdOrNull(5, e.feedback_id);
  stmt.BindText(6, e.payload);
  stmt.BindInt(7, e.created_ms);
  stmt.BindInt(8, e.next_attempt_ms);
}

std::string ClaimEventSql(std::string_view lock) {
  // The state term matches the webhook_events_due partial index.
  return std::string(
             "UPDATE webhook_events SET claimed_by = ?1, claimed_until_ms = ?2 + ?3,"
             " attempts = attempts + 1"
             " WHERE id = (SELECT id FROM webhook_events"
             "   WHERE state = 'pending' AND next_attempt_ms <= ?2"
             "   AND (claimed_until_ms IS NULL OR claimed_until_ms <= ?2)"
             "   ORDER BY next_attempt_ms, id LIMIT 1") +
         std::string(lock) + ") RETURNING " + kEventColumns;
}

const char* const kFinishAttemptSql =
    "UPDATE webhook_events SET state = ?3, next_attempt_ms = ?4, last_status = ?5,"
    " last_error = ?6, finished_ms = ?7, claimed_by = NULL, claimed_until_ms = NULL"
    " WHERE id = ?1 AND claimed_by = ?2";

void BindAttemptResult(ParamSink& stmt, const WebhookAttemptResult& r) {
  stmt.BindInt(1, r.event);
  stmt.BindText(2, r.worker);
  stmt.BindText(3, WebhookStateName(r.state));
  stmt.BindInt(4, r.next_attempt_ms);
  stmt.BindIdOrNull(5, r.last_status);
  stmt.BindText(6, r.last_error);
  if (r.state != WebhookState::kPending) {
    stmt.BindInt(7, r.now_ms);
  } else {
    stmt.BindNull(7);
  }
}

const std::string& LabeledFeedbackPageSql() {
  // A decision's label is its latest non-test feedback that no undo revoked; feedback without
  // a decision counts row by row. Purged rows have no text left to learn from. The max(id)
  // subquery runs on feedback_by_decision.
  static const std::string kSql =
      FeedbackSelectSql() +
      " LEFT JOIN decisions d ON d.id = f.decision_id"
      " WHERE f.id > ?1 AND f.is_test = 0 AND f.revoked_ms IS NULL"
      " AND (f.decision_id IS NULL AND f.purged_ms IS NULL"
      "  OR (d.is_test = 0 AND d.purged_ms IS NULL AND f.id = (SELECT max(g.id) FROM feedback g"
      "      WHERE g.decision_id = f.decision_id AND g.is_test = 0 AND g.revoked_ms IS NULL)))"
      " ORDER BY f.id LIMIT ?2";
  return kSql;
}

std::string MemoryFeedbackSql(std::string_view stamp, std::string_view after,
                              std::string_view order) {
  return std::string("SELECT ") + std::string(stamp) +
         ", f.id, f.label, f.created_ms, f.is_test, COALESCE(d.site_url, k.site_url, ''),"
         " CASE WHEN f.decision_id IS NULL THEN f.fields END, " +
         kMemoryDecisionColumns +
         " FROM feedback f LEFT JOIN decisions d ON d.id = f.decision_id"
         " LEFT JOIN site_keys k ON k.id = f.key_id WHERE " +
         std::string(after) + " AND f.created_ms >= ?3 AND f.revoked_ms IS NULL ORDER BY " +
         std::string(order) + " LIMIT ?4";
}

core::Result<MemoryFeedback> ReadMemoryFeedback(const RowSource& stmt) {
  MemoryFeedback f;
  f.feedback_id = stmt.ColumnInt(1);
  f.position = {stmt.ColumnInt(0), f.feedback_id};
  f.label = stmt.ColumnText(2);
  f.created_ms = stmt.ColumnInt(3);
  f.is_test = stmt.ColumnInt(4) != 0;
  f.site_url = stmt.ColumnText(5);
  if (stmt.ColumnIsNull(7)) {  // no decision: the first decision column (d.id) is NULL
    auto fields = DecodeFields(stmt.ColumnText(6));
    if (!fields) return WithContext(fields.error(), "feedback " + std::to_string(f.feedback_id));
    f.comment = core::CommentFromFields(std::move(fields).value());
  } else {
    auto decision = ReadMemoryDecision(stmt, 7);
    if (!decision) return decision.error();
    f.decision = std::move(decision).value();
  }
  return f;
}

const std::string& MemoryRevocationSql() {
  // The label in force now: the decision's latest non-test feedback no undo revoked (found
  // on feedback_by_decision), as memory learns labels.
  static const std::string kSql =
      std::string(
          "SELECT f.revoke_stamp, f.id, f.label, f.created_ms, f.is_test, r.id, r.label, ") +
      kMemoryDecisionColumns +
      " FROM feedback f JOIN decisions d ON d.id = f.decision_id"
      " LEFT JOIN feedback r ON r.id = (SELECT max(g.id) FROM feedback g"
      "   WHERE g.decision_id = f.decision_id AND g.is_test = 0 AND g.revoked_ms IS NULL)"
      " WHERE f.revoke_stamp IS NOT NULL AND (f.revoke_stamp, f.id) > (?1, ?2)"
      " AND f.created_ms >= ?3 ORDER BY f.revoke_stamp, f.id LIMIT ?4";
  return kSql;
}

core::Result<MemoryRevocation> ReadMemoryRevocation(const RowSource& stmt) {
  MemoryRevocation r;
  r.feedback_id = stmt.ColumnInt(1);
  r.position = {stmt.ColumnInt(0), r.feedback_id};
  r.label = stmt.ColumnText(2);
  r.created_ms = stmt.ColumnInt(3);
  r.is_test = stmt.ColumnInt(4) != 0;
  if (!stmt.ColumnIsNull(5)) {
    r.restored_feedback_id = stmt.ColumnInt(5);
    r.restored_label = stmt.ColumnText(6);
  }
  auto decision = ReadMemoryDecision(stmt, 7);
  if (!decision) return decision.error();
  r.decision = std::move(decision).value();
  return r;
}

core::Result<VolumeCount> ReadVolumeCount(const RowSource& s) {
  VolumeCount c;
  c.day = s.ColumnText(0);
  c.site = s.ColumnText(1);
  auto verdict = core::ParseVerdict(s.ColumnText(2));
  if (!verdict) return core::Status::Internal("corrupt verdict column");
  c.verdict = *verdict;
  c.uncertain = s.ColumnInt(3) != 0;
  c.label = s.ColumnText(4);
  c.count = s.ColumnInt(5);
  return c;
}

core::Result<DecisionCounts> ReadDecisionCounts(const RowSource& s) {
  DecisionCounts c;
  c.month = s.ColumnText(0);
  c.blog = s.ColumnText(1);
  c.api_calls = s.ColumnInt(2);
  c.spam = s.ColumnInt(3);
  c.ham = s.ColumnInt(4);
  c.missed_spam = s.ColumnInt(5);
  c.false_positives = s.ColumnInt(6);
  return c;
}

// --- the retention purge (the decisions' statement is each backend's own)

const char* const kPurgeFeedbackSql =
    "UPDATE feedback SET fields = '[]', purged_ms = ?1"
    " WHERE id IN (SELECT id FROM feedback"
    "   WHERE created_ms < ?2 AND purged_ms IS NULL ORDER BY created_ms LIMIT ?3)";
const char* const kPurgeActionsSql =
    "UPDATE moderator_actions SET selection = ''"
    " WHERE id IN (SELECT id FROM moderator_actions"
    "   WHERE created_ms < ?1 AND selection != '' ORDER BY id LIMIT ?2)";
// Pending events stay: they are still owed to the site.
const char* const kPurgeWebhookEventsSql =
    "DELETE FROM webhook_events WHERE id IN (SELECT id FROM webhook_events"
    "   WHERE created_ms < ?1 AND state != 'pending' ORDER BY id LIMIT ?2)";

const char* const kCountPurgeableSql =
    "SELECT (SELECT count(*) FROM decisions WHERE created_ms < ?1 AND purged_ms IS NULL),"
    " (SELECT count(*) FROM feedback WHERE created_ms < ?1 AND purged_ms IS NULL),"
    " (SELECT count(*) FROM moderator_actions WHERE created_ms < ?1 AND selection != ''),"
    " (SELECT count(*) FROM webhook_events WHERE created_ms < ?1 AND state != 'pending')";

// --- model registry

core::Status CheckPublishable(const PublishedModel& model) {
  const char* missing = model.version.empty()  ? "a version"
                        : model.model.empty()  ? "the model's bytes"
                        : model.sha256.empty() ? "a sha256"
                                               : nullptr;
  if (missing == nullptr) return core::Status::Ok();
  return core::Status::InvalidArgument(std::string("publish model: ") + missing + " is required");
}

const char* const kPublishedModelHeadColumns =
    "id, version, meta_json, sha256, published_ms, publisher";

PublishedModel ReadPublishedModelHead(const RowSource& s, int model_bytes_column) {
  PublishedModel m;
  m.id = s.ColumnInt(0);
  m.version = s.ColumnText(1);
  m.meta_json = s.ColumnText(2);
  m.sha256 = s.ColumnText(3);
  m.published_ms = s.ColumnInt(4);
  m.publisher = s.ColumnText(5);
  m.model_bytes = s.ColumnInt(model_bytes_column);
  return m;
}

}  // namespace hamlet::store::internal

// The PostgreSQL store's wrappers over libpq: connections with cached prepared statements,
// text-format parameters and rows, error mapping, and the bounded pool. The only file that
// includes libpq-fe.h.
#include <libpq-fe.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "store/postgres_store_internal.h"

namespace hamlet::store::internal {

// --- text that PostgreSQL's TEXT cannot hold

namespace {

// Length of the valid UTF-8 sequence at text[i], 0 when the bytes there are not one.
size_t Utf8SequenceLength(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) return 1;
  size_t n = 0;
  uint32_t cp = 0;
  if ((c & 0xE0) == 0xC0) {
    n = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not valid UTF-8.
  static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

constexpr char kEscape = '\x01';
constexpr char kHex[] = "0123456789abcdef";

}  // namespace

std::string PgEscapeText(std::string_view text) {
  // The common case, valid UTF-8 without NUL or the escape byte, is stored as it is.
  std::string out;
  bool escaped = false;
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    const size_t n = (c == '\0' || c == kEscape) ? 0 : Utf8SequenceLength(text, i);
    if (n > 0) {
      if (escaped) out.append(text.substr(i, n));
      i += n;
      continue;
    }
    if (!escaped) {
      out.assign(text.substr(0, i));
      escaped = true;
    }
    const auto b = static_cast<unsigned char>(c);
    out += kEscape;
    out += kHex[b >> 4];
    out += kHex[b & 0xF];
    ++i;
  }
  return escaped ? out : std::string(text);
}

std::string PgUnescapeText(std::string_view text) {
  if (text.find(kEscape) == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  auto hex = [](char h) { return h <= '9' ? h - '0' : h - 'a' + 10; };
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == kEscape && i + 2 < text.size()) {
      out += static_cast<char>((hex(text[i + 1]) << 4) | hex(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// --- parameters

std::optional<std::string>& PgParams::Slot(int index) {
  if (static_cast<size_t>(index) > values_.size()) values_.resize(static_cast<size_t>(index));
  return values_[static_cast<size_t>(index) - 1];
}

void PgParams::BindText(int index, std::string_view value) { Slot(index) = PgEscapeText(value); }

void PgParams::BindInt(int index, int64_t value) { Slot(index) = std::to_string(value); }

void PgParams::BindDouble(int index, double value) {
  if (std::isnan(value)) return BindNull(index);
  if (std::isinf(value)) {
    Slot(index) = value > 0 ? "Infinity" : "-Infinity";
    return;
  }
  char buf[32];
  // 17 significant digits read back as the same double.
  std::snprintf(buf, sizeof buf, "%.17g", value);
  Slot(index) = buf;
}

void PgParams::BindNull(int index) { Slot(index) = std::nullopt; }

void PgParams::BindBlob(int index, std::string_view bytes) {
  std::string hex = "\\x";
  hex.reserve(2 + bytes.size() * 2);
  for (unsigned char c : bytes) {
    hex.push_back(kHex[c >> 4]);
    hex.push_back(kHex[c & 0xF]);
  }
  Slot(index) = std::move(hex);
}

// --- results

PgResult::PgResult(pg_result* result) : result_(result) {}
PgResult::PgResult(PgResult&& other) noexcept : result_(std::exchange(other.result_, nullptr)) {}
PgResult& PgResult::operator=(PgResult&& other) noexcept {
  std::swap(result_, other.result_);
  return *this;
}
PgResult::~PgResult() { PQclear(result_); }
int PgResult::rows() const { return PQntuples(result_); }
int64_t PgResult::affected() const {
  const char* n = PQcmdTuples(result_);
  return n == nullptr || *n == '\0' ? 0 : std::strtoll(n, nullptr, 10);
}

bool PgResult::Row::ColumnIsNull(int col) const { return PQgetisnull(result_, row_, col) == 1; }
int64_t PgResult::Row::ColumnInt(int col) const {
  if (ColumnIsNull(col)) return 0;
  return std::strtoll(PQgetvalue(result_, row_, col), nullptr, 10);
}
double PgResult::Row::ColumnDouble(int col) const {
  if (ColumnIsNull(col)) return 0.0;
  return std::strtod(PQgetvalue(result_, row_, col), nullptr);  // reads NaN and Infinity too
}
std::string PgResult::Row::ColumnText(int col) const {
  if (ColumnIsNull(col)) return {};
  return PgUnescapeText(std::string_view(PQgetvalue(result_, row_, col),
                                         static_cast<size_t>(PQgetlength(result_, row_, col))));
}

namespace {
int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::string PgResult::Row::ColumnBlob(int col) const {
  if (ColumnIsNull(col)) return {};
  const std::string_view hex(PQgetvalue(result_, row_, col),
                             static_cast<size_t>(PQgetlength(result_, row_, col)));
  if (hex.size() < 2 || hex.substr(0, 2) != "\\x" || hex.size() % 2 != 0) return {};
  std::string out;
  out.reserve(hex.size() / 2 - 1);
  for (size_t i = 2; i < hex.size(); i += 2) {
    const int hi = HexDigit(hex[i]);
    const int lo = HexDigit(hex[i + 1]);
    if (hi < 0 || lo < 0) return {};
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

// --- connections

std::string PgPlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  bool quoted = false;
  for (char c : sql) {
    if (c == '\'') quoted = !quoted;
    out += (c == '?' && !quoted) ? '$' : c;
  }
  return out;
}

namespace {

// libpq's message on one line: its lines (a connection failure's hint, an error's DETAIL and
// HINT) joined by "; ", each trimmed. Errors end up in hamletd's one-line log records and in
// /readyz's reason.
std::string OneLine(const std::string& message) {
  std::string out;
  size_t start = 0;
  while (start <= message.size()) {
    size_t end = message.find('\n', start);
    if (end == std::string::npos) end = message.size();
    size_t first = start;
    size_t last = end;
    while (first < last && std::isspace(static_cast<unsigned char>(message[first]))) ++first;
    while (last > first && std::isspace(static_cast<unsigned char>(message[last - 1]))) --last;
    if (last > first) {
      if (!out.empty()) out += "; ";
      out.append(message, first, last - first);
    }
    start = end + 1;
  }
  return out;
}

}  // namespace

core::Result<std::unique_ptr<PgConnection>> PgConnection::Open(const std::string& url,
                                                               FaultCounters* faults,
                                                               int lock_timeout_ms) {
  pg_conn* conn = PQconnectdb(url.c_str());
  std::unique_ptr<PgConnection> out(new PgConnection(conn, faults));  // finishes conn on every path
  if (conn == nullptr) return core::Status::Unavailable("out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    const std::string why = OneLine(PQerrorMessage(conn));
    if (faults != nullptr) faults->Count(FaultKind::kIo);
    return core::Status::Unavailable("cannot connect to PostgreSQL: " + why);
  }
  // Quiet: NOTICEs (e.g. "relation exists, skipping") are not errors and must not reach stderr.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  // BYTEA reads come back in the hex form PgResult::Row::ColumnBlob decodes, whatever the
  // server's default. An integer of ours, not a value, goes into the lock timeout.
  std::string setup = "SET bytea_output = 'hex'";
  if (lock_timeout_ms > 0) setup += "; SET lock_timeout = " + std::to_string(lock_timeout_ms);
  if (PGresult* r = PQexec(conn, setup.c_str()); PQresultStatus(r) != PGRES_COMMAND_OK) {
    const std::string why = OneLine(PQerrorMessage(conn));
    PQclear(r);
    return core::Status::Unavailable("cannot set up the session: " + why);
  } else {
    PQclear(r);
  }
  return out;
}

PgConnection::~PgConnection() { PQfinish(conn_); }

bool PgConnection::Healthy() const { return PQstatus(conn_) == CONNECTION_OK; }

bool PgConnection::Reusable() const { return Healthy() && !refused_read_only_; }

bool PgConnection::InTransaction() const {
  const PGTransactionStatusType t = PQtransactionStatus(conn_);
  return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

namespace {

// The fault behind a SQLSTATE; nullopt for the caller's errors.
std::optional<FaultKind> FaultOf(std::string_view state) {
  if (state.size() != 5) return FaultKind::kIo;  // no SQLSTATE: the connection failed
  const std::string_view cls = state.substr(0, 2);
  if (cls == "23" || cls == "22" || cls == "42") {
    // Integrity (unique, foreign key, check, not null), data (bad value) and, for 42, the
    // statement itself: a bad query is a bug, not the caller's, except undefined parameters.
    if (cls == "42") return FaultKind::kOther;
    return std::nullopt;
  }
  if (cls == "08" || state == "57P01" || state == "57P02" || state == "57P03") {
    return FaultKind::kIo;  // connection lost, server shutting down or starting
  }
  if (state == "40001" || state == "40P01" || state == "55P03" || state == "57014") {
    return FaultKind::kLocked;  // serialization failure, deadlock, lock timeout, cancelled
  }
  if (state == "25006") return FaultKind::kReadOnly;  // read-only transaction (a standby)
  if (state == "53100") return FaultKind::kFull;      // disk full
  if (cls == "53") return FaultKind::kIo;             // out of memory, too many connections
  return FaultKind::kOther;
}

}  // namespace

core::Status PgConnection::Error(const pg_result* result) const {
  const char* state_c = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string state = state_c != nullptr ? state_c : "";
  std::string detail = OneLine(result != nullptr ? PQresultErrorMessage(result) : "");
  if (detail.empty()) detail = OneLine(PQerrorMessage(conn_));
  if (detail.empty()) detail = "unknown PostgreSQL error";
  std::optional<FaultKind> fault = FaultOf(state);
  if (!fault) return core::Status::InvalidArgument(detail);
  if (faults_ != nullptr) faults_->Count(*fault);
  if (*fault == FaultKind::kReadOnly) refused_read_only_ = true;
  switch (*fault) {
    case FaultKind::kLocked:
      return core::Status::Unavailable("database is locked: " + detail);
    case FaultKind::kReadOnly:
      return core::Status::Unavailable("database is read-only: " + detail);
    case FaultKind::kFull:
      return core::Status::Unavailable("database or disk is full: " + detail);
    case FaultKind::kIo:
      return core::Status::Unavailable("PostgreSQL is unreachable: " + detail);
    case FaultKind::kOther:
      break;
  }
  return core::Status::Internal(detail);
}

namespace {
bool Succeeded(const PgResult& r) {
  const ExecStatusType st = PQresultStatus(r.raw());
  return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}
}  // namespace

core::Result<PgResult> PgConnection::Query(const std::string& sql, const PgParams& params) {
  if (!params.error().empty()) return core::Status::InvalidArgument(params.error());
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    // Appended piecewise: "s" + std::to_string trips GCC 12's -Wrestrict false positive.
    std::string name = "s";
    name += std::to_string(prepared_.size() + 1);
    PgResult prepared(PQprepare(conn_, name.c_str(), PgPlaceholders(sql).c_str(), 0, nullptr));
    if (!Succeeded(prepared)) return Error(prepared.raw());
    it = prepared_.emplace(sql, name).first;
  }
  std::vector<const char*> values;
  std::vector<int> lengths;
  values.reserve(params.values().size());
  lengths.reserve(params.values().size());
  for (const std::optional<std::string>& v : params.values()) {
    values.push_back(v ? v->c_str() : nullptr);
    lengths.push_back(v ? static_cast<int>(v->size()) : 0);
  }
  PgResult result(PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(values.size()),
                                 values.data(), lengths.data(), nullptr, 0));
  if (!Succeeded(result)) return Error(result.raw());
  return result;
}

core::Status PgConnection::Exec(const std::string& sql) {
  PgResult result(PQexec(conn_, sql.c_str()));
  if (!Succeeded(result)) return Error(result.raw());
  return core::Status::Ok();
}

// --- pool

PgPool::PgPool(std::string url, int max_size, std::chrono::milliseconds wait, FaultCounters* faults,
               int lock_timeout_ms)
    : url_(std::move(url)),
      max_size_(max_size),
      wait_(wait),
      faults_(faults),
      lock_timeout_ms_(lock_timeout_ms) {}

PgPool::~PgPool() = default;

PgPool::Lease::~Lease() {
  if (conn_ != nullptr) pool_->Return(std::move(conn_));
}

core::Result<PgPool::Lease> PgPool::Acquire() {
  std::unique_lock lock(mu_);
  const auto deadline = std::chrono::steady_clock::now() + wait_;
  for (;;) {
    if (!idle_.empty()) {
      std::unique_ptr<PgConnection> conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(conn));
    }
    if (open_ < max_size_) {
      ++open_;
      lock.unlock();  // connecting takes a round trip or more; others may use idle ones
      auto conn = PgConnection::Open(url_, faults_, lock_timeout_ms_);
      if (!conn) {
        lock.lock();
        --open_;
        returned_.notify_one();
        return conn.error();
      }
      return Lease(this, std::move(conn).value());
    }
    if (returned_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= max_size_) {
      return core::Status::Unavailable("PostgreSQL connection pool: all " +
                                       std::to_string(max_size_) + " connections busy for " +
                                       std::to_string(wait_.count()) + " ms");
    }
  }
}

void PgPool::Return(std::unique_ptr<PgConnection> conn) {
  // A connection left inside a transaction (a bug), broken (the server restarted) or read-only
  // (a standby) is dropped; the next Acquire connects afresh.
  const bool keep = conn->Reusable() && !conn->InTransaction();
  if (!keep) conn.reset();
  std::lock_guard lock(mu_);
  if (keep) {
    idle_.push_back(std::move(conn));
  } else {
    --open_;
  }
  returned_.notify_one();
}

void PgPool::DropIdle() {
  std::vector<std::unique_ptr<PgConnection>> dropped;
  {
    std::lock_guard lock(mu_);
    dropped.swap(idle_);
    open_ -= static_cast<int>(dropped.size());
  }
  returned_.notify_all();
  // `dropped` closes the connections here, outside the lock.
}

int PgPool::open_connections() const {
  std::lock_guard lock(mu_);
  return open_;
}

}  // namespace hamlet::store::internal

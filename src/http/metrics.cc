// Metrics recording and the Prometheus text rendering.
#include "http/metrics.h"

#include <fmt/format.h>

#include <algorithm>

namespace hamlet::http {
namespace {

constexpr std::array<std::string_view, 2> kChannels = {"akismet", "v1"};
constexpr std::array<core::Verdict, 3> kVerdicts = {core::Verdict::kHam, core::Verdict::kSpam,
                                                    core::Verdict::kDiscard};

// Appends # HELP and # TYPE for one metric family.
void Family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

void Sample(std::string& out, std::string_view name, std::string_view labels, double value) {
  if (labels.empty()) {
    fmt::format_to(std::back_inserter(out), "{} {}\n", name, value);
  } else {
    fmt::format_to(std::back_inserter(out), "{}{{{}}} {}\n", name, labels, value);
  }
}

// The _bucket (cumulative, with le), _sum and _count samples of one histogram.
void HistogramSamples(std::string& out, std::string_view name, std::string_view labels,
                      const core::HistogramSnapshot& h) {
  const std::string sep = labels.empty() ? "" : std::string(labels) + ",";
  uint64_t cumulative = 0;
  for (size_t i = 0; i < h.bounds.size(); ++i) {
    cumulative += h.counts[i];
    fmt::format_to(std::back_inserter(out), "{}_bucket{{{}le=\"{}\"}} {}\n", name, sep, h.bounds[i],
                   cumulative);
  }
  fmt::format_to(std::back_inserter(out), "{}_bucket{{{}le=\"+Inf\"}} {}\n", name, sep, h.count);
  Sample(out, std::string(name) + "_sum", labels, h.sum);
  Sample(out, std::string(name) + "_count", labels, static_cast<double>(h.count));
}

}  // namespace

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

Metrics::Metrics(std::span<const Route> routes)
    : routes_(routes),
      requests_(std::make_unique<std::atomic<uint64_t>[]>((routes.size() + 1) * kStatusSlots)) {
  for (size_t i = 0; i <= routes.size(); ++i) {
    latency_.push_back(std::make_unique<core::Histogram>(core::Histogram::LatencySecondsBounds()));
  }
}

size_t Metrics::StatusSlot(int status) {
  const auto it = std::find(kCountedStatuses.begin(), kCountedStatuses.end(), status);
  return static_cast<size_t>(it - kCountedStatuses.begin());  // kCountedStatuses.size(): other
}

size_t Metrics::RouteIndex(std::string_view method, std::string_view path) const {
  for (size_t i = 0; i < routes_.size(); ++i) {
    if (routes_[i].path == path && routes_[i].method == method) return i;
  }
  return routes_.size();
}

void Metrics::ObserveRequest(size_t route, int status, double seconds) {
  route = std::min(route, routes_.size());
  requests_[route * kStatusSlots + StatusSlot(status)].fetch_add(1, std::memory_order_relaxed);
  latency_[route]->Observe(seconds);
}

void Metrics::CountVerdict(core::Verdict verdict, std::string_view channel) {
  const auto c = std::find(kChannels.begin(), kChannels.end(), channel);
  if (c == kChannels.end()) return;
  const size_t v = static_cast<size_t>(std::find(kVerdicts.begin(), kVerdicts.end(), verdict) -
                                       kVerdicts.begin());
  verdicts_[v * kChannels.size() + static_cast<size_t>(c - kChannels.begin())].fetch_add(
      1, std::memory_order_relaxed);
}

std::string Metrics::Render(const Inputs& in) const {
  std::string out;
  out.reserve(16 * 1024);
  auto route_labels = [&](size_t r) {
    if (r == routes_.size()) return std::string("endpoint=\"unmatched\",method=\"\"");
    return fmt::format("endpoint=\"{}\",method=\"{}\"", EscapeLabelValue(routes_[r].path),
                       routes_[r].method);
  };

  // --- HTTP
  Family(out, "hamlet_http_requests_total", "counter",
         "HTTP requests answered, by endpoint, method and status.");
  for (size_t r = 0; r <= routes_.size(); ++r) {
    for (size_t s = 0; s < kStatusSlots; ++s) {
      const uint64_t n = requests_[r * kStatusSlots + s].load(std::memory_order_relaxed);
      if (n == 0) continue;
      const std::string status =
          s < kCountedStatuses.size() ? std::to_string(kCountedStatuses[s]) : "other";
      Sample(out, "hamlet_http_requests_total", route_labels(r) + ",status=\"" + status + "\"",
             static_cast<double>(n));
    }
  }
  Family(out, "hamlet_http_request_duration_seconds", "histogram",
         "Time from a complete request head to the answer written, by endpoint.");
  for (size_t r = 0; r <= routes_.size(); ++r) {
    const core::HistogramSnapshot h = latency_[r]->Snapshot();
    if (h.count > 0)
      HistogramSamples(out, "hamlet_http_request_duration_seconds", route_labels(r), h);
  }
  Family(out, "hamlet_http_requests_in_flight", "gauge", "Requests inside a handler now.");
  Sample(out, "hamlet_http_requests_in_flight", "",
         static_cast<double>(in_flight_.load(std::memory_order_relaxed)));
  Family(out, "hamlet_http_connections_open", "gauge", "Client connections open now.");
  Sample(out, "hamlet_http_connections_open", "", static_cast<double>(in.connections.open));
  Family(out, "hamlet_http_connections_waiting", "gauge",
         "Open connections waiting for a request head (idle or slow), holding no worker.");
  Sample(out, "hamlet_http_connections_waiting", "", static_cast<double>(in.connections.waiting));
  Family(out, "hamlet_http_connections_accepted_total", "counter", "Connections accepted.");
  Sample(out, "hamlet_http_connections_accepted_total", "",
         static_cast<double>(in.connections.accepted));
  Family(out, "hamlet_http_connections_refused_total", "counter",
         "Connections refused at once: too many open (503) or too many from one address (429).");
  Sample(out, "hamlet_http_connections_refused_total", "reason=\"max_connections\"",
         static_cast<double>(in.connections.refused_total_cap));
  Sample(out, "hamlet_http_connections_refused_total", "reason=\"max_connections_per_ip\"",
         static_cast<double>(in.connections.refused_ip_cap));
  Family(out, "hamlet_http_request_head_timeouts_total", "counter",
         "Connections closed because a request head did not arrive in time (408).");
  Sample(out, "hamlet_http_request_head_timeouts_total", "",
         static_cast<double>(in.connections.head_timeouts));
  Family(out, "hamlet_http_request_heads_too_large_total", "counter",
         "Requests refused because their head was too large (431).");
  Sample(out, "hamlet_http_request_heads_too_large_total", "",
         static_cast<double>(in.connections.heads_too_large));

  // --- verdicts, limits, keys
  Family(out, "hamlet_verdicts_total", "counter",
         "Checks answered (and stored), by verdict and channel.");
  for (size_t v = 0; v < kVerdicts.size(); ++v) {
    for (size_t c = 0; c < kChannels.size(); ++c) {
      Sample(
          out, "hamlet_verdicts_total",
          fmt::format("verdict=\"{}\",channel=\"{}\"", core::VerdictName(kVerdicts[v]),
                      kChannels[c]),
          static_cast<double>(verdicts_[v * kChannels.size() + c].load(std::memory_order_relaxed)));
    }
  }
  Family(out, "hamlet_check_judge_duration_seconds", "histogram",
         "Time a check took to judge the comment (text, model, signals, memory), before it is "
         "stored; hamlet_store_write_wait_duration_seconds is the storing.");
  if (!in.judge_seconds.bounds.empty()) {
    HistogramSamples(out, "hamlet_check_judge_duration_seconds", "", in.judge_seconds);
  }
  Family(out, "hamlet_rate_limited_total", "counter",
         "Requests refused with 429 by a rate limit, by scope (client address or key).");
  Sample(out, "hamlet_rate_limited_total", "scope=\"ip\"",
         static_cast<double>(in.guard.limited_ip));
  Sample(out, "hamlet_rate_limited_total", "scope=\"key\"",
         static_cast<double>(in.guard.limited_key));
  Family(out, "hamlet_auth_failures_total", "counter",
         "Key checks that failed: unknown, malformed or revoked keys.");
  Sample(out, "hamlet_auth_failures_total", "", static_cast<double>(in.guard.auth_failures));
  Family(out, "hamlet_auth_refused_total", "counter",
         "Key checks refused (429) because the client address had too many failures.");
  Sample(out, "hamlet_auth_refused_total", "", static_cast<double>(in.guard.auth_refused));

  // --- store
  const store::StoreStats& st = in.store;
  Family(out, "hamlet_store_write_queue_depth", "gauge",
         "Decisions and feedback waiting for their commit, the batch being committed included.");
  Sample(out, "hamlet_store_write_queue_depth", "", static_cast<double>(st.writes_waiting));
  Family(out, "hamlet_store_commits_total", "counter", "Write transactions committed.");
  Sample(out, "hamlet_store_commits_total", "", static_cast<double>(st.commits));
  Family(out, "hamlet_store_committed_records_total", "counter",
         "Decisions and feedback rows committed.");
  Sample(out, "hamlet_store_committed_records_total", "",
         static_cast<double>(st.records_committed));
  Family(out, "hamlet_store_failed_writes_total", "counter",
         "Decisions and feedback that could not be stored (their requests were answered 503).");
  Sample(out, "hamlet_store_failed_writes_total", "", static_cast<double>(st.failed_writes));
  Family(out, "hamlet_store_errors_total", "counter",
         "Database errors by kind: locked, read_only, full, io, other.");
  for (size_t k = 0; k < store::kFaultKindCount; ++k) {
    Sample(out, "hamlet_store_errors_total",
           fmt::format("kind=\"{}\"", store::FaultKindName(static_cast<store::FaultKind>(k))),
           static_cast<double>(st.faults[k]));
  }
  Family(out, "hamlet_store_commit_duration_seconds", "histogram",
         "Time from the start of a write transaction to its durable (fsynced) commit.");
  if (!st.commit_seconds.bounds.empty()) {
    HistogramSamples(out, "hamlet_store_commit_duration_seconds", "", st.commit_seconds);
  }
  Family(out, "hamlet_store_write_wait_duration_seconds", "histogram",
         "Time a decision or feedback row waited to be durably stored: the write queue, then "
         "the commit of its batch.");
  if (!st.write_wait_seconds.bounds.empty()) {
    HistogramSamples(out, "hamlet_store_write_wait_duration_seconds", "", st.write_wait_seconds);
  }

  // --- model and readiness
  Family(out, "hamlet_model_info", "gauge", "The model in service (its version as a label).");
  if (!in.model_version.empty()) {
    Sample(out, "hamlet_model_info", "version=\"" + EscapeLabelValue(in.model_version) + "\"", 1);
  }
  Family(out, "hamlet_model_reloads_total", "counter", "Successful model reloads since start.");
  Sample(out, "hamlet_model_reloads_total", "", static_cast<double>(in.model_reloads));
  Family(out, "hamlet_ready", "gauge",
         "1 when /readyz answers 200 (model loaded, database writable), else 0.");
  Sample(out, "hamlet_ready", "", in.ready ? 1 : 0);
  return out;
}

}  // namespace hamlet::http

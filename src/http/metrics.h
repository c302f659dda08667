// Metrics: hamletd's request and verdict counters, and the rendering of everything GET
// /metrics shows in the Prometheus text exposition format (0.0.4). The counters of other
// parts (store, connections, rate limits, model) are read when rendering, from their own
// stats, so each part keeps its own numbers and no lower layer knows about Prometheus.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "app/wiring.h"  // store::StoreStats, as the services report them
#include "core/decision.h"
#include "core/histogram.h"
#include "http/connection_manager.h"
#include "http/request_guard.h"
#include "http/routes.h"

namespace hamlet::http {

// The statuses counted by their own label; anything else is counted as status="other".
inline constexpr std::array<int, 17> kCountedStatuses = {
    200, 400, 401, 403, 404, 405, 408, 411, 413, 414, 415, 416, 422, 429, 431, 500, 503};

// Thread-safety: all methods may be called concurrently.
class Metrics {
 public:
  // Counts requests per route of `routes` (which must outlive this); requests that matched no
  // route are counted under endpoint="unmatched".
  explicit Metrics(std::span<const Route> routes);

  // One answered request: `route` indexes the routes given, or is routes.size() for none.
  void ObserveRequest(size_t route, int status, double seconds);
  // One verdict answered through `channel` ("akismet" or "v1"; others are not counted).
  void CountVerdict(core::Verdict verdict, std::string_view channel);
  // Requests inside a handler now.
  void HandlerStarted() { in_flight_.fetch_add(1, std::memory_order_relaxed); }
  void HandlerFinished() { in_flight_.fetch_sub(1, std::memory_order_relaxed); }
  // Index of the route with this method and path, or routes.size().
  size_t RouteIndex(std::string_view method, std::string_view path) const;

  // What other parts report, gathered by the /metrics handler.
  struct Inputs {
    store::StoreStats store;
    ConnectionStats connections;
    GuardStats guard;
    core::HistogramSnapshot judge_seconds;  // Filter::JudgeSeconds
    std::string model_version;  // empty: no model loaded
    int64_t model_reloads = 0;
    bool ready = false;
  };
  // The whole exposition: # HELP and # TYPE lines, then samples, metric by metric.
  std::string Render(const Inputs& inputs) const;

 private:
  static constexpr size_t kStatusSlots = kCountedStatuses.size() + 1;  // + "other"
  static size_t StatusSlot(int status);

  const std::span<const Route> routes_;
  // [route][status slot], routes_.size() + 1 routes.
  std::unique_ptr<std::atomic<uint64_t>[]> requests_;
  std::vector<std::unique_ptr<core::Histogram>> latency_;  // per route, + unmatched
  // [verdict][channel]: ham, spam, discard x akismet, v1.
  std::array<std::atomic<uint64_t>, 6> verdicts_{};
  std::atomic<int64_t> in_flight_{0};
};

// `value` as a Prometheus label value: backslash, double quote and newline escaped.
std::string EscapeLabelValue(std::string_view value);

}  // namespace hamlet::http

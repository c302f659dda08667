// WebhookWorker: the thread in hamletd that delivers the webhook outbox. It asks the
// dispatcher for one attempt after another until nothing is due, then waits a poll interval;
// every attempt is logged. It never touches the check path: checks neither wait for it nor
// share a lock with it beyond the store's own.
//
// Thread-safety: Stop may be called from any thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "engine/webhook_dispatcher.h"

namespace hamlet::app {

struct WebhookWorkerOptions {
  // How often the outbox is looked at when nothing was due (events enqueued by `hamlet
  // mark-spam` in another process are seen within this).
  int64_t poll_ms = 1000;
  int64_t prune_every_ms = 3'600'000;  // how often delivered events are pruned
};

class WebhookWorker {
 public:
  // Starts the thread. `dispatcher` must outlive the worker.
  explicit WebhookWorker(engine::WebhookDispatcher& dispatcher, WebhookWorkerOptions options = {});
  // Stop().
  ~WebhookWorker();
  WebhookWorker(const WebhookWorker&) = delete;
  WebhookWorker& operator=(const WebhookWorker&) = delete;

  // Lets the attempt in flight finish (bounded by the sender's timeouts), then joins. Events
  // not attempted stay in the outbox for the next start. Idempotent.
  void Stop();

 private:
  void Loop();
  // Attempts due events until none is due, the store fails, or Stop. Logs each attempt.
  void DeliverDue();

  engine::WebhookDispatcher& dispatcher_;
  const WebhookWorkerOptions options_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;     // started last
};

// A worker id unique among the workers sharing a database: "<host>:<pid>:<random>".
std::string NewWebhookWorkerId();

}  // namespace hamlet::app

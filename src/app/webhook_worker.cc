// The webhook delivery thread and its log lines.
#include "app/webhook_worker.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>

#include "engine/crypto.h"
#include "engine/outcome_json.h"

namespace hamlet::app {

WebhookWorker::WebhookWorker(engine::WebhookDispatcher& dispatcher, WebhookWorkerOptions options)
    : dispatcher_(dispatcher), options_(options) {
  thread_ = std::thread([this] { Loop(); });
}

WebhookWorker::~WebhookWorker() { Stop(); }

void WebhookWorker::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void WebhookWorker::Loop() {
  auto next_prune = std::chrono::steady_clock::now();
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    DeliverDue();
    if (std::chrono::steady_clock::now() >= next_prune) {
      next_prune += std::chrono::milliseconds(options_.prune_every_ms);
      if (auto pruned = dispatcher_.Prune(); !pruned) {
        spdlog::warn("webhooks: pruning delivered events failed: {}", pruned.error().ToString());
      } else if (*pruned > 0) {
        spdlog::info("webhooks: pruned {} delivered events", *pruned);
      }
    }
    lock.lock();
    wake_.wait_for(lock, std::chrono::milliseconds(options_.poll_ms), [this] { return stopping_; });
  }
}

void WebhookWorker::DeliverDue() {
  const int max_attempts = dispatcher_.policy().max_attempts;
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
    }
    auto attempt = dispatcher_.DeliverOne();
    if (!attempt) {
      spdlog::warn("webhooks: the outbox is not readable now: {}", attempt.error().ToString());
      return;
    }
    if (!attempt->has_value()) return;
    const engine::WebhookAttemptReport& r = **attempt;
    const store::WebhookEvent& e = r.event;
    if (r.lease_lost) {
      spdlog::warn("webhook {} ({}) to {}: attempt {} outlived its claim; another worker owns it",
                   e.event_id, e.type, e.site_url, e.attempts);
      continue;
    }
    switch (r.state) {
      case store::WebhookState::kDelivered:
        spdlog::info("webhook {} ({}) to {}: delivered, HTTP {} (attempt {})", e.event_id, e.type,
                     e.site_url, r.status, e.attempts);
        break;
      case store::WebhookState::kPending:
        spdlog::warn("webhook {} ({}) to {}: attempt {} of {} failed: {}; next at {}", e.event_id,
                     e.type, e.site_url, e.attempts, max_attempts, r.error,
                     engine::Rfc3339(r.next_attempt_ms));
        break;
      case store::WebhookState::kFailed:
        spdlog::error(
            "webhook {} ({}) to {}: given up after attempt {}: {} (hamlet webhooks retry {})",
            e.event_id, e.type, e.site_url, e.attempts, r.error, e.id);
        break;
    }
  }
}

std::string NewWebhookWorkerId() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  auto random = engine::RandomHex(4);
  return std::string(host[0] != '\0' ? host : "host") + ":" + std::to_string(::getpid()) + ":" +
         (random ? *random : std::string("0"));
}

}  // namespace hamlet::app

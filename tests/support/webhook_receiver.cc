// The scripted webhook endpoint for tests.
#include "support/webhook_receiver.h"

#include <doctest/doctest.h>
#include <httplib.h>

namespace hamlet::testing {

WebhookReceiver::WebhookReceiver(std::deque<int> statuses)
    : server_(std::make_unique<httplib::Server>()), statuses_(std::move(statuses)) {
  REQUIRE(!statuses_.empty());
  server_->Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
    int status = 200;
    std::chrono::milliseconds delay{0};
    bool long_body = false;
    {
      std::lock_guard lock(mu_);
      status = statuses_.front();
      if (statuses_.size() > 1) statuses_.pop_front();
      delay = delay_;
      long_body = long_body_;
      got_.push_back(
          {req.get_header_value("X-Hamlet-Event-Id"), req.get_header_value("X-Hamlet-Event"),
           req.get_header_value("X-Hamlet-Attempt"), req.get_header_value("X-Hamlet-Signature"),
           req.get_header_value("Content-Type"), req.body, status});
    }
    std::this_thread::sleep_for(delay);
    res.status = status;
    if (status >= 300 && status < 400) res.set_header("Location", "/elsewhere");
    res.set_content(long_body ? std::string(1 << 20, 'x') : std::string("ok"), "text/plain");
  });
  port_ = server_->bind_to_any_port("127.0.0.1");
  REQUIRE(port_ > 0);
  thread_ = std::thread([this] { server_->listen_after_bind(); });
}

WebhookReceiver::~WebhookReceiver() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

std::string WebhookReceiver::Url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/hook";
}

std::vector<ReceivedWebhook> WebhookReceiver::Got() const {
  std::lock_guard lock(mu_);
  return got_;
}

void WebhookReceiver::SetStatuses(std::deque<int> statuses) {
  std::lock_guard lock(mu_);
  if (!statuses.empty()) statuses_ = std::move(statuses);
}

void WebhookReceiver::SetDelay(std::chrono::milliseconds delay) {
  std::lock_guard lock(mu_);
  delay_ = delay;
}

void WebhookReceiver::SetLongBody() {
  std::lock_guard lock(mu_);
  long_body_ = true;
}

}  // namespace hamlet::testing

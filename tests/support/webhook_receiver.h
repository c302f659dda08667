// WebhookReceiver: a real HTTP server (cpp-httplib) on a free loopback port that plays a
// site's webhook endpoint for tests: POST /hook is answered with scripted statuses (the last
// one repeats), optionally slowly or with a long body, and every request is recorded.
#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace httplib {
class Server;
}

namespace hamlet::testing {

// One request the receiver got, and what it answered.
struct ReceivedWebhook {
  std::string event_id;    // X-Hamlet-Event-Id
  std::string event_type;  // X-Hamlet-Event
  std::string attempt;     // X-Hamlet-Attempt
  std::string signature;   // X-Hamlet-Signature
  std::string content_type;
  std::string body;
  int answered = 0;  // the status it was given
};

class WebhookReceiver {
 public:
  // Starts serving; fails the current test when it cannot bind.
  explicit WebhookReceiver(std::deque<int> statuses = {200});
  // Stops the server and joins its thread.
  ~WebhookReceiver();
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  // "http://127.0.0.1:PORT/hook".
  std::string Url() const;
  std::vector<ReceivedWebhook> Got() const;
  // Replaces the scripted statuses (the last one repeats).
  void SetStatuses(std::deque<int> statuses);
  // Each answer waits this long first.
  void SetDelay(std::chrono::milliseconds delay);
  // Answers carry a 1 MiB body.
  void SetLongBody();
  // Polls Got() until `done(Got())` holds or `timeout` passes; returns whether it held.
  template <typename Done>
  bool WaitFor(Done done, std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      if (done(Got())) return true;
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

 private:
  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
  mutable std::mutex mu_;
  std::deque<int> statuses_;
  std::vector<ReceivedWebhook> got_;
  std::chrono::milliseconds delay_{0};
  bool long_body_ = false;
  std::thread thread_;
};

}  // namespace hamlet::testing

// CheckLoad: concurrent Akismet comment-checks against one address (a node or the balancer),
// each client thread on its own keep-alive connection, recording every outcome: status, body,
// the X-akismet-guid it was answered with, when, and the unique marker the check carried (its
// comment_author), so a test can hold the answers against the stored decisions.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace hamlet::testing {

struct CheckOutcome {
  std::string marker;  // the check's comment_author: unique over the run ("c<thread>n<seq>")
  int status = -1;     // HTTP status; -1 when the request failed without an answer
  std::string body;
  std::string guid;  // X-akismet-guid ("" when absent)
  std::chrono::steady_clock::time_point answered_at;
};

class CheckLoad {
 public:
  // Starts `clients` threads sending checks with `key` to host:port until Stop() (or until each
  // has sent `max_per_client` checks, when it is > 0).
  CheckLoad(std::string host, int port, std::string key, int clients, int max_per_client = 0);
  // Stop().
  ~CheckLoad();
  CheckLoad(const CheckLoad&) = delete;
  CheckLoad& operator=(const CheckLoad&) = delete;

  // Every outcome so far (a copy; the clients keep going).
  std::vector<CheckOutcome> Outcomes() const;
  // Outcomes answered 200 so far.
  size_t Answered() const;
  // Asks the clients to stop after their current check and waits for them; idempotent.
  void Stop();
  // Waits for the clients to finish their max_per_client checks.
  void Join();

 private:
  void Client(int index);

  std::string host_;
  int port_;
  std::string key_;
  int max_per_client_;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::vector<CheckOutcome> outcomes_;
  std::vector<std::thread> threads_;
};

// True when `o` is a verdict: 200, body `true` or `false`, and a 32-hex-digit guid.
bool IsVerdict(const CheckOutcome& o);

}  // namespace hamlet::testing

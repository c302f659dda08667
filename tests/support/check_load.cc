// The client threads of CheckLoad: one httplib::Client each (keep-alive), varied comments.
#include "support/check_load.h"

#include <httplib.h>

#include <array>

namespace hamlet::testing {
namespace {

// A few comments of both kinds, so the model gives both verdicts.
constexpr std::array<const char*, 4> kTexts = {
    "Thanks+for+the+write-up%2C+the+part+about+caching+helped+me+fix+our+build.",
    "BUY+CHEAP+PILLS+NOW+best+price+http%3A%2F%2Fpills.example%2F+http%3A%2F%2Fpills.example%2Fa",
    "I+disagree+with+the+second+point%3A+the+numbers+in+the+table+do+not+add+up.",
    "Earn+%245000+a+week+from+home%21%21+Click+here+http%3A%2F%2Fearn.example%2F",
};

}  // namespace

CheckLoad::CheckLoad(std::string host, int port, std::string key, int clients, int max_per_client)
    : host_(std::move(host)), port_(port), key_(std::move(key)), max_per_client_(max_per_client) {
  for (int i = 0; i < clients; ++i) threads_.emplace_back([this, i] { Client(i); });
}

CheckLoad::~CheckLoad() { Stop(); }

void CheckLoad::Stop() {
  stop_ = true;
  Join();
}

void CheckLoad::Join() {
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

std::vector<CheckOutcome> CheckLoad::Outcomes() const {
  std::lock_guard lock(mu_);
  return outcomes_;
}

size_t CheckLoad::Answered() const {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const auto& o : outcomes_) n += o.status == 200;
  return n;
}

void CheckLoad::Client(int index) {
  httplib::Client client(host_, port_);
  client.set_keep_alive(true);
  client.set_connection_timeout(std::chrono::seconds(2));
  client.set_read_timeout(std::chrono::seconds(40));
  for (int n = 0; !stop_ && (max_per_client_ == 0 || n < max_per_client_); ++n) {
    CheckOutcome o;
    // Built by appending: GCC 12 warns (-Wrestrict, wrongly) on a chain of operator+ here.
    o.marker.append("c").append(std::to_string(index)).append("n").append(std::to_string(n));
    std::string body = "api_key=";
    body.append(key_)
        .append("&blog=http%3A%2F%2Fexample.test%2F&user_ip=192.0.2.")
        .append(std::to_string(1 + (index * 31 + n) % 250))
        .append("&comment_type=comment&comment_author=")
        .append(o.marker)
        .append("&comment_content=")
        .append(kTexts[(index + n) % kTexts.size()]);
    auto r = client.Post("/1.1/comment-check", body, "application/x-www-form-urlencoded");
    o.answered_at = std::chrono::steady_clock::now();
    if (r) {
      o.status = r->status;
      o.body = r->body;
      o.guid = r->get_header_value("X-akismet-guid");
    }
    std::lock_guard lock(mu_);
    outcomes_.push_back(std::move(o));
  }
}

bool IsVerdict(const CheckOutcome& o) {
  if (o.status != 200 || (o.body != "true" && o.body != "false") || o.guid.size() != 32) {
    return false;
  }
  return o.guid.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace hamlet::testing

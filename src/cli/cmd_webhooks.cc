// `hamlet webhooks list|show|retry|test`: the webhook outbox. Events are delivered by the
// running hamletd; these commands look at them, put failed ones back in the queue, and queue a
// test ping.
#include <chrono>
#include <iomanip>
#include <thread>

#include "cli/command.h"
#include "cli/format.h"
#include "cli/terminal_text.h"

namespace hamlet::cli {
namespace {

struct WebhooksArgs {
  std::string state;
  std::string site;
  int limit = 20;
  bool json = false;
  std::vector<int64_t> ids;
  int64_t id = 0;
  bool failed = false;
  double wait_seconds = 0;
};

nlohmann::json EventToJson(const store::WebhookEvent& e) {
  auto time_or_null = [](int64_t ms) {
    return ms > 0 ? nlohmann::json(FormatTime(ms)) : nlohmann::json();
  };
  nlohmann::json payload = nlohmann::json::parse(e.payload, nullptr, /*allow_exceptions=*/false);
  return {
      {"id", e.id},
      {"event_id", e.event_id},
      {"type", e.type},
      {"site", e.site_url},
      {"decision_id", e.decision_id.empty() ? nlohmann::json() : nlohmann::json(e.decision_id)},
      {"state", std::string(store::WebhookStateName(e.state))},
      {"attempts", e.attempts},
      {"created", FormatTime(e.created_ms)},
      {"next_attempt", e.state == store::WebhookState::kPending ? time_or_null(e.next_attempt_ms)
                                                                : nlohmann::json()},
      {"last_status", e.last_status > 0 ? nlohmann::json(e.last_status) : nlohmann::json()},
      {"last_error", e.last_error},
      {"finished", time_or_null(e.finished_ms)},
      {"payload", payload.is_discarded() ? nlohmann::json(e.payload) : payload}};
}

// "HTTP 200", "HTTP 500", the error, or "-" before the first attempt.
std::string LastOutcome(const store::WebhookEvent& e) {
  if (e.attempts == 0) return "-";
  if (e.last_error.empty() && e.last_status > 0) return "HTTP " + std::to_string(e.last_status);
  return ForTerminal(e.last_error);
}

void PrintTable(Context& ctx, const std::vector<store::WebhookEvent>& events) {
  if (events.empty()) {
    *ctx.out << "No webhook events.\n";
    return;
  }
  *ctx.out << std::left << std::setw(7) << "ID" << std::setw(11) << "STATE" << std::setw(9)
           << "ATTEMPTS" << std::setw(20) << "TYPE" << std::setw(22) << "CREATED"
           << "SITE / DECISION / LAST OUTCOME\n";
  for (const auto& e : events) {
    *ctx.out << std::left << std::setw(7) << e.id << std::setw(11)
             << store::WebhookStateName(e.state) << std::setw(9) << e.attempts << std::setw(20)
             << e.type << std::setw(22) << FormatTime(e.created_ms) << Snippet(e.site_url, 40)
             << " " << (e.decision_id.empty() ? "-" : e.decision_id) << " " << LastOutcome(e);
    if (e.state == store::WebhookState::kPending && e.attempts > 0) {
      *ctx.out << " (next " << FormatTime(e.next_attempt_ms) << ")";
    }
    *ctx.out << "\n";
  }
}

std::optional<std::string> SiteFilter(const std::string& site) {
  if (site.empty()) return std::nullopt;
  return site;
}

void List(Context& ctx, const WebhooksArgs& args) {
  auto services = ctx.Services(false);
  if (!services) return ctx.Fail(services.error());
  store::WebhookEventFilter filter;
  filter.limit = args.limit;
  filter.site_url = SiteFilter(args.site);
  if (!args.state.empty()) filter.state = store::ParseWebhookState(args.state);
  auto events = (*services)->webhooks->List(filter);
  if (!events) return ctx.Fail(events.error());
  if (args.json) {
    auto out = nlohmann::json::array();
    for (const auto& e : *events) out.push_back(EventToJson(e));
    *ctx.out << DumpJson(out) << "\n";
    return;
  }
  PrintTable(ctx, *events);
}

void Show(Context& ctx, const WebhooksArgs& args) {
  auto services = ctx.Services(false);
  if (!services) return ctx.Fail(services.error());
  auto event = (*services)->webhooks->Get(args.id);
  if (!event) return ctx.Fail(event.error());
  // JSON either way: the payload is JSON, and this is what the site receives.
  *ctx.out << DumpJson(EventToJson(*event), args.json ? -1 : 2) << "\n";
}

void Retry(Context& ctx, const WebhooksArgs& args) {
  auto services = ctx.Services(false);
  if (!services) return ctx.Fail(services.error());
  if (args.failed == !args.ids.empty()) {
    return ctx.Fail(core::Status::InvalidArgument("give event ids or --failed (not both)"));
  }
  if (args.failed) {
    auto n = (*services)->webhooks->RetryFailed(SiteFilter(args.site));
    if (!n) return ctx.Fail(n.error());
    *ctx.out << *n << " failed event(s) queued again; the running hamletd sends them now.\n";
    return;
  }
  for (int64_t id : args.ids) {
    if (auto s = (*services)->webhooks->Retry(id); !s.ok()) return ctx.Fail(s);
    *ctx.out << "event " << id << " queued again\n";
  }
  *ctx.out << "The running hamletd sends them now.\n";
}

void Test(Context& ctx, const WebhooksArgs& args) {
  auto services = ctx.Services(false);
  if (!services) return ctx.Fail(services.error());
  auto event = (*services)->webhooks->EnqueuePing(args.site);
  if (!event) return ctx.Fail(event.error());
  *ctx.out << "ping event " << event->id << " (" << event->event_id << ") queued for "
           << ForTerminal(args.site) << "\n";
  if (args.wait_seconds <= 0) {
    *ctx.out << "The running hamletd delivers it within a second: hamlet webhooks show "
             << event->id << "\n";
    return;
  }
  // Waits for the first attempt to be recorded (a finished attempt leaves no claim).
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(static_cast<int64_t>(args.wait_seconds * 1000));
  for (;;) {
    auto now = (*services)->webhooks->Get(event->id);
    if (!now) return ctx.Fail(now.error());
    if (now->attempts > 0 && now->claimed_by.empty()) {
      if (now->state == store::WebhookState::kDelivered) {
        *ctx.out << "delivered: HTTP " << now->last_status << "\n";
        return;
      }
      return ctx.Fail(core::Status::Unavailable("attempt " + std::to_string(now->attempts) +
                                                " failed: " + ForTerminal(now->last_error)));
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return ctx.Fail(core::Status::Unavailable(
          "not attempted within the wait: is hamletd running on this database?"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace

void RegisterWebhooks(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<WebhooksArgs>();
  auto* webhooks = app.add_subcommand(
      "webhooks",
      "The webhook outbox: moderator outcomes POSTed to sites by the running hamletd "
      "(docs/webhooks.md)");
  webhooks->require_subcommand(1);

  auto* list = webhooks->add_subcommand(
      "list",
      "Webhook events, newest first, with state, attempts and the last outcome\n"
      "Example: hamlet webhooks list --state failed");
  list->add_option("--state", args->state, "pending, delivered or failed")
      ->check(CLI::IsMember({"pending", "delivered", "failed"}));
  list->add_option("--site", args->site, "only this site's events");
  list->add_option("--limit", args->limit, "how many")->check(CLI::Range(1, 10000));
  list->add_flag("--json", args->json, "print a JSON array (payloads included)");
  list->callback([&ctx, args] { List(ctx, *args); });

  auto* show = webhooks->add_subcommand("show",
                                        "One event as JSON, with the payload the site receives\n"
                                        "Example: hamlet webhooks show 12");
  show->add_option("id", args->id, "the event's ID (hamlet webhooks list)")->required();
  show->add_flag("--json", args->json, "one line instead of indented");
  show->callback([&ctx, args] { Show(ctx, *args); });

  auto* retry = webhooks->add_subcommand(
      "retry",
      "Send events again now, with a fresh attempt count\n"
      "Example: hamlet webhooks retry 12 13\n"
      "         hamlet webhooks retry --failed --site https://blog.example.org/");
  retry->add_option("ids", args->ids, "event IDs (any state; a delivered event is sent again)");
  retry->add_flag("--failed", args->failed, "every failed event (of --site, when given)");
  retry->add_option("--site", args->site, "with --failed: only this site's events");
  retry->callback([&ctx, args] { Retry(ctx, *args); });

  auto* test = webhooks->add_subcommand(
      "test",
      "Queue a signed \"ping\" event for a site's webhook, which the running hamletd sends\n"
      "Example: hamlet webhooks test https://blog.example.org/ --wait 15");
  test->add_option("site", args->site, "the site URL its keys are bound to")->required();
  test->add_option("--wait", args->wait_seconds,
                   "wait up to this many seconds for the first attempt and print it; exit 4 "
                   "when it failed or did not happen")
      ->check(CLI::Range(0.0, 600.0));
  test->callback([&ctx, args] { Test(ctx, *args); });
}

}  // namespace hamlet::cli

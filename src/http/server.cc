// cpp-httplib server set-up (see design/dependencies-and-gotchas.md section 3) and the
// daemon loop with signal-driven graceful stop and model reload (SIGHUP).
#include "http/server.h"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <thread>

#include "app/duration.h"
#include "app/logging.h"
#include "app/retention_worker.h"
#include "app/webhook_worker.h"
#include "app/wiring.h"
#include "engine/webhook_dispatcher.h"
#include "http/routes.h"
#include "http/webhook_sender.h"

namespace hamlet::http {
namespace {

constexpr int kListenBacklog = 1024;

// httplib's backlog (5) is compiled into Debian's .so; Linux lets us listen() again on the
// bound socket with a bigger one, and svr_sock_ is protected.
class HttpServer : public httplib::Server {
 public:
  bool Relisten(int backlog) { return ::listen(svr_sock_, backlog) == 0; }
};

// Per-request state for the access log and the exception handler. httplib runs a request's
// pre-routing handler, handler, error handler and logger on one worker thread, in that order.
struct RequestState {
  std::string id;
  std::chrono::steady_clock::time_point start;
  bool active = false;
};
thread_local RequestState tls_request;

std::string NewRequestId() {
  thread_local std::mt19937_64 rng(std::random_device{}() ^
                                   std::hash<std::thread::id>{}(std::this_thread::get_id()));
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
  return buf;
}

std::string EscapeRegex(std::string_view path) {
  std::string out;
  for (char c : path) {
    if (std::string_view(".^$|()[]{}*+?\\").find(c) != std::string_view::npos) out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

// An absolute-form target ("POST http://KEY.rest.akismet.com/1.1/comment-check", as sent to
// a proxy) carries the authority in the target, which then overrides Host (RFC 9112 3.2.2).
// httplib leaves it in req.path; routing and key extraction need the plain path and Host.
void NormalizeAbsoluteForm(httplib::Request& req) {
  std::string_view path = req.path;
  size_t scheme = 0;
  if (path.starts_with("http://")) scheme = 7;
  if (path.starts_with("https://")) scheme = 8;
  if (scheme == 0) return;
  const size_t slash = path.find('/', scheme);
  const std::string authority(path.substr(scheme, slash - scheme));
  req.path = slash == std::string_view::npos ? "/" : std::string(path.substr(slash));
  req.headers.erase("Host");
  req.headers.emplace("Host", authority);
}

std::string_view ReasonText(int status) {
  switch (status) {
    case 400: return "bad request: malformed request line, headers or body";
    case 404: return "no such endpoint (GET /v1 lists them)";
    case 405: return "method not allowed for this endpoint";
    case 413: return "request body too large";
    case 414: return "request URI too long";
    case 415: return "unsupported Content-Encoding";
    case 416: return "bad Range header";
    case 500: return "internal error";
    case 503: return "service unavailable";
    default: return "request failed";
  }
}

const Route* FindPath(std::string_view path) {
  for (const Route& r : Routes()) {
    if (r.path == path) return &r;
  }
  return nullptr;
}

// Logs what the lists in force hold and every entry they had to skip.
void LogLists(const app::Services& services, std::string_view when) {
  const auto counts = services.lists->Count();
  std::string dir = "(no data directory found)";
  if (!services.lists->lists_dir().empty()) {
    dir.assign("'").append(services.lists->lists_dir().string()).append("'");
  }
  spdlog::info("{}: lists from {}: {} allow/block entries, {} disposable e-mail domains", when,
               dir, counts.entries, counts.disposable_domains);
  for (const std::string& problem : services.lists->Problems()) {
    spdlog::warn("{}: list entry skipped: {}", when, problem);
  }
}

// SIGHUP: re-read the lists, and reload the model from the path hamletd started with; a bad
// file changes nothing.
void ReloadOnSignal(app::Services& services) {
  if (core::Status s = services.lists->Reload(); !s.ok()) {
    spdlog::error("SIGHUP: lists not reloaded: {}", s.message());
  } else {
    LogLists(services, "SIGHUP");
  }
  if (!services.reloader) return;  // no model loaded, nothing to reload
  auto outcome = services.reloader->Reload();
  if (!outcome) {
    spdlog::error("SIGHUP: {}", outcome.error().message());
    return;
  }
  spdlog::info("SIGHUP: model reloaded from '{}': {} -> {} (reload {})",
               services.reloader->model_path(), outcome->previous, outcome->current,
               outcome->reloads);
}

}  // namespace

struct Server::Impl {
  Impl(app::Services& s, ServerOptions o) : ctx{s}, options(std::move(o)) {}
  void Configure();
  void AddRoute(const Route& route);

  RouteContext ctx;
  ServerOptions options;
  HttpServer http;
  int port = 0;
  std::atomic<bool> stopped{false};
};

void Server::Impl::Configure() {
  http.set_tcp_nodelay(true);  // Nagle + delayed ACK cost 40 ms per response otherwise
  http.set_payload_max_length(options.max_body_bytes);
  http.set_read_timeout(options.io_timeout);
  http.set_write_timeout(options.io_timeout);
  http.set_keep_alive_max_count(options.keep_alive_max_count);
  http.set_keep_alive_timeout(options.keep_alive_timeout.count());
  const size_t threads = static_cast<size_t>(options.threads);
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };

  http.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    tls_request = RequestState{NewRequestId(), std::chrono::steady_clock::now(), true};
    res.set_header("X-Request-Id", tls_request.id);
    // The Request object is a non-const local of httplib's process_request; only the handler
    // signature is const.
    NormalizeAbsoluteForm(const_cast<httplib::Request&>(req));
    return httplib::Server::HandlerResponse::Unhandled;
  });

  // Bodies for httplib's own refusals (400, 404, 413, ...), which come without one.
  const httplib::Server::HandlerWithResponse error_handler = [](const httplib::Request& req,
                                                                httplib::Response& res) {
    if (res.status == 404) {
      if (const Route* r = FindPath(req.path); r != nullptr && r->method != req.method) {
        res.status = 405;
        res.set_header("Allow", std::string(r->method));
      }
    }
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    if (!tls_request.active) tls_request = RequestState{NewRequestId(), {}, true};
    WriteError(req.path, res.status, ReasonText(res.status), tls_request.id, res);
    return httplib::Server::HandlerResponse::Handled;
  };
  http.set_error_handler(error_handler);

  // The backstop: a generic 500; e.what() goes to the log only, under the request id.
  http.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "non-standard exception";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        if (!tls_request.active) tls_request = RequestState{NewRequestId(), {}, true};
        spdlog::error("{} unhandled exception in {} {}: {}", tls_request.id, req.method, req.path,
                      what);
        res.headers.clear();
        res.body.clear();
        res.set_header("X-Request-Id", tls_request.id);
        WriteError(req.path, 500, "internal error (request " + tls_request.id + ")",
                   tls_request.id, res);
      });

  http.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    std::string latency = "-";
    if (tls_request.active && tls_request.start != std::chrono::steady_clock::time_point{}) {
      const std::chrono::duration<double, std::milli> ms =
          std::chrono::steady_clock::now() - tls_request.start;
      latency = fmt::format("{:.2f}ms", ms.count());
    }
    spdlog::info("{} {} {} {} {}B {} ip={}", tls_request.active ? tls_request.id : "-",
                 req.method, req.path, res.status, res.body.size(), latency,
                 app::MaskIp(req.remote_addr));
    tls_request.active = false;
  });

  for (const Route& route : Routes()) AddRoute(route);
}

void Server::Impl::AddRoute(const Route& route) {
  const std::string pattern = EscapeRegex(route.path);
  const Route* r = &route;
  if (route.method == "GET") {
    http.Get(pattern, [this, r](const httplib::Request& req, httplib::Response& res) {
      r->handler(ctx, Exchange{req, {}, tls_request.id, res});
    });
    return;
  }
  http.Post(pattern, [this, r](const httplib::Request& req, httplib::Response& res,
                               const httplib::ContentReader& reader) {
    std::string body;
    // RFC 9112 6.3: a request with neither Content-Length nor Transfer-Encoding has no body.
    // (httplib would otherwise wait for the peer to close, then answer 400.)
    if (req.has_header("Content-Length") || req.has_header("Transfer-Encoding")) {
      bool too_large = false;
      const size_t limit = options.max_body_bytes;
      const bool ok = reader([&](const char* data, size_t n) {
        if (body.size() + n > limit) {
          too_large = true;
          return false;
        }
        body.append(data, n);
        return true;
      });
      if (!ok) {
        const int status = too_large ? 413 : (res.status >= 400 ? res.status : 400);
        WriteError(req.path, status,
                   status == 413 ? fmt::format("request body too large (limit {} bytes)", limit)
                                 : std::string(ReasonText(status)),
                   tls_request.id, res);
        return;
      }
    }
    r->handler(ctx, Exchange{req, body, tls_request.id, res});
  });
}

Server::Server(app::Services& services, ServerOptions options)
    : impl_(std::make_unique<Impl>(services, std::move(options))) {
  impl_->Configure();
}

Server::~Server() = default;

core::Status Server::Bind() {
  const ServerOptions& o = impl_->options;
  if (o.port == 0) {
    impl_->port = impl_->http.bind_to_any_port(o.host);
  } else {
    impl_->port = impl_->http.bind_to_port(o.host, o.port) ? o.port : -1;
  }
  if (impl_->port < 0) {
    return core::Status::Unavailable("cannot listen on " + o.host + ":" + std::to_string(o.port) +
                                     " (address in use or not available)");
  }
  if (!impl_->http.Relisten(kListenBacklog)) {
    spdlog::warn("could not raise the listen backlog to {}", kListenBacklog);
  }
  return core::Status::Ok();
}

int Server::port() const { return impl_->port; }

core::Status Server::Run() {
  if (!impl_->http.listen_after_bind()) {
    return core::Status::Internal("the accept loop failed");
  }
  return core::Status::Ok();
}

void Server::Stop() {
  if (impl_->http.is_running() && !impl_->stopped.exchange(true)) impl_->http.stop();
}

core::Result<std::pair<std::string, int>> ParseListen(std::string_view listen) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == listen.size()) {
    return core::Status::InvalidArgument("--listen wants HOST:PORT, got '" + std::string(listen) +
                                         "'");
  }
  std::string host(listen.substr(0, colon));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  int port = 0;
  for (char c : listen.substr(colon + 1)) {
    if (c < '0' || c > '9' || port > 65535) {
      return core::Status::InvalidArgument("bad port in --listen '" + std::string(listen) + "'");
    }
    port = port * 10 + (c - '0');
  }
  if (port > 65535 || host.empty()) {
    return core::Status::InvalidArgument("bad --listen '" + std::string(listen) + "'");
  }
  return std::make_pair(host, port);
}

int RunDaemon(const DaemonOptions& options) {
  try {
    app::SetUpLogging(options.log_level);
    auto listen = ParseListen(options.listen);
    if (!listen) {
      std::cerr << "hamletd: " << listen.error().message() << "\n";
      return 1;
    }
    // Block the stop signals and SIGHUP in every thread (threads inherit the mask) before any
    // thread starts; one thread waits for them, so no handler runs in signal context.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    std::optional<int64_t> retention_ms;
    int64_t purge_interval_ms = 0;
    if (options.retention != "off") {
      auto parsed = app::ParseDurationMs(options.retention);
      if (!parsed) {
        std::cerr << "hamletd: --retention: " << parsed.error().message() << " (or off)\n";
        return 1;
      }
      retention_ms = *parsed;
      auto interval = app::ParseDurationMs(options.purge_interval);
      if (!interval) {
        std::cerr << "hamletd: --purge-interval: " << interval.error().message() << "\n";
        return 1;
      }
      purge_interval_ms = *interval;
    }

    app::Options app_options;
    app_options.db_path = options.db_path;
    app_options.model_path = options.model_path;
    app_options.data_dir = options.data_dir;
    app_options.load_model = true;
    auto services = app::Open(app_options);
    if (!services) {
      std::cerr << "hamletd: " << services.error().message() << "\n";
      return 1;
    }
    engine::WebhookPolicy webhook_policy;
    webhook_policy.retry_base_ms = options.webhook_retry_base_ms;
    webhook_policy.max_attempts = options.webhook_max_attempts;
    webhook_policy.retry_max_delay_ms =
        std::max(webhook_policy.retry_max_delay_ms, webhook_policy.retry_base_ms);
    if (core::Status s = webhook_policy.Validate(); !s.ok()) {
      std::cerr << "hamletd: " << s.message() << "\n";
      return 1;
    }
    ServerOptions server_options;
    server_options.host = listen->first;
    server_options.port = listen->second;
    server_options.threads = options.threads;
    server_options.max_body_bytes = options.max_body_bytes;
    server_options.keep_alive_max_count = options.keep_alive_max_count;
    server_options.keep_alive_timeout = std::chrono::seconds(options.keep_alive_timeout_seconds);
    Server server(**services, server_options);
    if (core::Status bound = server.Bind(); !bound.ok()) {
      std::cerr << "hamletd: " << bound.message() << "\n";
      return 1;
    }
    spdlog::info("hamletd listening on {}:{} (model {}, {} threads, body limit {} bytes)",
                 server_options.host, server.port(), (*services)->filter->ModelVersion(),
                 server_options.threads, server_options.max_body_bytes);
    // Webhook delivery runs beside the server on its own thread, never in a request.
    HttplibWebhookSender webhook_sender;
    engine::WebhookDispatcher webhook_dispatcher(*(*services)->store, *(*services)->sites,
                                                 webhook_sender, (*services)->clock, webhook_policy,
                                                 app::NewWebhookWorkerId());
    app::WebhookWorker webhook_worker(webhook_dispatcher);
    LogLists(**services, "start");
    std::unique_ptr<app::RetentionWorker> retention;
    if (retention_ms) {
      spdlog::info("retention: personal fields are blanked after {}, checked every {}",
                   options.retention, options.purge_interval);
      retention = std::make_unique<app::RetentionWorker>(
          *(*services)->retention, *retention_ms, std::chrono::milliseconds(purge_interval_ms));
    } else {
      spdlog::warn("retention: off; personal fields are kept until `hamlet purge`");
    }

    std::atomic<bool> done{false};
    std::thread waiter([&] {
      const timespec tick{0, 100'000'000};
      bool signalled = false;
      while (!done.load()) {
        if (!signalled) {
          const int sig = sigtimedwait(&signals, nullptr, &tick);
          if (sig <= 0) continue;
          if (sig == SIGHUP) {
            ReloadOnSignal(**services);
            continue;
          }
          spdlog::info("received signal {}, stopping", sig);
          signalled = true;
        } else {
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        server.Stop();  // repeated until Run returns: the signal may beat the accept loop
      }
    });
    const core::Status ran = server.Run();
    done = true;
    waiter.join();
    webhook_worker.Stop();
    if (retention) retention->Stop();
    if (!ran.ok()) {
      std::cerr << "hamletd: " << ran.message() << "\n";
      return 1;
    }
    spdlog::info("hamletd stopped");
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "hamletd: unexpected error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace hamlet::http

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
#include <random>
#include <thread>

#include "app/logging.h"
#include "app/wiring.h"
#include "http/routes.h"

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

// SIGHUP: reload the model from the path hamletd started with; a bad file changes nothing.
void ReloadOnSignal(app::Services& services) {
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

engine::MemoryOptions MemoryOptionsOf(const DaemonOptions& options) {
  engine::MemoryOptions m;
  m.half_life_ms = static_cast<int64_t>(options.memory_half_life_days * 86'400'000.0);
  m.campaign_window_ms = static_cast<int64_t>(options.campaign_window_hours * 3'600'000.0);
  // One figure for the operator; the indexes get shares of it by what each entry costs.
  m.max_reputation_entries = options.memory_max_entries;
  m.max_campaign_sightings = std::max<size_t>(1000, options.memory_max_entries / 2);
  m.max_rate_senders = std::max<size_t>(1000, options.memory_max_entries / 5);
  m.max_labels = std::max<size_t>(1000, options.memory_max_entries / 5);
  return m;
}

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

    app::Options app_options;
    app_options.db_path = options.db_path;
    app_options.model_path = options.model_path;
    app_options.load_model = true;
    app_options.memory = options.memory;
    app_options.memory_options = MemoryOptionsOf(options);
    auto services = app::Open(app_options);
    if (!services) {
      std::cerr << "hamletd: " << services.error().message() << "\n";
      return 1;
    }
    if (const engine::SyncedMemory* memory = (*services)->memory.get(); memory != nullptr) {
      const engine::RebuildStats& r = memory->rebuild_stats();
      spdlog::info(
          "memory rebuilt from the store in {:.0f} ms: {} decisions and {} labels of the "
          "last {:.0f} days ({} skipped); half-life {} d, campaign window {} h",
          r.elapsed_ms, r.decisions, r.feedback,
          static_cast<double>(app_options.memory_options.RebuildSpanMs()) / 86'400'000.0, r.skipped,
          options.memory_half_life_days, options.campaign_window_hours);
    }
    ServerOptions server_options;
    server_options.host = listen->first;
    server_options.port = listen->second;
    server_options.threads = options.threads;
    server_options.max_body_bytes = options.max_body_bytes;
    Server server(**services, server_options);
    if (core::Status bound = server.Bind(); !bound.ok()) {
      std::cerr << "hamletd: " << bound.message() << "\n";
      return 1;
    }
    spdlog::info("hamletd listening on {}:{} (model {}, {} threads, body limit {} bytes)",
                 server_options.host, server.port(), (*services)->filter->ModelVersion(),
                 server_options.threads, server_options.max_body_bytes);

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

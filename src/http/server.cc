// cpp-httplib server set-up (see design/dependencies-and-gotchas.md section 3) and the
// daemon loop with signal-driven graceful stop and model reload (SIGHUP). Connections are
// served by http::ConnectionManager (slow clients wait without a worker); httplib parses and
// routes each request.
#include "http/server.h"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include "app/duration.h"
#include "app/logging.h"
#include "app/model_registry.h"
#include "app/model_registry_worker.h"
#include "app/retention_worker.h"
#include "app/text_index_worker.h"
#include "app/webhook_worker.h"
#include "app/wiring.h"
#include "engine/webhook_dispatcher.h"
#include "http/connection_manager.h"
#include "http/metrics.h"
#include "http/request_guard.h"
#include "http/routes.h"
#include "http/webhook_sender.h"

namespace hamlet::http {
namespace {

constexpr int kListenBacklog = 1024;

// httplib::Server with two extensions through its protected interface:
// - httplib's backlog (5) is compiled into Debian's .so; Linux lets us listen() again on the
//   bound socket with a bigger one, and svr_sock_ is protected;
// - each accepted socket goes to a ConnectionManager (httplib's own loop would hold a worker
//   thread per connection, idle or slow), which calls process_request once a head is there.
class HttpServer : public httplib::Server {
 public:
  bool Relisten(int backlog) { return ::listen(svr_sock_, backlog) == 0; }
  void set_connections(ConnectionManager* connections) { connections_ = connections; }
  bool ProcessRequest(httplib::Stream& stream, bool last, bool& closed) {
    return process_request(stream, last, closed, nullptr);
  }

 private:
  // Overrides httplib's (private, virtual) per-connection loop; called on a worker thread.
  bool process_and_close_socket(socket_t sock) override {
    connections_->Serve(sock);
    return true;
  }
  ConnectionManager* connections_ = nullptr;
};

// Per-request state for the access log, metrics and the exception handler. httplib runs a
// request's pre-routing handler, handler, error handler and logger on one worker thread, in
// that order.
struct RequestState {
  std::string id;
  std::chrono::steady_clock::time_point start;
  bool active = false;
  size_t route = SIZE_MAX;  // index in Routes() once routed; SIZE_MAX: none matched
  int status = 0;           // the answer's status, once written
  // The request was refused before its body was read: the connection must not be reused.
  bool unread_input = false;
};
thread_local RequestState tls_request;
// The connection's stream while a worker serves a request on it.
thread_local ConnectionStream* tls_stream = nullptr;

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
    case 408: return "the request did not arrive in time";
    case 413: return "request body too large";
    case 414: return "request URI too long";
    case 415: return "unsupported Content-Encoding";
    case 416: return "bad Range header";
    case 431: return "request header fields too large or too many";
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

// "off" for a disabled limit (0), else the number.
std::string Limit(double value) { return value > 0 ? fmt::format("{}", value) : "off"; }

// Each connection is a file descriptor: raise the soft limit to the hard one (systemd's
// default soft limit is 1024), best effort.
void RaiseOpenFileLimit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    (void)::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

// Connections the open-file limit leaves room for, keeping 64 descriptors for the database,
// logs and the listening socket.
size_t ConnectionBudget() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return SIZE_MAX;
  return limit.rlim_cur > 128 ? static_cast<size_t>(limit.rlim_cur - 64) : 64;
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

// What httplib's accept loop gets as its task queue (and deletes when it ends): jobs go to
// the server's own worker pool, which the connection manager also feeds. httplib shuts it
// down when its loop ends; `stop` then stops the manager first, so nothing is parked or
// enqueued any more, and drains and joins the pool: every request in progress is answered.
class WorkerQueue final : public httplib::TaskQueue {
 public:
  WorkerQueue(httplib::ThreadPool& pool, std::function<void()> stop)
      : pool_(pool), stop_(std::move(stop)) {}
  void enqueue(std::function<void()> fn) override { pool_.enqueue(std::move(fn)); }
  void shutdown() override { stop_(); }

 private:
  httplib::ThreadPool& pool_;
  const std::function<void()> stop_;
};

// Statuses after which the request's extent is unknown (framing errors, refused heads or
// bodies): the connection is not reused.
bool EndsConnection(int status) {
  return status == 400 || status == 408 || status == 411 || status == 413 || status == 414 ||
         status == 415 || status == 431;
}

// The request was refused before all its input was read: answer "Connection: close" and
// drain the connection afterwards.
void MarkUnreadInput(httplib::Response& res) {
  tls_request.unread_input = true;
  res.set_header("Connection", "close");
}

// What becomes of a connection after httplib answered on it: framing errors (the request's
// extent is unknown) and refusals before the body was read leave input behind, so the
// connection is drained and closed rather than reused.
ConnectionManager::After AfterRequest(bool ok, bool client_closes, int status, bool unread_input) {
  if (!ok) return ConnectionManager::After::kClose;
  if (unread_input || EndsConnection(status)) return ConnectionManager::After::kDrainAndClose;
  return client_closes ? ConnectionManager::After::kClose : ConnectionManager::After::kKeepAlive;
}

// True when a header name or value holds a byte no header may (NUL, CR, LF; RFC 9110 5.5).
bool HasForbiddenHeaderByte(const httplib::Headers& headers) {
  for (const auto& [name, value] : headers) {
    for (const std::string* s : {&name, &value}) {
      if (s->find_first_of(std::string_view("\0\r\n", 3)) != std::string::npos) return true;
    }
  }
  return false;
}

ConnectionLimits LimitsOf(const ServerOptions& o) {
  ConnectionLimits limits;
  limits.io_timeout = o.io_timeout;
  limits.head_timeout = o.head_timeout;
  limits.body_timeout = o.io_timeout * 2;
  limits.idle_timeout = o.keep_alive_timeout;
  limits.max_head_bytes = o.max_head_bytes;
  limits.keep_alive_max_count = o.keep_alive_max_count;
  limits.max_connections = o.max_connections;
  limits.max_connections_per_ip = o.max_connections_per_ip;
  return limits;
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
  Impl(app::Services& s, ServerOptions o)
      : options(std::move(o)),
        metrics(Routes()),
        guard(options.guard),
        ctx{s, metrics, guard, state},
        pool(static_cast<size_t>(std::max(1, options.threads))),
        connections(
            LimitsOf(options),
            [this](ConnectionStream& stream, bool last) {
              tls_stream = &stream;
              tls_request.status = 0;
              tls_request.unread_input = false;
              bool closed = false;
              const bool ok = http.ProcessRequest(stream, last, closed);
              tls_stream = nullptr;
              return AfterRequest(ok, closed, tls_request.status, tls_request.unread_input);
            },
            [this](std::function<void()> job) { pool.enqueue(std::move(job)); }) {
    state.metrics_need_admin_key = options.metrics_need_admin_key;
    state.connections = &connections;
  }
  ~Impl() { StopWorkers(); }  // when Run() never ran, nothing else stops them
  // Stops waiting connections, then lets the workers finish their jobs and joins them. Once.
  void StopWorkers() {
    std::call_once(workers_stopped, [this] {
      connections.Stop();
      pool.shutdown();
    });
  }
  void Configure();
  void AddRoute(size_t index, const Route& route);

  ServerOptions options;
  Metrics metrics;
  RequestGuard guard;
  ServerState state;
  RouteContext ctx;
  HttpServer http;
  httplib::ThreadPool pool;
  std::once_flag workers_stopped;
  ConnectionManager connections;  // after pool and http: destroyed (stopped) before them
  int port = 0;
  std::atomic<bool> stopped{false};
};

void Server::Impl::Configure() {
  http.set_tcp_nodelay(true);  // Nagle + delayed ACK cost 40 ms per response otherwise
  // SO_REUSEADDR only: a restart may bind while old connections linger in TIME_WAIT.
  // httplib's default, SO_REUSEPORT, let a second hamletd bind the same port and take a share
  // of the connections, each with its own database, instead of failing "address in use".
  http.set_socket_options([](socket_t sock) {
    const int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  http.set_payload_max_length(options.max_body_bytes);
  http.set_read_timeout(options.io_timeout);
  http.set_write_timeout(options.io_timeout);
  http.set_keep_alive_max_count(options.keep_alive_max_count);
  http.set_keep_alive_timeout(options.keep_alive_timeout.count());
  http.set_connections(&connections);
  http.new_task_queue = [this] { return new WorkerQueue(pool, [this] { StopWorkers(); }); };

  http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    tls_request = RequestState{NewRequestId(), std::chrono::steady_clock::now(), true};
    res.set_header("X-Request-Id", tls_request.id);
    // The Request object is a non-const local of httplib's process_request; only the handler
    // signature is const.
    NormalizeAbsoluteForm(const_cast<httplib::Request&>(req));
    // httplib 0.11 takes any number of header lines; the head's byte cap bounds them, this
    // their count.
    if (req.headers.size() > options.max_header_count) {
      MarkUnreadInput(res);
      WriteError(req.path, 431,
                 fmt::format("too many header lines ({}; the limit is {})", req.headers.size(),
                             options.max_header_count),
                 tls_request.id, res);
      return httplib::Server::HandlerResponse::Handled;
    }
    if (HasForbiddenHeaderByte(req.headers)) {
      MarkUnreadInput(res);
      WriteError(req.path, 400, "a header holds a NUL, CR or LF byte", tls_request.id, res);
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  // Bodies for httplib's own refusals (400, 404, 413, ...), which come without one.
  const httplib::Server::HandlerWithResponse error_handler = [](const httplib::Request& req,
                                                                httplib::Response& res) {
    // A read that failed at the request's deadline is a timeout, not a malformed request.
    if (res.status == 400 && tls_stream != nullptr && tls_stream->deadline_passed()) {
      res.status = 408;
    }
    if (EndsConnection(res.status)) res.set_header("Connection", "close");
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

  http.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    double seconds = 0;
    if (tls_request.active && tls_request.start != std::chrono::steady_clock::time_point{}) {
      seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - tls_request.start)
                    .count();
    }
    tls_request.status = res.status;
    metrics.ObserveRequest(tls_request.active ? tls_request.route : SIZE_MAX, res.status, seconds);
    spdlog::info("req={} method={} path={} status={} bytes={} ms={:.2f} ip={}",
                 tls_request.active ? tls_request.id : "-", req.method, req.path, res.status,
                 res.body.size(), seconds * 1000, app::LogIp(req.remote_addr));
    tls_request.active = false;
  });

  const std::span<const Route> routes = Routes();
  for (size_t i = 0; i < routes.size(); ++i) AddRoute(i, routes[i]);
}

void Server::Impl::AddRoute(size_t index, const Route& route) {
  const std::string pattern = EscapeRegex(route.path);
  const Route* r = &route;
  // Runs the handler, counted in flight, unless the client address is over its rate.
  auto run = [this, r, index](const httplib::Request& req, std::string_view body,
                              httplib::Response& res) {
    tls_request.route = index;
    if (r->rate_limited) {
      if (int wait = guard.AdmitAddress(req.remote_addr); wait > 0) {
        WriteThrottled(
            req.path, wait,
            fmt::format("Request rate limit of your address exceeded; retry in {} s", wait),
            tls_request.id, res);
        return;
      }
    }
    // A request that began before a stop is answered, and says the connection ends.
    if (connections.stopping()) res.set_header("Connection", "close");
    metrics.HandlerStarted();
    struct Finished {
      Metrics& m;
      ~Finished() { m.HandlerFinished(); }
    } finished{metrics};
    r->handler(ctx, Exchange{req, body, tls_request.id, res});
  };
  if (route.method == "GET") {
    http.Get(pattern,
             [run](const httplib::Request& req, httplib::Response& res) { run(req, {}, res); });
    return;
  }
  http.Post(pattern, [this, run, index](const httplib::Request& req, httplib::Response& res,
                                        const httplib::ContentReader& reader) {
    tls_request.route = index;  // also for a refused body
    // httplib would parse a multipart body as multipart whatever the handler wants; both APIs
    // take a form or JSON body, so it is refused unread.
    if (req.is_multipart_form_data()) {
      MarkUnreadInput(res);
      WriteError(req.path, 415,
                 req.path.starts_with("/v1")
                     ? "the body must be JSON: send \"Content-Type: application/json\""
                     : "multipart bodies are not read: send application/x-www-form-urlencoded",
                 tls_request.id, res);
      return;
    }
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
        MarkUnreadInput(res);
        const int status = too_large ? 413 : (res.status >= 400 ? res.status : 400);
        WriteError(req.path, status,
                   status == 413 ? fmt::format("request body too large (limit {} bytes)", limit)
                                 : std::string(ReasonText(status)),
                   tls_request.id, res);
        return;
      }
    }
    run(req, body, res);
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

int64_t Server::OpenConnections() const { return impl_->connections.Stats().open; }

core::Status Server::Run() {
  if (!impl_->http.listen_after_bind()) {
    return core::Status::Internal("the accept loop failed");
  }
  return core::Status::Ok();
}

void Server::Stop() {
  // Before httplib's accept loop ends (it shuts the workers down, StopWorkers, but only once
  // it notices): a request answered in between must already say Connection: close.
  impl_->connections.BeginStop();
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

    app::SetLogPersonalData(options.log_personal_data);
    RaiseOpenFileLimit();
    std::optional<int64_t> retention_ms;
    std::optional<int64_t> delete_ms;
    int64_t purge_interval_ms = 0;
    if (options.retention != "off") {
      auto parsed = app::ParseDurationMs(options.retention);
      if (!parsed) {
        std::cerr << "hamletd: --retention: " << parsed.error().message() << " (or off)\n";
        return 1;
      }
      retention_ms = *parsed;
    }
    if (options.delete_after != "off") {
      auto parsed = app::ParseDurationMs(options.delete_after);
      if (!parsed || *parsed < engine::Retention::kMinDeleteAgeMs) {
        std::cerr << "hamletd: --delete-after: "
                  << (parsed ? "must be at least 2d" : parsed.error().message()) << " (or off)\n";
        return 1;
      }
      delete_ms = *parsed;
    }
    if (retention_ms || delete_ms) {
      auto interval = app::ParseDurationMs(options.purge_interval);
      if (!interval) {
        std::cerr << "hamletd: --purge-interval: " << interval.error().message() << "\n";
        return 1;
      }
      purge_interval_ms = *interval;
    }

    std::optional<int64_t> model_poll_ms;
    if (options.model_poll_interval != "off") {
      auto parsed = app::ParseDurationMs(options.model_poll_interval);
      if (!parsed) {
        std::cerr << "hamletd: --model-poll-interval: " << parsed.error().message()
                  << " (or off)\n";
        return 1;
      }
      model_poll_ms = *parsed;
    }

    app::Options app_options;
    app_options.db_path = options.db_path;
    app_options.store_url = options.store_url;
    app_options.model_path = options.model_path;
    app_options.data_dir = options.data_dir;
    app_options.load_model = true;
    app_options.max_db_bytes = options.max_db_mb * 1024 * 1024;
    app_options.memory = options.memory;
    app_options.memory_options = MemoryOptionsOf(options);
    app_options.memory_refresh_ms = options.memory_refresh_ms;
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
    server_options.keep_alive_max_count = options.keep_alive_max_count;
    server_options.keep_alive_timeout = std::chrono::seconds(options.keep_alive_timeout_seconds);
    server_options.max_connections = std::min(options.max_connections, ConnectionBudget());
    server_options.max_connections_per_ip = options.max_connections_per_ip;
    server_options.head_timeout = std::chrono::seconds(options.head_timeout_seconds);
    server_options.guard.per_ip = {options.rate_limit_ip, 2 * options.rate_limit_ip};
    server_options.guard.per_key = {options.rate_limit_key, 2 * options.rate_limit_key};
    server_options.guard.auth_failures = {options.auth_failures_per_minute / 60.0,
                                          options.auth_failures_per_minute};
    server_options.metrics_need_admin_key = options.metrics_auth == "admin";
    Server server(**services, server_options);
    if (core::Status bound = server.Bind(); !bound.ok()) {
      std::cerr << "hamletd: " << bound.message() << "\n";
      return 1;
    }
    spdlog::info(
        "hamletd listening on {}:{} (model {}, {} threads, body limit {} bytes, at most {} "
        "connections, {} per address; rate limits per address {}/s, per key {}/s, {} failed "
        "key checks per minute; /metrics {}; personal data in logs {})",
        server_options.host, server.port(), (*services)->filter->ModelVersion(),
        server_options.threads, server_options.max_body_bytes, server_options.max_connections,
        server_options.max_connections_per_ip, Limit(options.rate_limit_ip),
        Limit(options.rate_limit_key), Limit(options.auth_failures_per_minute),
        server_options.metrics_need_admin_key ? "needs an admin key" : "open",
        options.log_personal_data ? "unmasked" : "masked");
    if (options.malloc_arenas > 0) {
      spdlog::info(
          "memory: at most {} malloc arenas (one per usable CPU; MALLOC_ARENA_MAX overrides)",
          options.malloc_arenas);
    } else {
      spdlog::info("memory: malloc arenas left as they are (MALLOC_ARENA_MAX or GLIBC_TUNABLES "
                   "set, or not glibc)");
    }
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
    } else {
      spdlog::warn("retention: off; personal fields are kept until `hamlet purge`");
    }
    if (delete_ms) {
      spdlog::info("retention: decisions are deleted after {} (counts kept per day)",
                   options.delete_after);
    } else {
      spdlog::info("retention: decisions are kept (--delete-after off)");
    }
    if (retention_ms || delete_ms) {
      retention = std::make_unique<app::RetentionWorker>(
          *(*services)->retention, retention_ms, std::chrono::milliseconds(purge_interval_ms),
          delete_ms);
    }

    // The model registry: the newest published model goes into service on every node.
    std::unique_ptr<app::ModelRegistrySync> registry;
    std::unique_ptr<app::ModelRegistryWorker> registry_worker;
    if (model_poll_ms) {
      const std::string cache_dir =
          options.model_cache_dir.empty()
              ? app::DefaultModelCacheDir((*services)->reloader->model_path()).string()
              : options.model_cache_dir;
      spdlog::info("model registry: polled every {}, published models cached in '{}'",
                   options.model_poll_interval, cache_dir);
      registry = std::make_unique<app::ModelRegistrySync>(*(*services)->store, *(*services)->filter,
                                                          *(*services)->reloader, cache_dir);
      registry_worker = std::make_unique<app::ModelRegistryWorker>(
          *registry, std::chrono::milliseconds(*model_poll_ms));
    } else {
      spdlog::info("model registry: not polled (--model-poll-interval off)");
    }

    // Decisions are stored unindexed; this fills the text index behind them.
    app::TextIndexWorker text_indexer(*(*services)->store, std::chrono::milliseconds(200));

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
          // Stop first: once the line below is logged, every answer closes its connection.
          server.Stop();
          spdlog::info(
              "received signal {}, stopping: accepting no more connections; "
              "requests in progress are answered ({} connections open)",
              sig, server.OpenConnections());
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
    if (registry_worker) registry_worker->Stop();
    text_indexer.Stop();
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

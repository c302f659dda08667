// The route table: every HTTP endpoint with its method, path, handler and a one-line
// description (served by GET /v1). Handlers are thin: decode -> one engine call -> encode.
#pragma once

#include <span>
#include <string_view>

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace hamlet::app {
struct Services;
}

namespace hamlet::http {

class ConnectionManager;
class Metrics;
class RequestGuard;

// What the server tells handlers about itself.
struct ServerState {
  // GET /metrics wants an admin key (Authorization: Bearer) when set; else it is open.
  bool metrics_need_admin_key = false;
  // For the connection gauges of /metrics; may be null.
  const ConnectionManager* connections = nullptr;
};

// What a handler may use besides the request. All of it outlives the server.
struct RouteContext {
  app::Services& services;
  Metrics& metrics;
  RequestGuard& guard;
  ServerState& state;
};

// One request in flight. `body` was read by the server with the size limit enforced.
struct Exchange {
  const httplib::Request& request;
  std::string_view body;
  std::string_view request_id;
  httplib::Response& response;
};

using Handler = void (*)(const RouteContext&, const Exchange&);

struct Route {
  std::string_view method;  // "GET" or "POST"
  std::string_view path;    // exact path
  Handler handler;
  std::string_view description;
  // Counted against the client address's rate limit (RequestGuard::AdmitAddress). Off for
  // the probes (/healthz, /readyz, /metrics), so monitoring never locks itself out.
  bool rate_limited = true;
};

// All routes, in the order GET /v1 lists them.
std::span<const Route> Routes();

// True for the Akismet wire paths (/1.1/..., /1.2/...), whose errors are answered as Akismet text
// (`invalid` + X-akismet-debug-help) rather than as JSON.
bool IsAkismetPath(std::string_view path);

// Writes an error answer that fits the path: Akismet text or a /v1 JSON error body.
void WriteError(std::string_view path, int http_status, std::string_view message,
                std::string_view request_id, httplib::Response& response);

// Writes a rate-limit refusal that fits the path: 429 with Retry-After: `retry_after`
// seconds; on the Akismet paths the body `throttled` and an X-akismet-debug-help with
// `message` (never `invalid`, which a client would take for a wrong key), elsewhere a JSON
// error with code "rate_limited".
void WriteThrottled(std::string_view path, int retry_after, std::string_view message,
                    std::string_view request_id, httplib::Response& response);

}  // namespace hamlet::http

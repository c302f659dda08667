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

// What a handler may use besides the request. Services outlive the server.
struct RouteContext {
  app::Services& services;
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
};

// All routes, in the order GET /v1 lists them.
std::span<const Route> Routes();

// True for the Akismet wire paths (/1.1/..., /1.2/...), whose errors are answered as Akismet text
// (`invalid` + X-akismet-debug-help) rather than as JSON.
bool IsAkismetPath(std::string_view path);

// Writes an error answer that fits the path: Akismet text or a /v1 JSON error body.
void WriteError(std::string_view path, int http_status, std::string_view message,
                std::string_view request_id, httplib::Response& response);

}  // namespace hamlet::http

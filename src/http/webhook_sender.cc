// POSTing webhook events with cpp-httplib's client.
#include "http/webhook_sender.h"

#include <httplib.h>

#include <exception>

namespace hamlet::http {
namespace {

std::string Describe(httplib::Error error) {
  switch (error) {
    case httplib::Error::Connection:
      return "could not connect (refused or unreachable)";
    case httplib::Error::ConnectionTimeout:
      return "connecting timed out";
    case httplib::Error::Read:
      return "no answer (the read failed or timed out)";
    case httplib::Error::Write:
      return "sending the request failed";
    case httplib::Error::SSLConnection:
      return "the TLS handshake failed";
    case httplib::Error::SSLLoadingCerts:
      return "the CA certificates could not be loaded";
    case httplib::Error::SSLServerVerification:
      return "the server's TLS certificate did not verify";
    case httplib::Error::BindIPAddress:
      return "could not bind the local address";
    default:
      return "HTTP client error: " + httplib::to_string(error);
  }
}

}  // namespace

HttplibWebhookSender::HttplibWebhookSender(WebhookSenderOptions options)
    : options_(std::move(options)) {}

engine::WebhookResponse HttplibWebhookSender::Post(const engine::WebhookRequest& request) {
  engine::WebhookResponse response;
  try {
    httplib::Client client(request.url.Origin());
    if (!client.is_valid()) {
      response.error = "the HTTP client refused the URL";
      return response;
    }
    client.set_connection_timeout(options_.connect_timeout);
    client.set_write_timeout(options_.write_timeout);
    client.set_read_timeout(options_.read_timeout);
    client.set_follow_location(false);
    client.set_keep_alive(false);
    if (request.url.https) {
      client.enable_server_certificate_verification(true);
      if (!options_.ca_cert_path.empty()) client.set_ca_cert_path(options_.ca_cert_path);
    }

    httplib::Request req;
    req.method = "POST";
    req.path = request.url.target;
    for (const auto& [name, value] : request.headers) req.headers.emplace(name, value);
    req.body = request.body;
    // The answer's body is not used: read (and drop) at most max_response_bytes of it.
    size_t received = 0;
    bool too_long = false;
    req.content_receiver = [&](const char*, size_t n, uint64_t, uint64_t) {
      received += n;
      too_long = received > options_.max_response_bytes;
      return !too_long;
    };

    httplib::Response res;
    httplib::Error error = httplib::Error::Success;
    const bool ok = client.send(req, res, error);
    // A too-long answer is cut off after its status line was read: the status still counts.
    if (ok || (too_long && res.status > 0)) {
      response.status = res.status;
    } else {
      response.error = Describe(error);
    }
  } catch (const std::exception& e) {
    response.status = 0;
    response.error = std::string("HTTP client error: ") + e.what();
  }
  return response;
}

}  // namespace hamlet::http

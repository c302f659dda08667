// The /v1 JSON error check shared by the e2e tests.
#include "support/json_error.h"

#include <doctest/doctest.h>

namespace hamlet::testing {

nlohmann::json JsonErrorOf(const httplib::Result& r, int status, const std::string& code) {
  REQUIRE(r);
  CHECK(r->status == status);
  CHECK(r->get_header_value("Content-Type") == "application/json");
  const nlohmann::json body = nlohmann::json::parse(r->body);
  CHECK(body["error"]["code"] == code);
  CHECK(body["error"]["message"].is_string());
  CHECK(body["error"]["request_id"] == r->get_header_value("X-Request-Id"));
  return body["error"];
}

}  // namespace hamlet::testing

// JsonErrorOf: checks that an HTTP answer is one of the /v1 API's JSON errors, for e2e tests.
#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>

namespace hamlet::testing {

// The error object of a JSON error answer, after checking the answer's shape (doctest CHECKs):
// `status`, Content-Type application/json, error.code == `code`, a message, and the answer's
// X-Request-Id as error.request_id. Fails the test when there is no answer.
nlohmann::json JsonErrorOf(const httplib::Result& r, int status, const std::string& code);

}  // namespace hamlet::testing

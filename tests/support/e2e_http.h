// HTTP helpers the end-to-end tests share: requests to a HamletdProcess, one /metrics sample,
// the decisions it stored, and polling for a condition.
#pragma once

#include <httplib.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "support/hamletd_process.h"

namespace hamlet::testing {

inline constexpr const char* kFormContentType = "application/x-www-form-urlencoded";

// A request on a new connection, waiting up to 15 s for the answer.
httplib::Result PostTo(const HamletdProcess& d, const std::string& path, const std::string& body,
                       const std::string& content_type = kFormContentType,
                       const httplib::Headers& headers = {});
httplib::Result GetFrom(const HamletdProcess& d, const std::string& path,
                        const httplib::Headers& headers = {});

// The value of one sample of GET /metrics, named with its labels as printed, e.g.
// `hamlet_store_errors_total{kind="full"}`; -1 when it is absent or /metrics does not answer.
double MetricValue(const HamletdProcess& d, const std::string& sample);

// Rows in hamletd's decisions table (read by a connection of the test's own; for PostgreSQL,
// by a store of the test's own).
int64_t StoredDecisions(const HamletdProcess& d);

// Calls `done` every 20 ms until it returns true or `patience` passes; its last answer.
bool WaitUntil(const std::function<bool()>& done, std::chrono::milliseconds patience);

}  // namespace hamlet::testing

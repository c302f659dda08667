// Logging set-up (spdlog) and the masking of personal data before anything is logged.
#pragma once

#include <string>
#include <string_view>

namespace hamlet::app {

// Configures the default spdlog logger: stderr, "[time] [level] message", flushed on warn.
// `level` is one of trace, debug, info, warn, error.
void SetUpLogging(std::string_view level);

// 203.0.113.77 -> 203.0.113.x ; 2001:db8:1:2::5 -> 2001:db8:1:x ; anything else -> "?"
std::string MaskIp(std::string_view ip);
// alice@example.com -> a***@example.com ; not an address -> "?"
std::string MaskEmail(std::string_view email);

// Whether log lines may show IP and e-mail addresses unmasked (hamletd --log-personal-data,
// for debugging a deployment). Off by default; process-wide.
void SetLogPersonalData(bool on);
// An IP / e-mail address as a log line shows it: MaskIp / MaskEmail unless
// SetLogPersonalData(true) ("-" for an empty one either way).
std::string LogIp(std::string_view ip);
std::string LogEmail(std::string_view email);

}  // namespace hamlet::app

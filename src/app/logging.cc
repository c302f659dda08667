// spdlog set-up and personal-data masking for log lines.
#include "app/logging.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>

namespace hamlet::app {
namespace {

std::atomic<bool> g_log_personal_data{false};

}  // namespace

void SetUpLogging(std::string_view level) {
  auto logger = spdlog::stderr_color_mt("hamlet");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  logger->set_level(spdlog::level::from_str(std::string(level)));
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
}

std::string MaskIp(std::string_view ip) {
  if (ip.empty()) return "-";
  if (ip.find(':') != std::string_view::npos) {
    // IPv6: keep the first three groups (the provider's prefix), hide the rest.
    size_t pos = 0;
    for (int groups = 0; groups < 3; ++groups) {
      pos = ip.find(':', pos);
      if (pos == std::string_view::npos) return "?";
      ++pos;
    }
    return std::string(ip.substr(0, pos)) + "x";
  }
  const size_t last_dot = ip.rfind('.');
  if (last_dot == std::string_view::npos || last_dot == 0) return "?";
  for (char c : ip) {
    if (!(c == '.' || (c >= '0' && c <= '9'))) return "?";
  }
  return std::string(ip.substr(0, last_dot)) + ".x";
}

std::string MaskEmail(std::string_view email) {
  const size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= email.size()) return "?";
  return std::string(email.substr(0, 1)) + "***" + std::string(email.substr(at));
}

void SetLogPersonalData(bool on) { g_log_personal_data.store(on); }

std::string LogIp(std::string_view ip) {
  if (ip.empty()) return "-";
  return g_log_personal_data.load() ? std::string(ip) : MaskIp(ip);
}

std::string LogEmail(std::string_view email) {
  if (email.empty()) return "-";
  return g_log_personal_data.load() ? std::string(email) : MaskEmail(email);
}

}  // namespace hamlet::app

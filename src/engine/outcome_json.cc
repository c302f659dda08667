// Encoding decision outcomes for sites.
#include "engine/outcome_json.h"

#include <cstdio>
#include <ctime>

namespace hamlet::engine {
namespace {

nlohmann::json TextOrNull(const std::string& text) {
  return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

bool IsSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

}  // namespace

std::string Rfc3339(int64_t millis) {
  const std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[40];
  const size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char ms[8];
  std::snprintf(ms, sizeof ms, ".%03dZ", static_cast<int>(millis % 1000));
  return std::string(buf, n) + ms;
}

std::string Excerpt(std::string_view text, size_t max_chars) {
  std::string out;
  size_t chars = 0;
  bool pending_space = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (IsSpace(byte)) {
      pending_space = !out.empty();
      continue;
    }
    const bool starts_code_point = (byte & 0xC0) != 0x80;
    if (starts_code_point) {
      if (chars + (pending_space ? 1 : 0) >= max_chars) return out + "\xE2\x80\xA6";
      if (pending_space) {
        out += ' ';
        ++chars;
        pending_space = false;
      }
      ++chars;
    }
    out += text[i];
  }
  return out;
}

std::string DumpJson(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json DecisionOutcomeJson(const store::DecisionRecord& d,
                                   const store::FeedbackRecord* latest, bool personal_data) {
  const core::Comment& c = d.comment;
  nlohmann::json out = {
      {"id", d.id},
      {"created", Rfc3339(d.created_ms)},
      {"verdict", core::VerdictName(d.decision.verdict)},
      {"uncertain", d.decision.uncertain},
      {"score", d.decision.score},
      {"is_test", c.is_test},
      {"permalink", TextOrNull(c.permalink)},
      {"comment_date_gmt", TextOrNull(c.comment_date_gmt)},
      {"excerpt", Excerpt(c.comment_content)},
      {"label", nullptr},
      {"labeled", nullptr},
      {"labeled_by", nullptr},
      {"moderator", nullptr},
  };
  if (latest != nullptr) {
    out["label"] = latest->label;
    out["labeled"] = Rfc3339(latest->created_ms);
    out["labeled_by"] = latest->source == "cli" ? "hamlet" : "site";
    out["moderator"] = TextOrNull(latest->moderator);
  }
  if (personal_data) {
    out["comment_author"] = c.comment_author;
    out["comment_author_email"] = c.comment_author_email;
    out["comment_author_url"] = c.comment_author_url;
    out["user_ip"] = c.user_ip;
  }
  return out;
}

}  // namespace hamlet::engine

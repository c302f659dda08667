// CLI rendering helpers.
#include "cli/format.h"

#include <ctime>

#include "cli/terminal_text.h"

namespace hamlet::cli {

std::string FormatTime(int64_t millis) {
  const std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%SZ", &tm);
  return buf;
}

std::string Snippet(std::string_view text, size_t width) {
  const std::string safe = ForTerminal(text);
  std::string out;
  size_t count = 0;
  for (size_t i = 0; i < safe.size(); ++i) {
    const auto byte = static_cast<unsigned char>(safe[i]);
    if ((byte & 0xC0) != 0x80) {  // start of a code point
      if (count == width) return out + "\xE2\x80\xA6";
      ++count;
    }
    out += safe[i];
  }
  return out;
}

std::string VerdictLabel(const core::Decision& d) {
  std::string label(core::VerdictName(d.verdict));
  if (d.uncertain) label += "?";
  return label;
}

nlohmann::json ReasonsToJson(const std::vector<core::Reason>& reasons) {
  auto out = nlohmann::json::array();
  for (const auto& r : reasons) {
    out.push_back({{"check", r.check}, {"contribution", r.contribution}, {"detail", r.detail}});
  }
  return out;
}

nlohmann::json DecisionToJson(const store::DecisionRecord& r) {
  auto fields = nlohmann::json::array();
  for (const auto& [name, value] : r.comment.fields) fields.push_back({name, value});
  nlohmann::json out = {
      {"id", r.id},
      {"created", FormatTime(r.created_ms)},
      {"created_ms", r.created_ms},
      {"site", r.site_url},
      {"key_id", r.key_id},
      {"channel", r.channel},
      {"verdict", core::VerdictName(r.decision.verdict)},
      {"uncertain", r.decision.uncertain},
      {"score", r.decision.score},
      {"reasons", ReasonsToJson(r.decision.reasons)},
      {"model", r.model_version},
      {"latency_ms", r.latency_ms},
      {"is_test", r.comment.is_test},
      {"fields", fields},
  };
  out["feedback"] = r.feedback_label ? nlohmann::json(*r.feedback_label) : nlohmann::json();
  out["recheck_of"] = r.recheck_of.empty() ? nlohmann::json() : nlohmann::json(r.recheck_of);
  out["purged"] = r.purged_ms ? nlohmann::json(FormatTime(*r.purged_ms)) : nlohmann::json();
  return out;
}

nlohmann::json ActionToJson(const store::ModeratorAction& a) {
  return {{"id", a.id},
          {"moderator", a.moderator},
          {"label", a.label},
          {"origin", a.origin},
          {"selection", a.selection},
          {"created", FormatTime(a.created_ms)},
          {"items", a.item_count},
          {"undone", a.undone_ms ? nlohmann::json(FormatTime(*a.undone_ms)) : nlohmann::json()},
          {"undone_by", a.undone_ms ? nlohmann::json(a.undone_by) : nlohmann::json()}};
}

nlohmann::json FeedbackToJson(const store::FeedbackRecord& f) {
  return {{"id", f.id},
          {"decision_id", f.decision_id},
          {"label", f.label},
          {"source", f.source},
          {"moderator", f.moderator},
          {"created", FormatTime(f.created_ms)},
          {"is_test", f.is_test},
          {"action_id", f.action_id == 0 ? nlohmann::json() : nlohmann::json(f.action_id)},
          {"revoked", f.revoked_ms ? nlohmann::json(FormatTime(*f.revoked_ms)) : nlohmann::json()}};
}

nlohmann::json KeyToJson(const store::SiteKey& k) {
  return {{"id", k.id},
          {"role", std::string(store::KeyRoleName(k.role))},
          {"site", k.site_url},
          {"hint", k.key_hint},
          {"created", FormatTime(k.created_ms)},
          {"revoked", k.revoked_ms ? nlohmann::json(FormatTime(*k.revoked_ms)) : nlohmann::json()}};
}

std::string DumpJson(const nlohmann::json& j, int indent) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace hamlet::cli

// Parsing and validation of per-site settings.
#include "engine/site_profile.h"

#include <cmath>
#include <cstdlib>

#include "engine/webhook_url.h"
#include "signals/signal.h"

namespace hamlet::engine {

std::vector<std::string_view> CheckFamilies();

namespace {

constexpr SiteSettingInfo kSettings[] = {
    {"spam_threshold", "P in (0, 1)",
     "spam when P(spam) >= this; overrides the model's threshold (higher: fewer flagged)"},
    {"discard_threshold", "P in [spam_threshold, 1]",
     "discard (Akismet pro-tip) when P(spam) >= this; 1 never discards"},
    {"uncertain_band", "log-odds in [0, 10]",
     "decisions this close to the spam threshold are marked uncertain for the queue"},
    {"uncertain_answer", "false | true",
     "what Akismet clients are told for an uncertain decision (false: held in hamlet's queue)"},
    {"min_seconds_to_submit", "seconds >= 0",
     "a comment sent sooner after its form was rendered is suspicious (timing check)"},
    {"weight.", "weight.<check or family> = number >= 0",
     "multiplies a check's contribution; 0 switches it off (families: hamlet eval --help)"},
    {"webhook_url", "http(s)://... or empty",
     "moderator outcomes are POSTed here, signed with webhook_secret"},
    {"webhook_secret", "text, 16+ characters", "HMAC-SHA256 key of the webhook signature"},
    {"outcome_personal_data", "false | true",
     "webhook events and GET /v1/decisions include the commenter's name, e-mail, URL and IP"},
};

std::optional<double> ParseNumber(std::string_view text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  const std::string copy(text);
  char* end = nullptr;
  const double v = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<bool> ParseBool(std::string_view text) {
  if (text == "true" || text == "1" || text == "yes" || text == "on" || text == "spam") return true;
  if (text == "false" || text == "0" || text == "no" || text == "off" || text == "ham")
    return false;
  return std::nullopt;
}

bool KnownCheck(std::string_view check) {
  const std::string_view family = signals::CheckFamily(check);
  for (const signals::CheckRow& row : signals::CheckTable()) {
    if (row.family == family) return true;
  }
  return false;
}

std::string FamilyList() {
  std::string out;
  for (std::string_view family : CheckFamilies()) {
    if (!out.empty()) out += ", ";
    out += family;
  }
  return out;
}

core::Status Bad(std::string_view name, std::string_view why) {
  return core::Status::InvalidArgument("setting '" + std::string(name) + "': " + std::string(why));
}

// Applies one validated row to `profile`.
core::Status ApplySetting(std::string_view name, std::string_view value, SiteProfile& profile) {
  if (name == "spam_threshold" || name == "discard_threshold") {
    auto v = ParseNumber(value);
    const bool spam = name == "spam_threshold";
    if (!v || *v <= 0.0 || *v > 1.0 || (spam && *v >= 1.0)) {
      return Bad(name, spam ? "wants a probability between 0 and 1 (exclusive), e.g. 0.99"
                            : "wants a probability in (0, 1], e.g. 0.9999");
    }
    (spam ? profile.spam_threshold : profile.discard_threshold) = *v;
    return core::Status::Ok();
  }
  if (name == "uncertain_band") {
    auto v = ParseNumber(value);
    if (!v || *v < 0.0 || *v > 10.0) return Bad(name, "wants log-odds in [0, 10], e.g. 1.5");
    profile.uncertain_band = *v;
    return core::Status::Ok();
  }
  if (name == "uncertain_answer") {
    auto v = ParseBool(value);
    if (!v) return Bad(name, "wants false (held in hamlet's queue) or true (spam)");
    profile.uncertain_answer_spam = *v;
    return core::Status::Ok();
  }
  if (name == "min_seconds_to_submit") {
    auto v = ParseNumber(value);
    if (!v || *v < 0.0 || *v > 3600.0) return Bad(name, "wants seconds in [0, 3600], e.g. 3");
    profile.checks.min_seconds_to_submit = *v;
    return core::Status::Ok();
  }
  if (name.starts_with("weight.")) {
    const std::string_view check = name.substr(7);
    if (check.empty() || !KnownCheck(check)) {
      return Bad(name, "names no check family; known: " + FamilyList());
    }
    auto v = ParseNumber(value);
    if (!v || *v < 0.0 || *v > 100.0) return Bad(name, "wants a weight in [0, 100] (0: off)");
    profile.checks.weights[std::string(check)] = *v;
    return core::Status::Ok();
  }
  if (name == "webhook_url") {
    if (!value.empty()) {
      if (auto url = ParseWebhookUrl(value); !url) {
        return Bad(name, url.error().message() + " (empty: no webhook)");
      }
    }
    profile.webhook_url = std::string(value);
    return core::Status::Ok();
  }
  if (name == "outcome_personal_data") {
    auto v = ParseBool(value);
    if (!v) return Bad(name, "wants false (the default: no personal data) or true");
    profile.outcome_personal_data = *v;
    return core::Status::Ok();
  }
  if (name == "webhook_secret") {
    if (value.size() < 16) return Bad(name, "wants at least 16 characters");
    profile.webhook_secret = std::string(value);
    return core::Status::Ok();
  }
  std::string known;
  for (const SiteSettingInfo& s : kSettings) {
    if (!known.empty()) known += ", ";
    known += s.name;
  }
  return Bad(name, "unknown setting; known: " + known);
}

}  // namespace

std::span<const SiteSettingInfo> SiteSettingTable() { return kSettings; }

std::vector<std::string_view> CheckFamilies() {
  std::vector<std::string_view> out;
  for (const signals::CheckRow& row : signals::CheckTable()) out.push_back(row.family);
  return out;
}

core::Status ValidateSiteSetting(std::string_view name, std::string_view value) {
  SiteProfile scratch;
  return ApplySetting(name, value, scratch);
}

SiteProfile ParseSiteProfile(std::span<const store::SiteSetting> rows, const std::string& site_url,
                             std::vector<std::string>* skipped) {
  SiteProfile profile;
  // Defaults first, then the site's own rows, so the site's win.
  for (const bool own : {false, true}) {
    for (const store::SiteSetting& row : rows) {
      if (row.site_url != (own ? site_url : std::string())) continue;
      if (own && site_url.empty()) continue;  // the defaults were applied already
      if (core::Status s = ApplySetting(row.name, row.value, profile); !s.ok() && skipped) {
        skipped->push_back(s.message());
      }
    }
  }
  return profile;
}

core::Result<decision::Policy> SiteProfile::Apply(const decision::Policy& model_policy) const {
  decision::Policy policy = model_policy;
  if (spam_threshold) policy.spam_threshold = *spam_threshold;
  if (discard_threshold) policy.discard_threshold = *discard_threshold;
  // A site that raises its spam threshold above the model's discard tier moves the tier up
  // with it rather than failing every check.
  if (spam_threshold && !discard_threshold && policy.discard_threshold < policy.spam_threshold) {
    policy.discard_threshold = policy.spam_threshold;
  }
  if (uncertain_band) policy.uncertain_band = *uncertain_band;
  policy.uncertain_answer_spam = uncertain_answer_spam;
  if (core::Status s = policy.Validate(); !s.ok()) return s;
  return policy;
}

}  // namespace hamlet::engine

// SiteProfile: one site's settings, parsed from the store's name/value rows: thresholds that
// override the model's, the Akismet answer for uncertain decisions, check weights and
// parameters, and the webhook that moderator outcomes are sent to. The defaults row
// (site_url "") applies to every site; a site's own rows override it name by name.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "decision/policy.h"
#include "signals/check_settings.h"
#include "store/store.h"

namespace hamlet::engine {

struct SiteProfile {
  // Unset: the model's thresholds (its sidecar) and the policy's band.
  std::optional<double> spam_threshold;     // P(spam), (0, 1)
  std::optional<double> discard_threshold;  // P(spam), [spam threshold, 1]
  std::optional<double> uncertain_band;     // log-odds, [0, 10]
  bool uncertain_answer_spam = false;       // Akismet's answer for an uncertain decision
  signals::CheckSettings checks;
  std::string webhook_url;     // empty: no webhook
  std::string webhook_secret;  // HMAC-SHA256 key for the webhook's signature header
  // Webhook events and GET /v1/decisions carry the commenter's name, e-mail, URL and IP.
  bool outcome_personal_data = false;

  // `model_policy` with this site's overrides applied. InvalidArgument when the result is not
  // a valid policy (e.g. a site discard threshold below the model's spam threshold).
  core::Result<decision::Policy> Apply(const decision::Policy& model_policy) const;
};

// One documented setting name (a prefix when it ends in '.', e.g. "weight.").
struct SiteSettingInfo {
  std::string_view name;
  std::string_view value;  // what the value looks like, for help texts
  std::string_view meaning;
};
std::span<const SiteSettingInfo> SiteSettingTable();

// The check families (signals::CheckTable order), the names `weight.FAMILY` accepts.
std::vector<std::string_view> CheckFamilies();

// InvalidArgument (saying what is allowed) unless `name` is a known setting and `value` a
// valid value for it. Weights must name a check family of signals::CheckTable() or one of its
// checks ("weight.links", "weight.links.shortener").
core::Status ValidateSiteSetting(std::string_view name, std::string_view value);

// The profile of `site_url` from every stored row (other sites' rows are ignored). Rows that
// no longer validate (written by another version) are skipped and named in `skipped`.
SiteProfile ParseSiteProfile(std::span<const store::SiteSetting> rows, const std::string& site_url,
                             std::vector<std::string>* skipped = nullptr);

}  // namespace hamlet::engine

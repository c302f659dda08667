// Timing checks: time from form render to submission, and WordPress's JavaScript field.
#include "signals/timing.h"

#include <charconv>
#include <cstdio>
#include <string>

#include "core/timestamp.h"
#include "signals/comment_field.h"

namespace hamlet::signals {
namespace {

// Date.now() passed 1e12 in September 2001; the plugin's placeholder is 0..250.
constexpr int64_t kPlausiblePageLoadMs = 1'000'000'000'000;
// timing.fast: kFastFloor just under the site's minimum, kFastFloor + kFastRange at 0 s.
constexpr double kFastFloor = 1.0;
constexpr double kFastRange = 2.0;
constexpr double kNoJsPlaceholder = 0.75;  // the field was there; the script did not fill it
constexpr double kNoJsMissing = 0.5;       // also AMP pages and themes without the plugin's fields

const std::string& FirstOf(const core::Comment& c, std::string_view a, std::string_view b) {
  const std::string& first = FieldOf(c, a);
  return first.empty() ? FieldOf(c, b) : first;
}

// Posted through a WordPress comment form by a visitor: the Akismet plugin's nonce state and
// the form's comment_post_ID are there (REST, XML-RPC and rechecks send no POST_ fields),
// nobody is logged in (replies from wp-admin have no ak_js) and it is not a pingback.
bool IsWordPressFormPost(const core::Comment& c) {
  return !FieldOf(c, "akismet_comment_nonce").empty() &&
         !FieldOf(c, "POST_comment_post_ID").empty() && c.user_role.empty() &&
         c.recheck_reason.empty() && (c.comment_type.empty() || c.comment_type == "comment");
}

std::string Seconds(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", seconds);
  return buf;
}

}  // namespace

std::optional<int64_t> AkJsPageLoadMs(std::string_view value) {
  int64_t ms = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), ms);
  if (error != std::errc() || end != value.data() + value.size()) return std::nullopt;
  if (ms < kPlausiblePageLoadMs) return std::nullopt;
  return ms;
}

void CheckTiming(const CheckInput& input, std::vector<core::SignalHit>& hits) {
  const core::Comment& c = input.comment;
  std::optional<int64_t> rendered_ms;
  const char* source = "form_rendered_at";
  if (const std::string& native = FieldOf(c, "form_rendered_at"); !native.empty()) {
    rendered_ms = core::ParseTimestampMs(native);
  } else if (const std::string& ak_js = FirstOf(c, "POST_ak_js", "POST__wpcf7_ak_js");
             !ak_js.empty()) {
    source = "ak_js";
    rendered_ms = AkJsPageLoadMs(ak_js);
    if (!rendered_ms && c.recheck_reason.empty()) {
      hits.push_back({"timing.no_js", kNoJsPlaceholder,
                      "JavaScript did not run: ak_js holds no page-load time", std::nullopt});
    }
  } else if (IsWordPressFormPost(c)) {
    hits.push_back({"timing.no_js", kNoJsMissing,
                    "WordPress comment form posted without the ak_js page-load time",
                    std::nullopt});
  }

  const double min_seconds = input.settings.min_seconds_to_submit;
  if (!rendered_ms || input.now_ms <= 0 || min_seconds <= 0.0) return;
  const double elapsed = static_cast<double>(input.now_ms - *rendered_ms) / 1000.0;
  if (elapsed < 0.0 || elapsed >= min_seconds) return;
  const double contribution = kFastFloor + kFastRange * (1.0 - elapsed / min_seconds);
  hits.push_back({"timing.fast", contribution,
                  "sent " + Seconds(elapsed) + " after the form was rendered (" + source +
                      "; site minimum " + Seconds(min_seconds) + ")",
                  std::nullopt});
}

}  // namespace hamlet::signals

// Honeypot checks: a filled hidden field, a failed form nonce.
#include "signals/honeypot.h"

#include "signals/comment_field.h"

namespace hamlet::signals {
namespace {

// A site's own honeypot may be an input that browsers' autofill can reach; WordPress's is a
// textarea hidden with display:none, which autofill and screen readers skip, so it is stronger.
constexpr double kSiteHoneypot = 6.0;
constexpr double kWordPressHoneypot = 8.0;
// Weak: page caches serve forms whose nonce has expired to real visitors too.
constexpr double kNonceFailed = 1.0;

}  // namespace

void CheckHoneypot(const CheckInput& input, std::vector<core::SignalHit>& hits) {
  const core::Comment& c = input.comment;
  if (!FieldOf(c, "POST_ak_hp_textarea").empty() ||
      !FieldOf(c, "POST__wpcf7_ak_hp_textarea").empty()) {
    hits.push_back({"honeypot", kWordPressHoneypot,
                    "WordPress's hidden honeypot field was filled in", std::nullopt});
  } else if (!c.honeypot_value.empty() || !FieldOf(c, "honeypot").empty()) {
    hits.push_back(
        {"honeypot", kSiteHoneypot, "the hidden honeypot field was filled in", std::nullopt});
  }
  // "passed" and "inactive" (the site switched the nonce off) say nothing; rechecks send none.
  if (FieldOf(c, "akismet_comment_nonce") == "failed") {
    hits.push_back(
        {"honeypot.nonce", kNonceFailed,
         "WordPress's comment form nonce failed (form not loaded, or a stale cached page)",
         std::nullopt});
  }
}

}  // namespace hamlet::signals

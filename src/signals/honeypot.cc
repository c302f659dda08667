// Honeypot check.
#include "signals/honeypot.h"

namespace hamlet::signals {

void CheckHoneypot(const CheckInput& input, std::vector<core::SignalHit>& hits) {
  const core::Comment& c = input.comment;
  if (!c.honeypot_value.empty()) {
    hits.push_back({"honeypot", 6.0, "the hidden honeypot field was filled in", std::nullopt});
  } else if (!c.Field("POST_ak_hp_textarea").empty()) {
    hits.push_back(
        {"honeypot", 6.0, "WordPress's hidden honeypot field was filled in", std::nullopt});
  }
}

}  // namespace hamlet::signals

// Timing: how soon after its form was rendered a comment was sent, and whether the page's
// script ran. People read, think and type; bots post at once or never run the page.
//   timing.fast    sent sooner than the site's min_seconds_to_submit after the form was
//                  rendered, by /v1/check's form_rendered_at (the site's clock) or WordPress's
//                  POST_ak_js (Date.now() at page load, the visitor's clock); scaled, so a
//                  comment sent at once counts most
//   timing.no_js   a WordPress comment form posted without the plugin's ak_js page-load time,
//                  or with the 0-250 placeholder the page's script overwrites: JavaScript did
//                  not run. Weak: some people browse without it, AMP pages have no ak_js
// A time in the future (clock skew) or long past is no evidence either way.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/comment.h"
#include "core/signal_hit.h"
#include "signals/check_input.h"

namespace hamlet::signals {

// WordPress's ak_js value as a page-load time in ms since the epoch: a whole number no older
// than 2001 (the script writes Date.now(); anything else is the placeholder or junk).
[[nodiscard]] std::optional<int64_t> AkJsPageLoadMs(std::string_view value);

void CheckTiming(const CheckInput& input, std::vector<core::SignalHit>& hits);

}  // namespace hamlet::signals

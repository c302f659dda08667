// Honeypot: hidden form fields a person never fills in or gets wrong.
//   honeypot         a filled honeypot: Akismet's convention (honeypot_field_name=<name> with
//                    the field's value under that name), the native `honeypot` field (the
//                    hidden field's value, as /v1/check takes it), or WordPress's
//                    own hidden textarea POST_ak_hp_textarea (Contact Form 7:
//                    POST__wpcf7_ak_hp_textarea)
//   honeypot.nonce   WordPress's comment form nonce failed (akismet_comment_nonce=failed): the
//                    form was not loaded from the site, or a page cache served a stale one
#pragma once

#include <vector>

#include "core/signal_hit.h"
#include "signals/check_input.h"

namespace hamlet::signals {

void CheckHoneypot(const CheckInput& input, std::vector<core::SignalHit>& hits);

}  // namespace hamlet::signals

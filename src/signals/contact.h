// Contact bait: spam that wants the reader to call, write or message someone off the site.
//   contact.phone           phone numbers in the text; toll-free and premium-rate numbers more
//                           than a local one (a local business, a church office)
//   contact.spelled_phone   a phone number written in words or with letters for digits
//   contact.email           e-mail addresses in the text
//   contact.messenger       a messenger id: "WhatsApp +1 ...", "Telegram @name", wa.me/t.me
//                           links, "add me on WeChat", "WeChat ID ..."
//   contact.support_phrase  "customer support", "helpline", "toll free" ... without a number
//   contact.support_number  the same phrasing with a phone number: the "support number" scam
#pragma once

#include <string_view>
#include <vector>

#include "core/signal_hit.h"
#include "signals/check_input.h"

namespace hamlet::signals {

// How many messenger ids the normalized text (text::TextAnalysis::normalized) and its links
// show, by the rules in the header comment.
[[nodiscard]] int CountMessengerIds(const text::TextAnalysis& text);
// How many distinct support-line phrases the normalized text holds.
[[nodiscard]] int CountSupportPhrases(std::string_view normalized);

void CheckContact(const CheckInput& input, std::vector<core::SignalHit>& hits);

}  // namespace hamlet::signals

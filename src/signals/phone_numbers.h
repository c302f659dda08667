// Phone numbers as contact bait: what kind a dialled number is (toll-free lines are what
// "support number" scams advertise), and numbers spelled out in words to slip past filters
// ("one eight hundred, five five five ...", "8OO-555-O1O1").
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hamlet::signals {

enum class PhoneKind {
  kLocal,          // no country code, no special prefix ("555-0143")
  kInternational,  // dialled with + or 00 and a country code
  kTollFree,       // +1 800/888/877/866/855/844/833, 0800/0808, 1800/1300, +800 (UIFN)
  kPremium,        // premium rate: +1 900, UK 09xx
};

// The kind of `dialled` (digits, a leading '+' kept, as text::TextAnalysis::phones holds them).
[[nodiscard]] PhoneKind ClassifyPhone(std::string_view dialled);
std::string_view PhoneKindName(PhoneKind kind);  // "local", "international", "toll-free", ...

// The normalizer reads dashed dates and year ranges as phone numbers ("2024-03-14",
// "03/14/2024", "1999-2003": 8 separated digits). True for 8 digits without '+' that read
// as YYYYMMDD, DDMMYYYY, MMDDYYYY or two years 1900-2099.
[[nodiscard]] bool LooksLikeDate(std::string_view dialled);

// Phone numbers of 7 to 15 digits written at least partly in words or with letters for
// digits, as the digits they spell, in text order. Digit words (zero/oh ... nine, "double",
// "triple", "hundred", "thousand") and digit groups join into one number across spaces and
// - , . ( ) / separators; "8OO" and "O1O1" (letters O and l for 0 and 1) count as digits.
// A run needs at least two spelled parts (words or lettered groups), so a plain "one" next to
// a number is no phone. Linear in `raw`.
[[nodiscard]] std::vector<std::string> FindSpelledPhones(std::string_view raw);

}  // namespace hamlet::signals

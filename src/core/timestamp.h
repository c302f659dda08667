// Timestamps as sites send them (a form's render time): Unix seconds, Unix milliseconds or
// RFC 3339 text, read into milliseconds since the Unix epoch. Pure; no clock, no time zone.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace hamlet::core {

// Milliseconds since the Unix epoch that `text` (surrounding spaces ignored) stands for:
//  - a non-negative number, fractional and exponent forms included (JSON writes large numbers
//    as 1.7e+12): Unix seconds below 1e11, Unix milliseconds from 1e11 on. 1e11 seconds is
//    the year 5138 and 1e11 milliseconds is March 1973, so no real timestamp is ambiguous;
//  - RFC 3339: "2024-05-01T12:34:56Z", "2024-05-01T12:34:56.250+02:00"; 't' or ' ' may stand
//    for 'T' and 'z' for 'Z'. The offset is required (a local time without one is ambiguous).
// nullopt for anything else: empty text, a sign, trailing junk, an impossible date or time,
// or a time after the year 9999.
std::optional<int64_t> ParseTimestampMs(std::string_view text);

}  // namespace hamlet::core

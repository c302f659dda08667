// Footprint: one comment as memory keys it. Its traits (IP, network, e-mail, author URL and
// its host, linked hosts) as salted 64-bit hashes, its sender and post, and its text's SimHash.
// Memory never holds the raw personal values, only these hashes; the footprint is also stored
// with the decision (store::MemoryTrace) so memory can be rebuilt from the store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/comment.h"
#include "core/status.h"
#include "signals/history.h"
#include "store/store.h"
#include "text/normalize.h"

namespace hamlet::engine {

// What memory learnt from an automatic verdict: its confident (not uncertain) verdict as the
// model and the checks that do not read history gave it; kNone for uncertain verdicts, tests
// and Akismet's test hooks.
enum class Lesson { kNone, kSpam, kHam };
std::string_view LessonName(Lesson lesson);  // "spam", "ham", "" (kNone)
Lesson ParseLesson(std::string_view name);   // inverse; anything else is kNone

struct Trait {
  signals::TraitKind kind = signals::TraitKind::kIp;
  uint64_t hash = 0;  // salted hash of the kind and the value
  // The value for the kinds the comment shows openly (domains), for the checks' texts; empty
  // for the personal kinds, and in footprints decoded from the store.
  std::string shown;
};

// At most this many linked domains per comment take part (the first distinct ones).
inline constexpr int kMaxLinkedDomains = 8;

struct Footprint {
  std::vector<Trait> traits;  // one per kind present; several kLinkedDomain
  uint64_t sender = 0;        // salted hash of the IP, else the e-mail, else the author; 0: none
  uint64_t post = 0;          // salted hash of the permalink; 0: none
  uint64_t fingerprint = 0;   // text::SimHash of the normalized text
  int words = 0;              // distinct words behind the fingerprint; 0: none
};

// The comment's footprint. `salt` (the install's, from the store's meta table) keys every hash,
// so the hashes mean nothing without the database they came from. `site_url` is the key's
// site: links to its own domain are not "linked domains".
Footprint MakeFootprint(const core::Comment& comment, const text::TextAnalysis& text,
                        std::string_view site_url, std::string_view salt);

// The canonical values the hashes are taken of (exposed for tests); nullopt / "" when the
// field holds nothing usable.
struct IpValues {
  std::string ip;       // "203.0.113.7", "2001:db8::1" (IPv4-mapped IPv6 as IPv4)
  std::string network;  // "203.0.113.0/24", "2001:db8:1::/48"
};
std::optional<IpValues> IpTraitValues(std::string_view user_ip);
std::string EmailTraitValue(std::string_view email);    // "ann@example.org" (+tag dropped)
std::string AuthorUrlTraitValue(std::string_view url);  // "example.org/about"

// The footprint and lesson as stored with a decision, and back. DecodeTrace: InvalidArgument
// for text it did not write (a damaged row).
store::MemoryTrace EncodeTrace(const Footprint& footprint, Lesson lesson);
core::Result<Footprint> DecodeTrace(const store::MemoryTrace& trace);

}  // namespace hamlet::engine

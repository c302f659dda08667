// Footprints: canonical trait values, their salted hashes, and the stored trace text.
#include "engine/footprint.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "core/mix64.h"
#include "engine/crypto.h"
#include "engine/siphash.h"
#include "text/domain.h"
#include "text/simhash.h"

namespace hamlet::engine {
namespace {

using signals::TraitKind;

// The trace's tag for each trait kind, plus the non-trait entries.
struct KindTag {
  TraitKind kind;
  std::string_view tag;
};
constexpr KindTag kKindTags[] = {
    {TraitKind::kIp, "ip"},           {TraitKind::kNet, "net"},
    {TraitKind::kEmail, "em"},        {TraitKind::kAuthorUrl, "au"},
    {TraitKind::kAuthorDomain, "ad"}, {TraitKind::kLinkedDomain, "ld"},
};
constexpr std::string_view kSenderTag = "snd";
constexpr std::string_view kPostTag = "post";
constexpr std::string_view kWordsTag = "wd";

std::string_view TagOf(TraitKind kind) {
  for (const KindTag& k : kKindTags) {
    if (k.kind == kind) return k.tag;
  }
  return "?";
}

// The SipHash key of an install's salt: the first 16 bytes of SHA-256(salt), worked out once
// per thread and salt (a process has one salt; tests have a few).
const SipKey& KeyOfSalt(std::string_view salt) {
  thread_local std::string cached_salt;
  thread_local SipKey cached_key{};
  thread_local bool cached = false;
  if (!cached || salt != cached_salt) {
    const uint64_t hi = Sha256Prefix64(salt);
    const uint64_t lo = Sha256Prefix64(std::string(salt) + "\x1fsiphash-key");
    for (int i = 0; i < 8; ++i) {
      cached_key[i] = static_cast<uint8_t>(hi >> (56 - 8 * i));
      cached_key[8 + i] = static_cast<uint8_t>(lo >> (56 - 8 * i));
    }
    cached_salt.assign(salt);
    cached = true;
  }
  return cached_key;
}

// SipHash-2-4 of (tag, value) under the salt's key, unit-separated so no two pairs share an
// input. A keyed PRF: without the salt nobody can predict or steer the keys (e.g. make their
// e-mail share a reputation entry with someone else's); SHA-256 did the same at 6x the cost.
uint64_t SaltedHash(std::string_view salt, std::string_view tag, std::string_view value) {
  thread_local std::string buffer;
  buffer.clear();
  buffer.append(tag).push_back('\x1f');
  buffer.append(value);
  return SipHash24(KeyOfSalt(salt), buffer);
}

std::string Trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

std::string LowerAscii(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// The host a reputation is kept for: lower-case, without a leading "www.". Hosts, not
// registrable domains: on shared platforms (blogspot.com, github.io, wordpress.com ...) every
// subdomain is someone else's site and must not share their reputation.
std::string HostKey(std::string host) {
  if (host.starts_with("www.")) host.erase(0, 4);
  return host;
}

void AppendHex(std::string& out, uint64_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (int shift = 60; shift >= 0; shift -= 4) out.push_back(kDigits[(value >> shift) & 0xf]);
}

}  // namespace

std::string_view LessonName(Lesson lesson) {
  switch (lesson) {
    case Lesson::kSpam:
      return "spam";
    case Lesson::kHam:
      return "ham";
    case Lesson::kNone:
      break;
  }
  return "";
}

Lesson ParseLesson(std::string_view name) {
  if (name == "spam") return Lesson::kSpam;
  if (name == "ham") return Lesson::kHam;
  return Lesson::kNone;
}

std::optional<IpValues> IpTraitValues(std::string_view user_ip) {
  std::string text = Trimmed(user_ip);
  if (text.size() > 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  if (size_t zone = text.find('%'); zone != std::string::npos) text.resize(zone);
  if (text.empty() || text.size() > 64) return std::nullopt;
  unsigned char bytes[16] = {};
  char shown[INET6_ADDRSTRLEN] = {};
  IpValues out;
  if (inet_pton(AF_INET, text.c_str(), bytes) == 1) {
    // handled below as IPv4
  } else if (inet_pton(AF_INET6, text.c_str(), bytes) == 1) {
    static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(bytes, kMapped, sizeof kMapped) != 0) {
      inet_ntop(AF_INET6, bytes, shown, sizeof shown);
      out.ip = shown;
      std::memset(bytes + 6, 0, 10);  // the /48
      inet_ntop(AF_INET6, bytes, shown, sizeof shown);
      out.network = std::string(shown) + "/48";
      return out;
    }
    std::memmove(bytes, bytes + 12, 4);  // ::ffff:a.b.c.d is the IPv4 address a.b.c.d
  } else {
    return std::nullopt;
  }
  // Dotted quads by hand: glibc's inet_ntop formats through sprintf, a cost on every check.
  auto dotted = [&](int count) {
    std::string quad;
    char digits[4];
    for (int k = 0; k < count; ++k) {
      if (k > 0) quad.push_back('.');
      const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, int{bytes[k]});
      quad.append(digits, end);
    }
    return quad;
  };
  out.ip = dotted(4);
  out.network = dotted(3) + ".0/24";  // the /24
  return out;
}

std::string EmailTraitValue(std::string_view email) {
  std::string e = LowerAscii(Trimmed(email));
  const size_t at = e.rfind('@');
  if (at == std::string::npos || at == 0 || at + 1 == e.size()) return "";
  // "ann+shop@example.org" reaches the same mailbox as "ann@example.org".
  if (size_t plus = e.find('+'); plus != std::string::npos && plus < at && plus > 0) {
    e.erase(plus, at - plus);
  }
  return e;
}

std::string AuthorUrlTraitValue(std::string_view url) {
  std::string host = text::UrlHost(url);
  if (host.empty()) return "";
  if (host.starts_with("www.")) host.erase(0, 4);
  std::string_view rest = url;
  if (size_t scheme = rest.find("://"); scheme != std::string_view::npos && scheme < 10) {
    rest.remove_prefix(scheme + 3);
  } else if (rest.starts_with("//")) {
    rest.remove_prefix(2);
  }
  std::string path;
  if (size_t slash = rest.find('/'); slash != std::string_view::npos) {
    path = std::string(rest.substr(slash, rest.find_first_of("?#", slash) - slash));
  }
  path = LowerAscii(Trimmed(path));
  while (!path.empty() && path.back() == '/') path.pop_back();
  return host + path;
}

Footprint MakeFootprint(const core::Comment& comment, const text::TextAnalysis& analysis,
                        std::string_view site_url, std::string_view salt) {
  Footprint f;
  auto add = [&](TraitKind kind, const std::string& value, bool shown) {
    f.traits.push_back({kind, SaltedHash(salt, TagOf(kind), value), shown ? value : ""});
  };
  const std::optional<IpValues> ip = IpTraitValues(comment.user_ip);
  if (ip) {
    add(TraitKind::kIp, ip->ip, false);
    add(TraitKind::kNet, ip->network, false);
  }
  const std::string email = EmailTraitValue(comment.comment_author_email);
  if (!email.empty()) add(TraitKind::kEmail, email, false);
  const std::string author_url = AuthorUrlTraitValue(comment.comment_author_url);
  if (!author_url.empty()) {
    add(TraitKind::kAuthorUrl, author_url, false);
    add(TraitKind::kAuthorDomain, HostKey(text::UrlHost(comment.comment_author_url)), true);
  }
  const std::string own = text::SiteDomain(text::UrlHost(site_url));
  std::vector<std::string> linked;
  for (const text::Link& link : analysis.links) {
    if (static_cast<int>(linked.size()) >= kMaxLinkedDomains) break;
    if (link.host.empty() || text::SiteDomain(link.host) == own) continue;
    std::string domain = HostKey(link.host);
    if (std::find(linked.begin(), linked.end(), domain) != linked.end()) continue;
    linked.push_back(std::move(domain));
  }
  for (const std::string& domain : linked) add(TraitKind::kLinkedDomain, domain, true);

  // The sender is derived from the IP's or e-mail's hash when there is one (already salted; one
  // SHA-256 less per comment), else hashed from the author name.
  auto hash_of = [&f](TraitKind kind) {
    for (const Trait& t : f.traits) {
      if (t.kind == kind) return t.hash;
    }
    return uint64_t{0};
  };
  if (ip) {
    f.sender = core::Mix64(hash_of(TraitKind::kIp) ^ 0x1ULL);
  } else if (!email.empty()) {
    f.sender = core::Mix64(hash_of(TraitKind::kEmail) ^ 0x2ULL);
  } else if (std::string name = LowerAscii(Trimmed(comment.comment_author)); !name.empty()) {
    f.sender = SaltedHash(salt, kSenderTag, "name:" + name);
  }
  if (std::string permalink = Trimmed(comment.permalink); !permalink.empty()) {
    f.post = SaltedHash(salt, kPostTag, permalink);
  }
  const text::TextFingerprint fingerprint = text::SimHash(analysis.normalized);
  f.fingerprint = fingerprint.simhash;
  f.words = fingerprint.words;
  return f;
}

store::MemoryTrace EncodeTrace(const Footprint& footprint, Lesson lesson) {
  store::MemoryTrace trace;
  trace.lesson = std::string(LessonName(lesson));
  if (footprint.words > 0) trace.fingerprint = static_cast<int64_t>(footprint.fingerprint);
  std::string& out = trace.traits;
  out.reserve(24 * (footprint.traits.size() + 3));
  auto token = [&out](std::string_view tag, uint64_t hash) {
    if (!out.empty()) out.push_back(' ');
    out.append(tag).push_back(':');
    AppendHex(out, hash);
  };
  for (const Trait& t : footprint.traits) token(TagOf(t.kind), t.hash);
  if (footprint.sender != 0) token(kSenderTag, footprint.sender);
  if (footprint.post != 0) token(kPostTag, footprint.post);
  if (footprint.words > 0) {
    if (!out.empty()) out.push_back(' ');
    out.append(kWordsTag).push_back(':');
    out += std::to_string(footprint.words);
  }
  return trace;
}

core::Result<Footprint> DecodeTrace(const store::MemoryTrace& trace) {
  Footprint f;
  std::string_view rest = trace.traits;
  auto bad = [&](std::string_view token) {
    return core::Status::InvalidArgument("memory trace: cannot read '" + std::string(token) + "'");
  };
  while (!rest.empty()) {
    const size_t space = rest.find(' ');
    const std::string_view token = rest.substr(0, space);
    rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
    const size_t colon = token.find(':');
    if (colon == std::string_view::npos) return bad(token);
    const std::string_view tag = token.substr(0, colon);
    const std::string_view value = token.substr(colon + 1);
    if (tag == kWordsTag) {
      int n = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || end != value.data() + value.size() || n < 0) return bad(token);
      f.words = n;
      continue;
    }
    uint64_t hash = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), hash, 16);
    if (ec != std::errc() || end != value.data() + value.size() || value.size() != 16) {
      return bad(token);
    }
    if (tag == kSenderTag) {
      f.sender = hash;
    } else if (tag == kPostTag) {
      f.post = hash;
    } else {
      const KindTag* kind = nullptr;
      for (const KindTag& k : kKindTags) {
        if (k.tag == tag) kind = &k;
      }
      if (kind == nullptr) return bad(token);
      f.traits.push_back({kind->kind, hash, ""});
    }
  }
  if (f.words > 0) {
    if (!trace.fingerprint) return bad("wd without a fingerprint");
    f.fingerprint = static_cast<uint64_t>(*trace.fingerprint);
  }
  return f;
}

}  // namespace hamlet::engine

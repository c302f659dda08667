// Compiled allow/block lists.
#include "signals/match_list.h"

#include <algorithm>
#include <cstring>

#include "signals/ascii.h"
#include "text/domain.h"

namespace hamlet::signals {
namespace {

std::string_view TrimDots(std::string_view s) {
  while (!s.empty() && (s.back() == '.' || s.back() == ' ')) s.remove_suffix(1);
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  return s;
}

// Whether `needle` occurs in `haystack` at token boundaries (a space or an end on each side).
bool ContainsPhrase(std::string_view haystack, std::string_view needle) {
  size_t pos = haystack.find(needle);
  while (pos != std::string_view::npos) {
    const size_t end = pos + needle.size();
    const bool starts = pos == 0 || haystack[pos - 1] == ' ';
    const bool ends = end == haystack.size() || haystack[end] == ' ';
    if (starts && ends) return true;
    pos = haystack.find(needle, pos + 1);
  }
  return false;
}

}  // namespace

bool AnyDomainSuffix(std::string_view domain, const std::function<bool(std::string_view)>& visit) {
  while (!domain.empty()) {
    if (visit(domain)) return true;
    const size_t dot = domain.find('.');
    if (dot == std::string_view::npos) return false;
    domain.remove_prefix(dot + 1);
  }
  return false;
}

size_t MatchList::AddressHash::operator()(const std::array<uint8_t, 16>& b) const {
  uint64_t hi, lo;
  std::memcpy(&hi, b.data(), 8);
  std::memcpy(&lo, b.data() + 8, 8);
  return std::hash<uint64_t>{}(hi * 0x9e3779b97f4a7c15ULL ^ lo);
}

core::Status MatchList::Add(ListKind kind, std::string_view value, std::string origin,
                            std::string note) {
  auto canonical = CanonicalListValue(kind, value);
  if (!canonical) return canonical.error();
  std::string key = std::string(ListKindName(kind)) + "\n" + *canonical;
  if (seen_.contains(key)) return core::Status::Ok();
  // Compile before recording anything, so a refused pattern leaves the list as it was.
  std::optional<Pattern> pattern;
  if (kind == ListKind::kRegex) {
    auto compiled = Pattern::Compile(*canonical);
    if (!compiled) return compiled.error();
    pattern.emplace(std::move(*compiled));
  }
  const size_t index = entries_.size();
  seen_.emplace(std::move(key), index);
  ++counts_[static_cast<size_t>(kind)];
  switch (kind) {
    case ListKind::kIp: {
      const std::optional<IpNetwork> net = ParseIpNetwork(*canonical);
      if (!net) break;  // canonical values always parse
      auto group = std::find_if(ip_groups_.begin(), ip_groups_.end(),
                                [&](const PrefixGroup& g) { return g.prefix == net->prefix; });
      if (group == ip_groups_.end()) {
        ip_groups_.push_back(PrefixGroup{net->prefix, {}});
        // Longest prefix first: the most specific entry is the one a reason names.
        std::sort(ip_groups_.begin(), ip_groups_.end(),
                  [](const PrefixGroup& a, const PrefixGroup& b) { return a.prefix > b.prefix; });
        group = std::find_if(ip_groups_.begin(), ip_groups_.end(),
                             [&](const PrefixGroup& g) { return g.prefix == net->prefix; });
      }
      group->networks.emplace(net->base.bytes, index);
      break;
    }
    case ListKind::kEmail:
      emails_.emplace(*canonical, index);
      break;
    case ListKind::kEmailDomain:
      email_domains_.emplace(*canonical, index);
      break;
    case ListKind::kUrlDomain:
      url_domains_.emplace(*canonical, index);
      break;
    case ListKind::kWord:
      if (canonical->find(' ') == std::string::npos) {
        words_.emplace(*canonical, index);
      } else {
        phrases_.emplace_back(*canonical, index);
      }
      break;
    case ListKind::kRegex:
      patterns_.emplace_back(std::move(*pattern), index);
      break;
  }
  entries_.push_back(ListedEntry{kind, std::move(*canonical), std::move(origin), std::move(note)});
  return core::Status::Ok();
}

const ListedEntry* MatchList::MatchIp(std::string_view user_ip) const {
  if (ip_groups_.empty()) return nullptr;
  const std::optional<IpAddress> ip = ParseIpAddress(user_ip);
  if (!ip) return nullptr;
  for (const PrefixGroup& group : ip_groups_) {
    auto it = group.networks.find(MaskAddress(*ip, group.prefix).bytes);
    if (it != group.networks.end()) return &entries_[it->second];
  }
  return nullptr;
}

const ListedEntry* MatchList::MatchEmail(std::string_view email) const {
  if (emails_.empty()) return nullptr;
  const std::string lower = AsciiLower(TrimDots(email));
  auto it = emails_.find(std::string_view(lower));
  return it == emails_.end() ? nullptr : &entries_[it->second];
}

const ListedEntry* MatchList::FindDomain(const StringIndex& index, std::string_view domain) const {
  if (index.empty() || domain.empty()) return nullptr;
  const ListedEntry* found = nullptr;
  AnyDomainSuffix(domain, [&](std::string_view d) {
    auto it = index.find(d);
    if (it == index.end()) return false;
    found = &entries_[it->second];
    return true;
  });
  return found;
}

const ListedEntry* MatchList::MatchEmailDomain(std::string_view email_or_domain) const {
  if (email_domains_.empty()) return nullptr;
  const std::string domain = email_or_domain.find('@') != std::string_view::npos
                                 ? text::EmailDomain(email_or_domain)
                                 : AsciiLower(TrimDots(email_or_domain));
  return FindDomain(email_domains_, domain);
}

const ListedEntry* MatchList::MatchUrlDomain(std::string_view host) const {
  if (url_domains_.empty()) return nullptr;
  return FindDomain(url_domains_, AsciiLower(TrimDots(host)));
}

const ListedEntry* MatchList::MatchWords(std::string_view normalized) const {
  if (!words_.empty()) {
    size_t start = 0;
    while (start < normalized.size()) {
      size_t end = normalized.find(' ', start);
      if (end == std::string_view::npos) end = normalized.size();
      if (end > start) {
        auto it = words_.find(normalized.substr(start, end - start));
        if (it != words_.end()) return &entries_[it->second];
      }
      start = end + 1;
    }
  }
  for (const auto& [phrase, index] : phrases_) {
    if (ContainsPhrase(normalized, phrase)) return &entries_[index];
  }
  return nullptr;
}

const ListedEntry* MatchList::MatchRegex(std::string_view text) const {
  for (const auto& [pattern, index] : patterns_) {
    if (pattern.Search(text)) return &entries_[index];
  }
  return nullptr;
}

}  // namespace hamlet::signals

// MatchList: one allow or block list of one scope (every site, or one site), compiled for
// matching: IP networks grouped by prefix length, hash sets of addresses, domains and words,
// RE2 patterns. Built once per lists snapshot; immutable afterwards.
//
// Thread-safety: the Match* methods may be called concurrently once building is done.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "signals/ip_address.h"
#include "signals/list_kind.h"
#include "signals/pattern.h"

namespace hamlet::signals {

// One entry as a moderator will read it in a reason.
struct ListedEntry {
  ListKind kind = ListKind::kWord;
  std::string value;   // canonical
  std::string origin;  // where it comes from: "entry 12" (the store), "block.txt line 3"
  std::string note;    // why it was added; may be empty
};

// Calls `visit` with `domain` and each parent domain ("a.b.example" -> "a.b.example",
// "b.example", "example") until it returns true; returns whether it did.
bool AnyDomainSuffix(std::string_view domain, const std::function<bool(std::string_view)>& visit);

class MatchList {
 public:
  // Adds an entry. `value` is brought to its canonical form first (CanonicalListValue);
  // InvalidArgument, and nothing added, when it has none. An entry equal to one already
  // added is ignored.
  core::Status Add(ListKind kind, std::string_view value, std::string origin,
                   std::string note = "");

  bool empty() const { return entries_.empty(); }
  size_t size() const { return entries_.size(); }
  bool Has(ListKind kind) const { return counts_[static_cast<size_t>(kind)] > 0; }

  // The first entry that matches, or nullptr. Inputs are as the comment has them; each
  // method lower-cases or parses what it needs.
  const ListedEntry* MatchIp(std::string_view user_ip) const;
  const ListedEntry* MatchEmail(std::string_view email) const;
  // The domain of an e-mail address (or the address itself): the domain or a parent.
  const ListedEntry* MatchEmailDomain(std::string_view email_or_domain) const;
  // A host ("www.spam.example"): the host or a parent domain.
  const ListedEntry* MatchUrlDomain(std::string_view host) const;
  // Whole words and phrases in text::Normalize's output (tokens separated by one space).
  const ListedEntry* MatchWords(std::string_view normalized) const;
  // The first pattern found in `text`.
  const ListedEntry* MatchRegex(std::string_view text) const;

 private:
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using StringIndex = std::unordered_map<std::string, size_t, StringHash, std::equal_to<>>;
  struct AddressHash {
    size_t operator()(const std::array<uint8_t, 16>& b) const;
  };
  // Networks of one prefix length: masked address -> entry.
  struct PrefixGroup {
    int prefix = 0;
    std::unordered_map<std::array<uint8_t, 16>, size_t, AddressHash> networks;
  };

  const ListedEntry* FindDomain(const StringIndex& index, std::string_view domain) const;

  std::vector<ListedEntry> entries_;
  std::array<size_t, 6> counts_{};      // entries per kind
  std::vector<PrefixGroup> ip_groups_;  // longest prefix first
  StringIndex emails_;
  StringIndex email_domains_;
  StringIndex url_domains_;
  StringIndex words_;                                    // single words
  std::vector<std::pair<std::string, size_t>> phrases_;  // several words, space-separated
  std::vector<std::pair<Pattern, size_t>> patterns_;
  StringIndex seen_;  // "<kind>\n<value>" of every entry, to skip duplicates
};

}  // namespace hamlet::signals

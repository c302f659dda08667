// Allow/block list hits and logged-in roles.
#include "signals/list_checks.h"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "signals/ascii.h"
#include "text/domain.h"

namespace hamlet::signals {
namespace {

struct KindRule {
  ListKind kind;
  const char* what;  // what matched, for the reason
  bool show_value;   // whether the entry's value may be shown (not a person's address)
  double allow;      // the allow list's contribution
};

constexpr std::array<KindRule, 6> kRules = {{
    {ListKind::kIp, "IP", false, -5.0},
    {ListKind::kEmail, "author e-mail", false, -5.0},
    {ListKind::kEmailDomain, "e-mail domain", true, -3.0},
    {ListKind::kUrlDomain, "linked domain", true, -3.0},
    {ListKind::kWord, "word", true, -2.0},
    {ListKind::kRegex, "regex", true, -2.0},
}};

// Roles only the site owner hands out; other logged-in roles come with open registration.
constexpr std::string_view kGrantedRoles[] = {"editor",        "author",       "contributor",
                                              "shop_manager",  "moderator",    "bbp_moderator",
                                              "bbp_keymaster", "wpseo_editor", "wpseo_manager"};
constexpr double kGrantedRole = -3.0;
constexpr double kOtherRole = -1.0;

std::string Detail(const KindRule& rule, const ListedEntry& entry, ListName list) {
  std::string out = rule.what;
  if (rule.show_value) {
    const bool cut = entry.value.size() > 60;
    out += " '" + entry.value.substr(0, 60) + (cut ? "...'" : "'");
  }
  out += " is on the ";
  out += ListNameText(list);
  out += " list (" + entry.origin;
  if (!entry.note.empty()) {
    const bool cut = entry.note.size() > 60;
    out += ": " + entry.note.substr(0, 60) + (cut ? "..." : "");
  }
  return out + ")";
}

// Hosts the url_domain entries apply to: every link in the text and the author URL.
std::vector<std::string> LinkedHosts(const CheckInput& input) {
  std::vector<std::string> hosts;
  for (const text::Link& link : input.text.links) {
    if (!link.host.empty()) hosts.push_back(link.host);
  }
  if (std::string author = text::UrlHost(input.comment.comment_author_url); !author.empty()) {
    hosts.push_back(std::move(author));
  }
  return hosts;
}

// The first entry of `lists` (in order) that `match` finds, or nullptr.
template <typename Match>
const ListedEntry* First(const std::vector<std::shared_ptr<const MatchList>>& lists, ListKind kind,
                         Match match) {
  for (const auto& list : lists) {
    if (!list->Has(kind)) continue;
    if (const ListedEntry* e = match(*list)) return e;
  }
  return nullptr;
}

// The entry of `lists` that matches this comment for `kind`, or nullptr. `every_host`: a
// url_domain match needs every linked host to match (the allow list: one allowed link must
// not vouch for another that is not).
const ListedEntry* MatchKind(const CheckInput& input,
                             const std::vector<std::shared_ptr<const MatchList>>& lists,
                             ListKind kind, const std::vector<std::string>& hosts,
                             bool every_host) {
  const core::Comment& c = input.comment;
  switch (kind) {
    case ListKind::kIp:
      if (c.user_ip.empty()) return nullptr;
      return First(lists, kind, [&](const MatchList& l) { return l.MatchIp(c.user_ip); });
    case ListKind::kEmail:
      if (c.comment_author_email.empty()) return nullptr;
      return First(lists, kind,
                   [&](const MatchList& l) { return l.MatchEmail(c.comment_author_email); });
    case ListKind::kEmailDomain:
      if (c.comment_author_email.find('@') == std::string::npos) return nullptr;
      return First(lists, kind,
                   [&](const MatchList& l) { return l.MatchEmailDomain(c.comment_author_email); });
    case ListKind::kUrlDomain: {
      const ListedEntry* found = nullptr;
      for (const std::string& host : hosts) {
        const ListedEntry* e =
            First(lists, kind, [&](const MatchList& l) { return l.MatchUrlDomain(host); });
        if (e != nullptr && !every_host) return e;
        if (e == nullptr && every_host) return nullptr;
        if (found == nullptr) found = e;
      }
      return found;
    }
    case ListKind::kWord:
      return First(lists, kind,
                   [&](const MatchList& l) { return l.MatchWords(input.text.normalized); });
    case ListKind::kRegex:
      return First(lists, kind,
                   [&](const MatchList& l) { return l.MatchRegex(c.comment_content); });
  }
  return nullptr;
}

bool AnyHas(const std::vector<std::shared_ptr<const MatchList>>& lists, ListKind kind) {
  return std::any_of(lists.begin(), lists.end(), [&](const auto& l) { return l->Has(kind); });
}

void CheckList(const CheckInput& input, ListName list, std::vector<core::SignalHit>& hits) {
  const auto& lists = list == ListName::kBlock ? input.lists.block : input.lists.allow;
  if (lists.empty()) return;
  std::vector<std::string> hosts;
  if (AnyHas(lists, ListKind::kUrlDomain)) hosts = LinkedHosts(input);
  for (const KindRule& rule : kRules) {
    if (!AnyHas(lists, rule.kind)) continue;
    const ListedEntry* entry =
        MatchKind(input, lists, rule.kind, hosts, /*every_host=*/list == ListName::kAllow);
    if (entry == nullptr) continue;
    std::string check = "lists.";
    check += ListNameText(list);
    check += "_";
    check += ListKindName(rule.kind);
    if (list == ListName::kBlock) {
      hits.push_back({std::move(check), 0.0, Detail(rule, *entry, list), core::Verdict::kSpam});
    } else {
      hits.push_back({std::move(check), rule.allow, Detail(rule, *entry, list), std::nullopt});
    }
  }
}

}  // namespace

double RoleContribution(std::string_view user_role) {
  double best = 0.0;
  size_t start = 0;
  while (start < user_role.size()) {
    size_t end = user_role.find(',', start);
    if (end == std::string_view::npos) end = user_role.size();
    std::string_view role = user_role.substr(start, end - start);
    start = end + 1;
    const std::string lower = AsciiLower(TrimAsciiSpace(role));
    if (lower.empty() || lower == "guest" || lower == "administrator") continue;
    const bool granted = std::find(std::begin(kGrantedRoles), std::end(kGrantedRoles), lower) !=
                         std::end(kGrantedRoles);
    best = std::min(best, granted ? kGrantedRole : kOtherRole);
  }
  return best;
}

void CheckLists(const CheckInput& input, std::vector<core::SignalHit>& hits) {
  CheckList(input, ListName::kBlock, hits);
  CheckList(input, ListName::kAllow, hits);
  if (const double role = RoleContribution(input.comment.user_role); role < 0.0) {
    const std::string_view shown = std::string_view(input.comment.user_role).substr(0, 40);
    hits.push_back({"lists.role", role,
                    "logged in as '" + std::string(shown) + "'" +
                        (role == kGrantedRole ? " (a role the site grants)"
                                              : " (a role anyone may register for)"),
                    std::nullopt});
  }
}

}  // namespace hamlet::signals

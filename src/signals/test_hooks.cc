// Akismet test hooks.
#include "signals/test_hooks.h"

#include <string_view>

namespace hamlet::signals {
namespace {

bool HasRole(std::string_view roles, std::string_view wanted) {
  // WordPress sends a comma-separated list of roles.
  size_t start = 0;
  while (start <= roles.size()) {
    size_t end = roles.find(',', start);
    if (end == std::string_view::npos) end = roles.size();
    std::string_view role = roles.substr(start, end - start);
    while (!role.empty() && role.front() == ' ') role.remove_prefix(1);
    while (!role.empty() && role.back() == ' ') role.remove_suffix(1);
    if (role == wanted) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

void CheckTestHooks(const CheckInput& input, std::vector<core::SignalHit>& hits) {
  const core::Comment& c = input.comment;
  if (HasRole(c.user_role, "administrator")) {
    hits.push_back(
        {"akismet.test_ham", 0.0, "user_role administrator is always ham", core::Verdict::kHam});
  }
  if (c.comment_author == "viagra-test-123") {
    hits.push_back(
        {"akismet.test_spam", 0.0, "author viagra-test-123 is always spam", core::Verdict::kSpam});
  } else if (c.comment_author_email == "akismet-guaranteed-spam@example.com") {
    hits.push_back({"akismet.test_spam", 0.0,
                    "e-mail akismet-guaranteed-spam@example.com is always spam",
                    core::Verdict::kSpam});
  }
}

}  // namespace hamlet::signals

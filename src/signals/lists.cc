// Look-ups in the reference lists.
#include "signals/lists.h"

namespace hamlet::signals {

bool Lists::IsDisposableEmailDomain(std::string_view domain) const {
  if (disposable_email_domains.empty()) return false;
  // A provider's subdomains are the provider's too ("x.mailinator.com"), but a bare
  // top-level domain never counts: stop before the last label.
  return AnyDomainSuffix(domain, [&](std::string_view d) {
    return d.find('.') != std::string_view::npos &&
           disposable_email_domains.contains(std::string(d));
  });
}

}  // namespace hamlet::signals

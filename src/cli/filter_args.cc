// The filter options' table, --filter parsing, and their translation into a QueueQuery.
#include "cli/filter_args.h"

#include <cstdlib>
#include <ctime>
#include <utility>

#include "app/duration.h"

namespace hamlet::cli {
namespace {

struct FilterKey {
  const char* name;
  const char* help;
  std::string FilterArgs::*field;
};

// The one list of filter keys: each is an option --NAME and a --filter key NAME=.
constexpr FilterKey kKeys[] = {
    {"site", "only this site (the key's site URL or the submitted blog)", &FilterArgs::site},
    {"verdict",
     "automatic verdicts, comma-separated: ham, spam, discard, uncertain, flagged "
     "(spam, discard or uncertain), any",
     &FilterArgs::verdict},
    {"label", "the moderators' label in force: spam, ham, none (not judged yet), labeled, any",
     &FilterArgs::label},
    {"min-score", "only scores >= this (0..1)", &FilterArgs::min_score},
    {"max-score", "only scores <= this (0..1)", &FilterArgs::max_score},
    {"since", "only from this UTC day (YYYY-MM-DD) or this long ago (7d, 12h)", &FilterArgs::since},
    {"until", "only before this UTC day (YYYY-MM-DD) or this long ago (7d, 12h)",
     &FilterArgs::until},
    {"text",
     "full-text search in author, e-mail, author URL and text: words (all must occur, case "
     "and accents ignored), \"a phrase\", prefix*",
     &FilterArgs::text},
    {"author", "author name contains this (case ignored)", &FilterArgs::author},
    {"email", "author e-mail contains this (case ignored)", &FilterArgs::email},
    {"ip", "this IP address, or a prefix ending in * (203.0.113.*)", &FilterArgs::ip},
    {"domain", "links to this domain or its subdomains (in the text or the author URL)",
     &FilterArgs::domain},
    {"order", "newest, oldest or riskiest (highest score) first", &FilterArgs::order},
};

const FilterKey* FindKey(std::string_view name) {
  for (const FilterKey& k : kKeys) {
    if (name == k.name) return &k;
  }
  return nullptr;
}

// Splits "a=1 text=\"two words\"" into terms; double quotes group and are removed.
core::Result<std::vector<std::string>> SplitTerms(std::string_view expr) {
  std::vector<std::string> terms;
  std::string term;
  bool quoted = false;
  bool any = false;
  for (char c : expr) {
    if (c == '"') {
      quoted = !quoted;
      any = true;
    } else if (!quoted && (c == ' ' || c == '\t')) {
      if (any) terms.push_back(std::move(term));
      term.clear();
      any = false;
    } else {
      term += c;
      any = true;
    }
  }
  if (quoted) {
    return core::Status::InvalidArgument("--filter: a \" is not closed in '" + std::string(expr) +
                                         "'");
  }
  if (any) terms.push_back(std::move(term));
  return terms;
}

// `args` with its --filter terms applied.
core::Result<FilterArgs> Merge(const FilterArgs& args) {
  FilterArgs merged = args;
  merged.filter.clear();
  for (const std::string& expr : args.filter) {
    auto terms = SplitTerms(expr);
    if (!terms) return terms.error();
    for (const std::string& term : *terms) {
      const size_t eq = term.find('=');
      if (eq == std::string::npos || eq == 0) {
        return core::Status::InvalidArgument("--filter: '" + term +
                                             "' is not key=value (keys: site, verdict, label, "
                                             "min-score, max-score, since, until, text, author, "
                                             "email, ip, domain, order, unreviewed)");
      }
      const std::string key = term.substr(0, eq);
      const std::string value = term.substr(eq + 1);
      if (key == "unreviewed") {
        if (value != "yes" && value != "true" && value != "1") {
          return core::Status::InvalidArgument("--filter: unreviewed takes yes");
        }
        merged.unreviewed = true;
        continue;
      }
      const FilterKey* k = FindKey(key);
      if (k == nullptr) {
        return core::Status::InvalidArgument("--filter: unknown key '" + key + "'");
      }
      if (!(merged.*(k->field)).empty()) {
        return core::Status::InvalidArgument("--filter: " + key + " is given twice");
      }
      merged.*(k->field) = value;
    }
  }
  return merged;
}

core::Result<double> ParseScore(const std::string& name, const std::string& text) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !(value >= 0.0 && value <= 1.0)) {
    return core::Status::InvalidArgument("--" + name + " wants a score from 0 to 1, got '" + text +
                                         "'");
  }
  return value;
}

core::Status ParseVerdicts(const std::string& text, store::DecisionFilter& f) {
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    const std::string item = text.substr(start, end - start);
    if (item == "flagged") {
      f.flagged_only = true;
    } else if (item == "uncertain") {
      f.uncertain_only = true;
    } else if (item == "any") {
      // no condition
    } else if (auto v = core::ParseVerdict(item)) {
      f.verdicts.push_back(*v);
    } else {
      return core::Status::InvalidArgument(
          "--verdict: '" + item + "' is not ham, spam, discard, uncertain, flagged or any");
    }
    start = end + 1;
  }
  return core::Status::Ok();
}

}  // namespace

core::Result<int64_t> ParseWhen(const std::string& name, const std::string& text, int64_t now_ms) {
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
    std::tm tm{};
    char* end = strptime(text.c_str(), "%Y-%m-%d", &tm);
    if (end != nullptr && *end == '\0') return static_cast<int64_t>(timegm(&tm)) * 1000;
  }
  auto ago = app::ParseDurationMs(text);
  if (!ago) {
    return core::Status::InvalidArgument(
        "--" + name + " wants a day (2024-05-31) or how long ago (7d, 12h), got '" + text + "'");
  }
  return now_ms - *ago;
}

void AddFilterOptions(CLI::App* cmd, FilterArgs& args, const FilterDefaults& defaults) {
  for (const FilterKey& k : kKeys) {
    std::string help = k.help;
    const std::string name = k.name;
    if (name == "verdict") help += " (default: " + defaults.verdict + ")";
    if (name == "label") help += " (default: " + defaults.label + ")";
    if (name == "order") help += " (default: " + defaults.order + ")";
    cmd->add_option("--" + name, args.*(k.field), help)->group("Filter");
  }
  cmd->add_flag("--unreviewed", args.unreviewed, "only decisions nobody has judged (--label none)")
      ->group("Filter");
  cmd->add_option("--filter", args.filter,
                  "the same keys in one string: 'site=URL verdict=spam text=\"two words\"'")
      ->group("Filter");
}

bool HasSelection(const FilterArgs& args) {
  if (args.unreviewed || !args.filter.empty()) return true;
  for (const FilterKey& k : kKeys) {
    if (std::string_view(k.name) != "order" && !(args.*(k.field)).empty()) return true;
  }
  return false;
}

core::Result<engine::QueueQuery> ToQuery(const FilterArgs& given, const FilterDefaults& defaults,
                                         int64_t now_ms) {
  auto merged = Merge(given);
  if (!merged) return merged.error();
  const FilterArgs& a = *merged;
  engine::QueueQuery q;
  store::DecisionFilter& f = q.filter;

  if (core::Status s = ParseVerdicts(a.verdict.empty() ? defaults.verdict : a.verdict, f);
      !s.ok()) {
    return s;
  }
  std::string label = a.label.empty() ? defaults.label : a.label;
  if (a.unreviewed) {
    if (!a.label.empty() && a.label != "none") {
      return core::Status::InvalidArgument("--unreviewed contradicts --label " + a.label);
    }
    label = "none";
  }
  if (label == "spam") {
    f.label = store::LabelFilter::kSpam;
  } else if (label == "ham") {
    f.label = store::LabelFilter::kHam;
  } else if (label == "none") {
    f.label = store::LabelFilter::kUnlabeled;
  } else if (label == "labeled") {
    f.label = store::LabelFilter::kLabeled;
  } else if (label != "any") {
    return core::Status::InvalidArgument("--label: '" + label +
                                         "' is not spam, ham, none, labeled or any");
  }
  f.site = a.site;
  if (!a.min_score.empty()) {
    auto v = ParseScore("min-score", a.min_score);
    if (!v) return v.error();
    f.min_score = *v;
  }
  if (!a.max_score.empty()) {
    auto v = ParseScore("max-score", a.max_score);
    if (!v) return v.error();
    f.max_score = *v;
  }
  if (!a.since.empty()) {
    auto v = ParseWhen("since", a.since, now_ms);
    if (!v) return v.error();
    f.since_ms = *v;
  }
  if (!a.until.empty()) {
    auto v = ParseWhen("until", a.until, now_ms);
    if (!v) return v.error();
    f.until_ms = *v;
  }
  f.text = a.text;
  f.author_contains = a.author;
  f.email_contains = a.email;
  if (!a.ip.empty() && a.ip.back() == '*') {
    f.ip_prefix = a.ip.substr(0, a.ip.size() - 1);
    if (f.ip_prefix.empty())
      return core::Status::InvalidArgument(
          "--ip: '*' alone selects nothing narrower; leave it out");
  } else {
    f.ip = a.ip;
  }
  if (!a.domain.empty()) {
    std::string domain;
    for (char c : a.domain) domain += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (domain.starts_with("www.")) domain.erase(0, 4);
    if (domain.find_first_of(" /:@") != std::string::npos ||
        domain.find('.') == std::string::npos) {
      return core::Status::InvalidArgument("--domain wants a domain such as pills.example, got '" +
                                           a.domain + "'");
    }
    q.domain = domain;
  }
  const std::string order = a.order.empty() ? defaults.order : a.order;
  if (order == "newest") {
    f.order = store::DecisionOrder::kNewest;
  } else if (order == "oldest") {
    f.order = store::DecisionOrder::kOldest;
  } else if (order == "riskiest") {
    f.order = store::DecisionOrder::kRiskiest;
  } else {
    return core::Status::InvalidArgument("--order: '" + order +
                                         "' is not newest, oldest or riskiest");
  }
  return q;
}

std::string DescribeFilter(const FilterArgs& given) {
  auto merged = Merge(given);
  const FilterArgs& a = merged ? *merged : given;
  std::string out;
  auto add = [&out](const std::string& key, const std::string& value) {
    if (!out.empty()) out += ' ';
    out += key + "=";
    if (value.find_first_of(" \t") != std::string::npos) {
      out += "\"" + value + "\"";
    } else {
      out += value;
    }
  };
  for (const FilterKey& k : kKeys) {
    if (!(a.*(k.field)).empty()) add(k.name, a.*(k.field));
  }
  if (a.unreviewed) add("unreviewed", "yes");
  return out;
}

std::string ResolveModerator(const std::string& given) {
  if (!given.empty()) return given;
  for (const char* name : {"USER", "LOGNAME"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') return value;
  }
  return "unknown";
}

}  // namespace hamlet::cli

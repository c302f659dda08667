// The WHERE terms of a DecisionFilter, shared by the SQL stores: built from constant fragments
// and the dialect's spellings only; every value is bound.
#include "store/sql_filter.h"

#include <utility>

namespace hamlet::store::internal {

using core::Result;
using core::Status;

namespace {

// True when `term` holds a letter or digit (else FTS5's tokenizer sees no token in it).
bool HasWordCharacter(std::string_view term) {
  for (unsigned char c : term) {
    if (c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) {
      return true;
    }
  }
  return false;
}

}  // namespace

Result<std::vector<TextTerm>> ParseTextQuery(std::string_view text) {
  std::vector<TextTerm> terms;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    if (c == '"') {
      const size_t close = text.find('"', i + 1);
      if (close == std::string_view::npos) {
        return Status::InvalidArgument("text search: a \" is not closed in '" + std::string(text) +
                                       "'");
      }
      std::string_view phrase = text.substr(i + 1, close - i - 1);
      i = close + 1;
      if (HasWordCharacter(phrase)) terms.push_back({std::string(phrase), false});
      continue;
    }
    size_t end = i;
    while (end < text.size() && text[end] != ' ' && text[end] != '\t' && text[end] != '\n' &&
           text[end] != '\r' && text[end] != '"') {
      ++end;
    }
    std::string_view word = text.substr(i, end - i);
    i = end;
    const bool prefix = word.size() > 1 && word.back() == '*';
    if (prefix) word.remove_suffix(1);
    if (!HasWordCharacter(word)) continue;
    terms.push_back({std::string(word), prefix});
  }
  if (terms.empty()) {
    return Status::InvalidArgument("text search: no word to search for in '" + std::string(text) +
                                   "'");
  }
  return terms;
}

Result<FilterSql> BuildDecisionFilter(const DecisionFilter& filter, const FilterDialect& dialect) {
  // Built from constant fragments only; every value is bound. The flagged term is spelled
  // exactly as the decisions_flagged partial index's WHERE, so the planner can use that index.
  FilterSql out;
  const std::string contains(dialect.contains);
  out.where = std::string(dialect.where_all);
  auto param = [&out](BindValue value) {
    out.values.push_back(std::move(value));
    // Appended piecewise: `"?" + std::to_string(i)` trips GCC 12's -Wrestrict false positive.
    std::string name = "?";
    name += std::to_string(out.values.size());
    return name;
  };
  if (filter.flagged_only) out.where += " AND (verdict != 'ham' OR uncertain != 0)";
  LabelFilter label = filter.label;
  if (filter.unreviewed_only) label = LabelFilter::kUnlabeled;
  switch (label) {
    case LabelFilter::kAny:
      break;
    case LabelFilter::kUnlabeled:
      out.where +=
          " AND NOT EXISTS (SELECT 1 FROM feedback f WHERE f.decision_id = d.id"
          " AND f.revoked_ms IS NULL)";
      break;
    case LabelFilter::kLabeled:
      out.where +=
          " AND EXISTS (SELECT 1 FROM feedback f WHERE f.decision_id = d.id"
          " AND f.revoked_ms IS NULL)";
      break;
    case LabelFilter::kSpam:
      out.where += " AND " + LatestLabelSql() + " = 'spam'";
      break;
    case LabelFilter::kHam:
      out.where += " AND " + LatestLabelSql() + " = 'ham'";
      break;
  }
  if (filter.first_checks_only) out.where += " AND d.recheck_reason = ''";
  if (filter.key_id) {
    // Key id 0 means "made without a key": NULL in the column.
    out.where +=
        *filter.key_id == 0 ? " AND d.key_id IS NULL" : " AND d.key_id = " + param(*filter.key_id);
  }
  if (filter.since_ms) out.where += " AND d.created_ms >= " + param(*filter.since_ms);
  if (filter.until_ms) out.where += " AND d.created_ms < " + param(*filter.until_ms);
  if (!filter.verdicts.empty()) {
    out.where += " AND d.verdict IN (";
    for (size_t i = 0; i < filter.verdicts.size(); ++i) {
      if (i > 0) out.where += ", ";
      out.where += param(std::string(core::VerdictName(filter.verdicts[i])));
    }
    out.where += ")";
  }
  if (filter.uncertain_only) out.where += " AND d.uncertain = 1";
  if (!filter.site.empty()) {
    std::string site = filter.site;
    while (!site.empty() && site.back() == '/') site.pop_back();
    const std::string p = param(site);
    out.where += " AND (rtrim(d.site_url, '/') = " + p + " OR rtrim(d.blog, '/') = " + p + ")";
  }
  if (filter.min_score) out.where += " AND d.score >= " + param(*filter.min_score);
  if (filter.max_score) out.where += " AND d.score <= " + param(*filter.max_score);
  if (!filter.text.empty()) {
    auto term = dialect.text_term(filter.text, param);
    if (!term) return term.error();
    out.where += *term;
  }
  if (!filter.author_contains.empty()) {
    out.where += " AND " + contains + "(lower(d.comment_author), lower(" +
                 param(filter.author_contains) + ")) > 0";
  }
  if (!filter.email_contains.empty()) {
    out.where += " AND " + contains + "(lower(d.comment_author_email), lower(" +
                 param(filter.email_contains) + ")) > 0";
  }
  if (!filter.ip.empty()) out.where += " AND d.user_ip = " + param(filter.ip);
  if (!filter.ip_prefix.empty()) {
    // substr, not LIKE: '%' and '_' in the value are literal.
    const std::string p = param(filter.ip_prefix);
    out.where += " AND substr(d.user_ip, 1, length(" + p + ")) = " + p;
  }
  if (!filter.mentions.empty()) {
    const std::string p = param(filter.mentions);
    out.where += " AND (" + contains + "(lower(d.comment_content), lower(" + p + ")) > 0 OR " +
                 contains + "(lower(d.comment_author_url), lower(" + p + ")) > 0)";
  }
  if (filter.exclude_linked_rechecks) out.where += " AND d.recheck_of IS NULL";
  if (filter.exclude_tests) out.where += " AND d.is_test = 0";
  if (filter.exclude_purged) out.where += " AND d.purged_ms IS NULL";
  return out;
}

std::string OrderBySql(DecisionOrder order, std::string_view insert_order) {
  const std::string tie(insert_order);
  switch (order) {
    case DecisionOrder::kNewest:
      break;
    case DecisionOrder::kOldest:
      return " ORDER BY d.created_ms ASC, " + tie + " ASC";
    case DecisionOrder::kRiskiest:
      return " ORDER BY d.score DESC, d.created_ms DESC, " + tie + " DESC";
  }
  return " ORDER BY d.created_ms DESC, " + tie + " DESC";
}

void BindValues(ParamSink& stmt, const std::vector<BindValue>& values, int first) {
  int index = first;
  for (const BindValue& v : values) {
    if (const auto* i = std::get_if<int64_t>(&v)) {
      stmt.BindInt(index, *i);
    } else if (const auto* d = std::get_if<double>(&v)) {
      stmt.BindDouble(index, *d);
    } else {
      stmt.BindText(index, std::get<std::string>(v));
    }
    ++index;
  }
}

}  // namespace hamlet::store::internal

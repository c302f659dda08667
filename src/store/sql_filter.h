// DecisionFilter -> SQL WHERE terms, shared by the SQL stores; each backend passes its own
// spellings (FilterDialect) for the parts that differ. Not for use outside src/store/.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/status.h"
#include "store/row_codec.h"
#include "store/store.h"

namespace hamlet::store::internal {

// A value to bind to one parameter.
using BindValue = std::variant<int64_t, double, std::string>;

// " AND ..." terms for decisions aliased `d` selecting what `filter` selects (its limit,
// offset and order aside), with the values for ?1, ?2 ... in order.
struct FilterSql {
  std::string where;  // e.g. "WHERE 1 AND ..."
  std::vector<BindValue> values;
};

// What a backend spells its own way.
struct FilterDialect {
  std::string_view where_all;  // a WHERE clause that holds for every row: " WHERE 1"
  // A function (haystack, needle) giving the 1-based position of needle, 0 when absent.
  std::string_view contains;
  // The " AND ..." term for a DecisionFilter::text query; `param` binds a value and returns
  // its placeholder. InvalidArgument for unbalanced quotes or a query without a word.
  std::function<core::Result<std::string>(std::string_view text,
                                          const std::function<std::string(BindValue)>& param)>
      text_term;
};

// InvalidArgument when the text query has unbalanced quotes or no word in it.
core::Result<FilterSql> BuildDecisionFilter(const DecisionFilter& filter,
                                            const FilterDialect& dialect);
// " ORDER BY ..." for `order`; `insert_order` breaks ties between equal times (newest first:
// the later insert first): SQLite's "d.rowid", PostgreSQL's "d.seq".
std::string OrderBySql(DecisionOrder order, std::string_view insert_order);
// Binds `values` to ?first, ?first+1 ...
void BindValues(ParamSink& stmt, const std::vector<BindValue>& values, int first = 1);

// One term of a text query: a word (prefix: it ended in `*`) or a "quoted phrase".
struct TextTerm {
  std::string text;
  bool prefix = false;
};
// The terms of a DecisionFilter::text query, terms without a letter or digit left out;
// InvalidArgument for an unclosed quote or no term left.
core::Result<std::vector<TextTerm>> ParseTextQuery(std::string_view text);

}  // namespace hamlet::store::internal

// EraseOldest: how memory's indexes make room under their caps: the least recently used
// entries go first, a tenth at a time so the next eviction is far off (amortized O(1)).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace hamlet::engine {

// Erases the entries of `map` with the smallest age_of(value) (a time in ms) until it holds at
// most `keep`.
template <typename Map, typename AgeOf>
void EraseOldest(Map& map, size_t keep, AgeOf age_of) {
  if (map.size() <= keep) return;
  std::vector<std::pair<int64_t, typename Map::key_type>> by_age;
  by_age.reserve(map.size());
  for (const auto& [key, value] : map) by_age.emplace_back(age_of(value), key);
  const size_t drop = map.size() - keep;
  std::nth_element(by_age.begin(), by_age.begin() + static_cast<std::ptrdiff_t>(drop - 1),
                   by_age.end());
  for (size_t i = 0; i < drop; ++i) map.erase(by_age[i].second);
}

}  // namespace hamlet::engine

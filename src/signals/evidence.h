// Small pieces the checks share: how evidence grows when a thing repeats, how a hit's detail
// counts things, and list lookups for the checks' word and domain tables.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

namespace hamlet::signals {

// Each further occurrence of the same evidence (another shortener, phone number, messenger
// id ...) adds this much to the first one's contribution.
inline constexpr double kEachFurther = 0.5;

// `first` for one occurrence, kEachFurther more for each further one, at most `max`.
inline double Repeated(int count, double first, double max) {
  return std::min(max, first + kEachFurther * (count - 1));
}

// "1 link", "3 links".
inline std::string CountOf(int n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

// `value` is one of `list`'s entries (a std::array of string_view, or pairs' members).
template <typename List>
bool Contains(const List& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// "www.example.com" -> "example.com"; other hosts unchanged.
inline std::string_view WithoutWww(std::string_view host) {
  return host.starts_with("www.") ? host.substr(4) : host;
}

}  // namespace hamlet::signals

// Whether this test binary was built with a sanitizer that brings its own malloc (ASan, TSan):
// glibc's malloc settings (mallopt) mean nothing there.
#pragma once

namespace hamlet::testing {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kSanitizerMalloc = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
inline constexpr bool kSanitizerMalloc = true;
#else
inline constexpr bool kSanitizerMalloc = false;
#endif
#else
inline constexpr bool kSanitizerMalloc = false;
#endif

}  // namespace hamlet::testing

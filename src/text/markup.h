// First normalization stage, internal to the text layer: raw bytes to valid UTF-8 with HTML
// tags and entities resolved. Exposed in a header only so normalize.cc and its tests share it.
#pragma once

#include <string>
#include <string_view>

namespace hamlet::text::internal {

// Returns valid UTF-8: every byte that is not part of a well-formed UTF-8 sequence becomes
// U+FFFD; NUL and other C0/C1 control characters become spaces. HTML tags (`<` followed by a
// letter, `/` or `!`, up to the next `>`) are replaced by a space, except that the value of an
// `href` or `src` attribute is kept, surrounded by spaces, so links still count as URLs.
// Entities &amp; &lt; &gt; &quot; &apos; &#39; &nbsp; &#NNN; &#xHH; are decoded (invalid code
// points become U+FFFD). A lone `<` or `&` that starts neither is kept as text.
// Pure function, thread-safe.
std::string DecodeMarkup(std::string_view raw);

}  // namespace hamlet::text::internal

// Anchor-text links written in markup on the raw comment text: HTML <a href="url">text</a>,
// BBCode [url=url]text[/url] and [url]url[/url], Markdown [text](url). The anchor text is
// what search engines read as the linked page's topic, so a keyword phrase there is the
// classic SEO link drop.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hamlet::signals {

enum class AnchorSyntax { kHtml, kBbcode, kMarkdown };

struct Anchor {
  AnchorSyntax syntax = AnchorSyntax::kHtml;
  std::string text;  // the visible text, inner tags removed, spaces collapsed; may be ""
  std::string url;   // as written
};

// At most kMaxAnchors anchors, in text order. Linear in `raw` (hostile input included).
// Markdown needs an http(s):// or www. URL; images (![alt](src)) are not anchors.
inline constexpr size_t kMaxAnchors = 64;
[[nodiscard]] std::vector<Anchor> FindAnchors(std::string_view raw);

// The anchor text is a keyword phrase: 1 to 8 words, not itself a URL, with a commercial or
// SEO term in it ("buy valium", "cheap replica watches", "essay writing service").
// "click here", "the docs" or a page's title are not.
[[nodiscard]] bool IsKeywordAnchor(std::string_view text);

std::string_view AnchorSyntaxName(AnchorSyntax syntax);  // "HTML", "BBCode", "Markdown"

}  // namespace hamlet::signals

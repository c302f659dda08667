// Link checks over the analysis' links, the raw text's anchors and the author fields.
#include "signals/links.h"

#include <algorithm>
#include <array>
#include <string>

#include "signals/anchors.h"
#include "signals/evidence.h"
#include "text/domain.h"
#include "text/normalize.h"

namespace hamlet::signals {
namespace {

constexpr std::array<std::string_view, 20> kReferenceDomains = {
    "wikipedia.org",  "wikimedia.org",     "wiktionary.org",    "wikidata.org",
    "wikisource.org", "doi.org",           "arxiv.org",         "archive.org",
    "github.com",     "gitlab.com",        "stackoverflow.com", "stackexchange.com",
    "w3.org",         "ietf.org",          "rfc-editor.org",    "python.org",
    "mozilla.org",    "openstreetmap.org", "who.int",           "europa.eu"};
// Labels that, as the top-level or second-level domain, mark public or academic institutions.
constexpr std::array<std::string_view, 5> kInstitutionLabels = {"gov", "edu", "mil", "int", "ac"};
// Sites where many unrelated people have pages: a shared domain is not a shared owner, so
// only the full host is compared (someone.blogspot.com), and the bare platform never.
constexpr std::array<std::string_view, 20> kPlatformDomains = {
    "blogspot.com", "wordpress.com", "medium.com",    "substack.com", "github.io",
    "github.com",   "gitlab.com",    "youtube.com",   "youtu.be",     "facebook.com",
    "twitter.com",  "x.com",         "instagram.com", "linkedin.com", "reddit.com",
    "tumblr.com",   "wixsite.com",   "weebly.com",    "tiktok.com",   "google.com"};

// Contributions (log-odds); see docs/checks.md.
constexpr double kCountPerLink = 0.75;  // per link past kCountFree
constexpr int kCountFree = 2;
constexpr double kCountMax = 4.0;
constexpr double kDensityWordsPerLink = 10.0;  // fewer words per link than this adds evidence
constexpr double kDensityPerWord = 0.2;        // per word short of it
constexpr double kBareLink = 0.5;              // a single link with almost nothing around it
constexpr int kBareLinkWords = 4;
constexpr double kShortener = 1.5;
constexpr double kObfuscated = 2.0;
constexpr double kShortenerMax = 2.5;
constexpr double kObfuscatedMax = 3.0;
constexpr double kAuthorName = 1.5;
constexpr double kAuthorDomain = 0.75;
constexpr double kBbcode = 1.5;
constexpr double kHtmlAnchor = 0.5;
constexpr double kKeywordAnchor = 2.0;
constexpr double kKeywordAnchorMax = 3.0;

// Comment text for a moderator's line: control characters blanked, at most `max` bytes, cut
// at a UTF-8 character boundary.
std::string Excerpt(std::string_view text, size_t max = 40) {
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    out.push_back(u < 0x20 || u == 0x7F ? ' ' : c);
  }
  if (out.size() > max) {
    size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
    out += "...";
  }
  return out;
}

// The key two links must share to be "the same site": the registrable domain, or the whole
// host on a platform of many owners; "" when there is nothing to compare (the platform itself).
std::string OwnerKey(std::string_view host) {
  const std::string site = text::SiteDomain(host);
  if (!Contains(kPlatformDomains, site)) return site;
  const std::string_view bare = WithoutWww(host);
  return bare == site ? std::string() : std::string(bare);
}

void CheckAmount(const CheckInput& input, std::vector<core::SignalHit>& hits) {
  int links = 0;
  for (const text::Link& link : input.text.links) {
    if (!IsReferenceHost(link.host)) ++links;
  }
  if (links > kCountFree) {
    hits.push_back({"links.count", std::min(kCountMax, kCountPerLink * (links - kCountFree)),
                    CountOf(links, "link", "links") + " in the text", std::nullopt});
  }
  const int words = input.text.words;
  if (links >= 2) {
    const double words_per_link = static_cast<double>(words) / links;
    if (words_per_link < kDensityWordsPerLink) {
      hits.push_back({"links.density", kDensityPerWord * (kDensityWordsPerLink - words_per_link),
                      CountOf(links, "link", "links") + " in " + CountOf(words, "word", "words"),
                      std::nullopt});
    }
  } else if (links == 1 && words < kBareLinkWords) {
    hits.push_back({"links.density", kBareLink,
                    "a link with " + CountOf(words, "word", "words") + " around it", std::nullopt});
  }
}

void CheckHiddenDestinations(const CheckInput& input, std::vector<core::SignalHit>& hits) {
  int shorteners = 0, obfuscated = 0;
  std::string shortener_host, obfuscated_host;
  for (const text::Link& link : input.text.links) {
    if (link.shortener && shorteners++ == 0) shortener_host = link.host;
    if (link.obfuscated && obfuscated++ == 0) obfuscated_host = link.host;
  }
  if (shorteners > 0) {
    hits.push_back(
        {"links.shortener", Repeated(shorteners, kShortener, kShortenerMax),
         CountOf(shorteners, "link", "links") + " through a URL shortener (" + shortener_host + ")",
         std::nullopt});
  }
  if (obfuscated > 0) {
    hits.push_back({"links.obfuscated", Repeated(obfuscated, kObfuscated, kObfuscatedMax),
                    CountOf(obfuscated, "domain", "domains") + " written to dodge filters (" +
                        obfuscated_host + ")",
                    std::nullopt});
  }
}

// Whether `name` could hold a link as the normalizer finds them: every form it knows (URLs,
// bare and obfuscated domains: "site.com", "site [dot] com", "site(.)com", fullwidth or other
// look-alike dots) has a '.', the word "dot" or a non-ASCII character. Most names have none,
// and analysing them would cost more than every other author check together.
bool MayHoldLink(std::string_view name) {
  for (size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c == '.' || c >= 0x80) return true;
    if ((c | 0x20) == 'd' && i + 2 < name.size() && (name[i + 1] | 0x20) == 'o' &&
        (name[i + 2] | 0x20) == 't') {
      return true;
    }
  }
  return false;
}

void CheckAuthorFields(const CheckInput& input, std::vector<core::SignalHit>& hits) {
  const core::Comment& c = input.comment;
  if (!c.comment_author.empty() && MayHoldLink(c.comment_author)) {
    // Names are short; a pasted essay in the name field is cut (Analyze is linear anyway).
    const text::TextAnalysis name =
        text::Analyze(std::string_view(c.comment_author).substr(0, 256));
    if (!name.links.empty()) {
      const std::string& host = name.links.front().host;
      hits.push_back({"links.author_name", kAuthorName,
                      host.empty() ? "the author name holds a link"
                                   : "the author name holds a link (" + host + ")",
                      std::nullopt});
    }
  }
  const std::string author_host = text::UrlHost(c.comment_author_url);
  if (author_host.empty() || IsReferenceHost(author_host)) return;
  const std::string author_key = OwnerKey(author_host);
  if (author_key.empty()) return;
  for (const text::Link& link : input.text.links) {
    if (!link.host.empty() && OwnerKey(link.host) == author_key) {
      hits.push_back({"links.author_domain", kAuthorDomain,
                      "the text links to the author URL's site (" + author_key + ")",
                      std::nullopt});
      return;
    }
  }
}

void CheckAnchors(const CheckInput& input, std::vector<core::SignalHit>& hits) {
  const std::string_view raw = input.comment.comment_content;
  // Two whole-text searches (one memchr each) rather than find_first_of, which calls memchr
  // for every character of the comment.
  if (raw.find('<') == std::string_view::npos && raw.find('[') == std::string_view::npos) return;
  const std::vector<Anchor> anchors = FindAnchors(raw);
  int bbcode = 0, html = 0, keyword = 0;
  const Anchor* first_keyword = nullptr;
  for (const Anchor& a : anchors) {
    bbcode += a.syntax == AnchorSyntax::kBbcode ? 1 : 0;
    html += a.syntax == AnchorSyntax::kHtml ? 1 : 0;
    if (IsKeywordAnchor(a.text) && keyword++ == 0) first_keyword = &a;
  }
  if (bbcode > 0 || html > 0) {
    std::string detail;
    if (bbcode > 0) detail = CountOf(bbcode, "BBCode link", "BBCode links");
    if (html > 0)
      detail += (detail.empty() ? "" : " and ") + CountOf(html, "HTML link", "HTML links");
    hits.push_back({"links.markup", (bbcode > 0 ? kBbcode : 0.0) + (html > 0 ? kHtmlAnchor : 0.0),
                    detail, std::nullopt});
  }
  if (first_keyword != nullptr) {
    hits.push_back({"links.keyword_anchor", Repeated(keyword, kKeywordAnchor, kKeywordAnchorMax),
                    CountOf(keyword, "link", "links") + " with keyword anchor text (" +
                        std::string(AnchorSyntaxName(first_keyword->syntax)) + " \"" +
                        Excerpt(first_keyword->text) + "\")",
                    std::nullopt});
  }
}

}  // namespace

bool IsReferenceHost(std::string_view host) {
  if (host.empty()) return false;
  const std::string site = text::SiteDomain(host);
  if (Contains(kReferenceDomains, site)) return true;
  // The last label, and the one before it when the last is a country code ("gov.uk").
  const size_t last_dot = host.rfind('.');
  if (last_dot == std::string_view::npos) return false;
  const std::string_view tld = host.substr(last_dot + 1);
  if (Contains(kInstitutionLabels, tld) && tld != "ac") return true;
  if (tld.size() != 2 || last_dot == 0) return false;
  const size_t second_dot = host.rfind('.', last_dot - 1);
  const std::string_view second =
      host.substr(second_dot == std::string_view::npos ? 0 : second_dot + 1,
                  last_dot - (second_dot == std::string_view::npos ? 0 : second_dot + 1));
  return Contains(kInstitutionLabels, second);
}

void CheckLinks(const CheckInput& input, std::vector<core::SignalHit>& hits) {
  CheckAmount(input, hits);
  CheckHiddenDestinations(input, hits);
  CheckAuthorFields(input, hits);
  CheckAnchors(input, hits);
}

}  // namespace hamlet::signals

// Contact-bait checks over the analysis' phones, e-mails and tokens.
#include "signals/contact.h"

#include <array>
#include <bit>
#include <cstdint>
#include <string>
#include <utility>

#include "signals/evidence.h"
#include "signals/phone_numbers.h"

namespace hamlet::signals {
namespace {

// Contributions (log-odds); see docs/checks.md.
constexpr double kPhoneLocal = 0.5;
constexpr double kPhoneInternational = 0.75;
constexpr double kPhoneTollFree = 1.0;
constexpr double kPhonePremium = 1.5;
constexpr double kPhoneMax = 2.5;
constexpr double kSpelledPhone = 2.5;
constexpr double kEmail = 1.0;
constexpr double kEmailMax = 2.0;
constexpr double kMessenger = 2.0;
constexpr double kMessengerMax = 3.0;
constexpr double kSupportPhrase = 0.5;
constexpr double kSupportNumber = 1.5;  // plus kEachFurther per further distinct phrase
constexpr double kSupportNumberMax = 2.5;

constexpr size_t kHandleWindow = 3;  // tokens after a messenger's name where its id may be

// Messenger names as normalized tokens. "signal" and "line" are English words: they count
// only after "on"/"via" ("message me on Signal", "on signal @name").
constexpr std::array<std::string_view, 9> kMessengers = {
    "whatsapp", "telegram", "wechat", "skype", "viber", "icq", "kik", "snapchat", "threema"};
constexpr std::array<std::string_view, 2> kAmbiguousMessengers = {"signal", "line"};
// Hosts of messenger links (chat invitations, profile links).
constexpr std::array<std::string_view, 13> kMessengerHosts = {
    "wa.me",           "api.whatsapp.com", "chat.whatsapp.com", "t.me",
    "telegram.me",     "telegram.dog",     "signal.me",         "m.me",
    "line.me",         "u.wechat.com",     "join.skype.com",    "viber.click",
    "invite.viber.com"};
constexpr std::array<std::string_view, 9> kContactVerbs = {
    "add", "dm", "message", "text", "contact", "reach", "ping", "chat", "hit"};
constexpr std::array<std::string_view, 4> kObjects = {"me", "us", "him", "her"};

// Support-line phrasing, as normalized tokens (case-folded, punctuation split off).
constexpr std::array<std::string_view, 5> kSupportWords = {"helpline", "helpdesk", "hotline",
                                                           "tollfree", "callcenter"};
constexpr std::array<std::pair<std::string_view, std::string_view>, 22> kSupportPairs = {
    {{"customer", "support"},   {"customer", "service"},
     {"customer", "care"},      {"tech", "support"},
     {"technical", "support"},  {"support", "number"},
     {"support", "phone"},      {"support", "line"},
     {"support", "team"},       {"help", "line"},
     {"help", "desk"},          {"toll", "free"},
     {"call", "center"},        {"call", "centre"},
     {"reservation", "number"}, {"reservations", "number"},
     {"booking", "number"},     {"phone", "support"},
     {"live", "agent"},         {"assistance", "technique"},
     {"service", "client"},     {"numero", "verde"}}};

// The lengths and first letters of a list's words: a token of another length or first letter
// is none of them, which two bit tests tell for most tokens of a comment.
struct WordShapes {
  uint64_t lengths = 0;  // bit n: a word of n bytes (n < 64)
  uint32_t firsts = 0;   // bit c - 'a': a word starting with c
  constexpr void Add(std::string_view word) {
    lengths |= uint64_t{1} << word.size();
    firsts |= uint32_t{1} << (word.front() - 'a');
  }
  bool MayBe(std::string_view token) const {
    if (token.empty() || token.size() >= 64 || ((lengths >> token.size()) & 1) == 0) return false;
    const char c = token.front();
    return c >= 'a' && c <= 'z' && ((firsts >> (c - 'a')) & 1) != 0;
  }
};

// A support word, or the first word of a support pair.
constexpr WordShapes SupportShapes() {
  WordShapes shapes;
  for (std::string_view w : kSupportWords) shapes.Add(w);
  for (const auto& [first, second] : kSupportPairs) shapes.Add(first);
  return shapes;
}
constexpr WordShapes kSupportShapes = SupportShapes();

// A messenger's name, or the "whats" of "whats app".
constexpr WordShapes MessengerShapes() {
  WordShapes shapes;
  for (std::string_view w : kMessengers) shapes.Add(w);
  for (std::string_view w : kAmbiguousMessengers) shapes.Add(w);
  shapes.Add("whats");
  return shapes;
}
constexpr WordShapes kMessengerShapes = MessengerShapes();

std::vector<std::string_view> Tokens(std::string_view normalized) {
  std::vector<std::string_view> tokens;
  tokens.reserve(normalized.size() / 4 + 1);  // about one token per 5 bytes: no regrowth
  size_t start = 0;
  while (start < normalized.size()) {
    size_t end = normalized.find(' ', start);
    if (end == std::string_view::npos) end = normalized.size();
    if (end > start) tokens.push_back(normalized.substr(start, end - start));
    start = end + 1;
  }
  return tokens;
}

// tokens[i] names a messenger ("whats app" is two tokens; i then points at "whats").
bool IsMessengerAt(const std::vector<std::string_view>& tokens, size_t i, size_t& name_end) {
  name_end = i + 1;
  if (Contains(kMessengers, tokens[i])) return true;
  if (tokens[i] == "whats" && i + 1 < tokens.size() && tokens[i + 1] == "app") {
    name_end = i + 2;
    return true;
  }
  return Contains(kAmbiguousMessengers, tokens[i]) && i > 0 &&
         (tokens[i - 1] == "on" || tokens[i - 1] == "via");
}

// "add me on", "message her via" ... right before tokens[i].
bool FollowsContactRequest(const std::vector<std::string_view>& tokens, size_t i) {
  return i >= 3 && Contains(kContactVerbs, tokens[i - 3]) && Contains(kObjects, tokens[i - 2]) &&
         (tokens[i - 1] == "on" || tokens[i - 1] == "via" || tokens[i - 1] == "at");
}

double PhoneWeight(PhoneKind kind) {
  switch (kind) {
    case PhoneKind::kLocal:
      return kPhoneLocal;
    case PhoneKind::kInternational:
      return kPhoneInternational;
    case PhoneKind::kTollFree:
      return kPhoneTollFree;
    case PhoneKind::kPremium:
      return kPhonePremium;
  }
  return kPhoneLocal;
}

}  // namespace

namespace {

// CountMessengerIds over the normalized text's `tokens`. Tokenizing once and two bit tests
// per token cost less than searching the text for each name.
int CountMessengerIdsIn(const text::TextAnalysis& text,
                        const std::vector<std::string_view>& tokens) {
  int ids = 0;
  for (const text::Link& link : text.links) {
    if (Contains(kMessengerHosts, WithoutWww(link.host))) ++ids;
  }
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (!kMessengerShapes.MayBe(tokens[i])) continue;
    size_t end = 0;
    if (!IsMessengerAt(tokens, i, end)) continue;
    bool id = FollowsContactRequest(tokens, i);
    for (size_t k = end; !id && k < tokens.size() && k < end + kHandleWindow; ++k) {
      id = tokens[k] == "_mention_" || tokens[k] == "_phone_" ||
           (k == end && (tokens[k] == "id" || tokens[k] == "username"));
    }
    if (id) ++ids;
    i = end - 1;
  }
  return ids;
}

// CountSupportPhrases over the normalized text's `tokens`.
int CountSupportPhrasesIn(const std::vector<std::string_view>& tokens) {
  uint32_t seen = 0;  // one bit per phrase: distinct phrases, not repeats
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (!kSupportShapes.MayBe(tokens[i])) continue;
    for (size_t w = 0; w < kSupportWords.size(); ++w) {
      if (tokens[i] == kSupportWords[w]) seen |= 1u << w;
    }
    if (i + 1 >= tokens.size()) continue;
    for (size_t p = 0; p < kSupportPairs.size(); ++p) {
      if (tokens[i] == kSupportPairs[p].first && tokens[i + 1] == kSupportPairs[p].second) {
        seen |= 1u << (kSupportWords.size() + p);
      }
    }
  }
  return std::popcount(seen);
}

}  // namespace

int CountMessengerIds(const text::TextAnalysis& text) {
  return CountMessengerIdsIn(text, Tokens(text.normalized));
}

int CountSupportPhrases(std::string_view normalized) {
  return CountSupportPhrasesIn(Tokens(normalized));
}

void CheckContact(const CheckInput& input, std::vector<core::SignalHit>& hits) {
  const text::TextAnalysis& text = input.text;
  int phones = 0;
  PhoneKind strongest = PhoneKind::kLocal;
  for (const std::string& phone : text.phones) {
    if (LooksLikeDate(phone)) continue;
    ++phones;
    const PhoneKind kind = ClassifyPhone(phone);
    if (PhoneWeight(kind) > PhoneWeight(strongest)) strongest = kind;
  }
  if (phones > 0) {
    hits.push_back({"contact.phone", Repeated(phones, PhoneWeight(strongest), kPhoneMax),
                    CountOf(phones, "phone number", "phone numbers") + " (" +
                        std::string(PhoneKindName(strongest)) + ")",
                    std::nullopt});
  }
  // Spelled numbers are found on the raw text: the normalizer turns digits into _num_.
  const std::vector<std::string> spelled = FindSpelledPhones(input.comment.comment_content);
  if (!spelled.empty()) {
    hits.push_back({"contact.spelled_phone", kSpelledPhone,
                    "a phone number spelled out in words (" +
                        std::string(PhoneKindName(ClassifyPhone(spelled.front()))) + ")",
                    std::nullopt});
  }
  const int emails = static_cast<int>(text.emails.size());
  if (emails > 0) {
    hits.push_back({"contact.email", Repeated(emails, kEmail, kEmailMax),
                    CountOf(emails, "e-mail address", "e-mail addresses") + " in the text",
                    std::nullopt});
  }
  const std::vector<std::string_view> tokens = Tokens(text.normalized);
  if (const int ids = CountMessengerIdsIn(text, tokens); ids > 0) {
    hits.push_back({"contact.messenger", Repeated(ids, kMessenger, kMessengerMax),
                    CountOf(ids, "messenger id", "messenger ids") + " to contact off the site",
                    std::nullopt});
  }
  if (const int phrases = CountSupportPhrasesIn(tokens); phrases > 0) {
    if (phones > 0 || !spelled.empty()) {
      hits.push_back({"contact.support_number",
                      Repeated(phrases, kSupportNumber, kSupportNumberMax),
                      "support-line phrasing with a phone number (" +
                          CountOf(phrases, "phrase", "phrases") + ")",
                      std::nullopt});
    } else {
      hits.push_back({"contact.support_phrase", kSupportPhrase,
                      "support-line phrasing without a number", std::nullopt});
    }
  }
}

}  // namespace hamlet::signals

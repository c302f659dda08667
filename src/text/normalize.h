// The one text normalizer, used by training, evaluation and serving alike.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/comment.h"

namespace hamlet::text {

// Turns raw comment text into the single line of space-separated tokens the model reads:
// Unicode NFKC + case folding, HTML entities and tags removed, zero-width and bidi controls
// removed, punctuation split off, newlines and runs of whitespace collapsed, characters
// repeated 3+ times squashed to 2, nothing fastText would read as a label. Invalid UTF-8 bytes
// are replaced, never passed through. Stable marker tokens (the only tokens starting with '_'):
//   _url_ _tld_<tld> [_shortener_] [site name]   a URL or bare domain with a known TLD
//   ... _obfuscated_                             the same for "site [.] com", "site dot com" ...
//   _email_ _phone_ _num_                         e-mail address, phone number, other number
//   _mention_                                     "@name" (the name is dropped)
//   _hashtag_ <tag words>                         "#tag" with a letter in it
//   _emoji_                                       one per run of emoji (ZWJ, flags, skin tones)
//   <word> _mixed_script_                         a Latin word with Cyrillic/Greek letters in
//                                                 it, folded to Latin when they all look Latin
// Deterministic and thread-safe.
std::string Normalize(std::string_view raw);

// A link the normalizer recognized (an explicit URL, a bare domain or an obfuscated host).
struct Link {
  std::string host;         // lower-case, as written ("www.example.com"); "" for a malformed URL
  std::string tld;          // "com"; "" for a malformed URL
  bool shortener = false;   // a known URL shortener (bit.ly, t.co, ...)
  bool obfuscated = false;  // written to dodge filters: "site [.] com", "site dot com"
};

// Normalize's output with what its marker tokens stood for, from the same single pass, so
// the checks (signals) see exactly the links, addresses and numbers the model saw.
struct TextAnalysis {
  std::string normalized;           // == Normalize(raw)
  std::vector<Link> links;          // in text order, one per _url_ token
  std::vector<std::string> emails;  // lower-case addresses, one per _email_ token
  std::vector<std::string> phones;  // digits as dialled ('+' kept), one per _phone_ token
  int words = 0;                    // word tokens: not markers, numbers, symbols, ! or ?
  int mentions = 0;                 // _mention_ tokens
  int hashtags = 0;                 // _hashtag_ tokens
  int emoji = 0;                    // runs of emoji, including those dropped as repeats
  bool mixed_script = false;        // some word mixed Latin with Cyrillic/Greek look-alikes
};

// Normalize, keeping the entities behind the markers. Deterministic and thread-safe.
TextAnalysis Analyze(std::string_view raw);

// What the model reads, recorded with each model (app::ModelMeta) so that serving builds the
// input exactly as training did.
enum class InputMode {
  kRaw,         // the content as written: newlines and whitespace runs collapsed, no labels
  kNormalized,  // Normalize(content)
  kFields,      // Normalize(content) plus text::FieldFeatures (author, e-mail, URL, links ...)
};
// "raw", "normalized", "fields", and back; nullopt for anything else.
std::string_view InputModeName(InputMode mode);
std::optional<InputMode> ParseInputMode(std::string_view name);

// The model input for a whole comment, one line without labels. Training, eval and serving
// all call this, with the mode the model was trained with.
std::string ModelInput(const core::Comment& comment, InputMode mode = InputMode::kFields);
// The same from an Analyze(comment.comment_content) the caller already has (the service
// analyzes once for the model and the checks). `analysis` is unused in kRaw mode.
std::string ModelInput(const core::Comment& comment, const TextAnalysis& analysis, InputMode mode);

}  // namespace hamlet::text

// The one text normalizer, used by training, evaluation and serving alike.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/comment.h"

namespace hamlet::text {

// Turns raw comment text into the single line of space-separated tokens the model reads:
// Unicode NFKC + case folding, HTML entities and tags removed, URLs / e-mail addresses /
// phone numbers replaced by stable tokens, punctuation split off, newlines and runs of
// whitespace collapsed, nothing fastText would read as a label. Invalid UTF-8 bytes are
// replaced, never passed through. Deterministic and thread-safe.
std::string Normalize(std::string_view raw);

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

}  // namespace hamlet::text

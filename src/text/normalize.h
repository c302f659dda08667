// The one text normalizer, used by training, evaluation and serving alike.
#pragma once

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

// The model input for a whole comment: the normalized content plus tokens derived from the
// other fields (author shape, author URL presence). Training, eval and serving all call this.
std::string ModelInput(const core::Comment& comment);

}  // namespace hamlet::text

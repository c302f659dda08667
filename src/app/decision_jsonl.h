// Labeled decisions as JSON Lines, the format of `hamlet export` and `hamlet import`: the
// corpora's fields ({"id", "label", "comment_content", "comment_author", "comment_type",
// "source", ...} with Akismet's field names, so `hamlet train --data` reads an export as it
// is), plus what moving a site needs: the verdict, score, reasons, model, times, who labeled
// it, and every submitted field. The line format is documented in docs/moderation.md.
#pragma once

#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "engine/transfer.h"

namespace hamlet::app {

// One line (without the newline), invalid UTF-8 replaced by U+FFFD.
std::string EncodeDecisionLine(const engine::LabeledDecision& item);

// Parses one line. InvalidArgument saying what is missing or wrong: "id" (a non-empty
// string), "label" ("spam"/"ham"), "verdict" (ham/spam/discard) and "created_ms" (an integer)
// are required; "fields" (a list of [name, value] pairs) is the comment when present, else
// the Akismet-named string fields of the line are.
core::Result<engine::LabeledDecision> DecodeDecisionLine(std::string_view line);

// Every non-blank line of `in`; errors are prefixed with "<name>:<line>: ".
core::Result<std::vector<engine::LabeledDecision>> ReadDecisionJsonl(std::istream& in,
                                                                     const std::string& name);

}  // namespace hamlet::app

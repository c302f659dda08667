// Labeled comments in JSON Lines (the format of the corpora and of `hamlet export`):
// {"label": "spam"|"ham", "comment_content": ..., "comment_author"?, ...Akismet field names}.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "engine/evaluation.h"

namespace hamlet::app {

// Reads every line of `path`. InvalidArgument naming the file and line number on a line that
// is not a JSON object with a "spam"/"ham" label; NotFound when the file cannot be opened.
// Blank lines are skipped.
core::Result<std::vector<engine::LabeledComment>> ReadLabeledJsonl(const std::string& path);

// Every file of `paths`, in order, one after the other; the first error stops it.
core::Result<std::vector<engine::LabeledComment>> ReadLabeledJsonlFiles(
    const std::vector<std::string>& paths);

}  // namespace hamlet::app

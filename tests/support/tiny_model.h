// TinyModel: a real fastText model trained once per test process from a few generated lines,
// for tests that need the real classifier but must not depend on models/.
#pragma once

#include <string>

namespace hamlet::testing {

// Writes ~40 labeled lines in fastText's format (already normalized text): spam about pills,
// casinos, channels and links; ham about articles, votes and songs.
void WriteTinyTrainingFile(const std::string& path);

// Writes `examples` generated labeled comments (alternately spam and ham, over 300 distinct
// words so that quantization has rows enough whatever the n-gram settings), as fastText lines
// ("__label__spam ...") or, with `jsonl`, as the corpora's labeled JSONL. `first` numbers the
// first example, so two calls with different ranges give different comments.
void WriteGeneratedExamples(const std::string& path, int examples, bool jsonl, int first = 0);

// Path of the model (trained on first call; aborts the test run if training fails).
const std::string& TinyModelPath();

}  // namespace hamlet::testing

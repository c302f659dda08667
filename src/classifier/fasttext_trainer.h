// Supervised fastText training for the spam/ham model, with explicit arguments (fastText's
// Args() defaults are the skipgram ones) and optional quantization to a small .ftz.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "core/status.h"

namespace hamlet::classifier {

struct TrainOptions {
  // fastText training file: one example per line, "__label__spam ..." or "__label__ham ...".
  std::string input;
  // Where the model is written (a .ftz when quantize, else a .bin). Written atomically
  // (temporary file + rename) so a failed run leaves no partial model behind.
  std::string output;

  int dim = 32;
  int epoch = 25;
  double lr = 0.5;
  int word_ngrams = 2;
  int minn = 0;  // character n-grams, 0 = off
  int maxn = 0;
  int bucket = 200000;  // hash buckets for word and character n-grams
  int min_count = 1;
  int seed = 1;  // training is single-threaded, so a fixed seed gives a byte-identical model

  // Quantization (product quantization of the input matrix; the output matrix stays dense,
  // qout = false, because the classifier reads it directly).
  bool quantize = true;
  size_t cutoff = 50000;   // rows of the input matrix kept (most important first)
  bool retrain = true;     // retrain after the cutoff, with epoch/lr above
  bool qnorm = true;
  size_t dsub = 2;
  // The cutoff is halved until the quantized file is at most this many bytes (0 = no cap).
  int64_t max_model_bytes = 3 * 1000 * 1000;

  // Called from the training thread with progress in [0, 1] and the current average loss.
  std::function<void(double progress, double loss)> on_progress;
};

// Trains and writes `options.output`. InvalidArgument for unusable options or an input file
// that cannot be read or holds no labeled line; Internal for any other fastText failure.
// Catches every exception fastText throws. Deterministic: the same input and options give
// a byte-identical model file.
core::Status TrainSupervised(const TrainOptions& options);

// fastText's autotune: a random search over epoch, lr, wordNgrams and character n-grams for
// about `seconds` (dim, bucket and the quantization settings stay as in `options`: see the
// .cc), each trial trained on options.input (single-threaded), unquantized, and scored by the
// F1 of __label__spam on `validation` (a file in the training file's format). TrainSupervised
// then quantizes the chosen settings under max_model_bytes. A trial that has started is
// finished, so the search can overrun the budget by one trial.
// Returns `options` with the parameters it chose, for TrainSupervised to train the final
// model with. Time-budgeted, so not reproducible. No progress is reported (autotune has no
// callback). The search runs in a forked child process, killed at 3 x seconds + 30 s: fastText
// 0.9.2's search sometimes goes on training after its budget (about one run in four here),
// and its API cannot stop it. InvalidArgument for seconds <= 0, unusable options or
// unreadable files; Internal for a fastText failure, a child that dies, or one stopped at the
// deadline ("did not finish within N s"). Silences the child's std::cerr (autotune writes
// there whatever Args::verbose says). For the CLI, not the service (it forks).
core::Result<TrainOptions> AutotuneSupervised(const TrainOptions& options,
                                              const std::string& validation, int seconds);

}  // namespace hamlet::classifier

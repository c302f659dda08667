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

// fastText's autotune: a random search over epoch, lr, wordNgrams, character n-grams and
// dsub for about `seconds` (dim and bucket stay as in `options`: see the .cc), each trial
// trained on options.input (single-threaded) and scored by the F1 of __label__spam on
// `validation` (a file in the training file's format). When options.quantize and
// max_model_bytes > 0, only settings whose quantized model fits max_model_bytes count. A
// trial that has started is finished, so the search can overrun the budget by one trial.
// Returns `options` with the parameters it chose, for TrainSupervised to train the final
// model with. Time-budgeted, so not reproducible. No progress is reported (autotune has no
// callback). InvalidArgument for seconds <= 0, unusable options or unreadable files;
// Internal for a fastText failure that reaches us. Not every one does: fastText 0.9.2's
// autotune catches only NaN, out-of-memory and time-out errors inside its trial loop, and any
// other exception there (an empty vocabulary from a large min_count, say) leaves its timer
// thread running and ends the process. With min_count 1 on a file that has words, as the CLI
// trains, none of those arises. Swaps std::cerr's buffer
// while it runs (autotune writes there whatever Args::verbose says): for the CLI, not the
// service.
core::Result<TrainOptions> AutotuneSupervised(const TrainOptions& options,
                                              const std::string& validation, int seconds);

}  // namespace hamlet::classifier

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

}  // namespace hamlet::classifier

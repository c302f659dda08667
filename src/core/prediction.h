// Prediction: what the text classifier says about one normalized text.
#pragma once

namespace hamlet::core {

struct Prediction {
  // log-odds of spam: logit(spam) - logit(ham) from the model's output layer. Unlike the
  // probability it does not saturate or tie, so thresholds can be picked on it.
  double margin = 0.0;
  // 1 / (1 + exp(-margin)).
  double spam_probability = 0.5;
};

}  // namespace hamlet::core

// FastTextClassifier: the Classifier backed by a supervised fastText model (.bin or .ftz)
// with exactly the labels __label__spam and __label__ham.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "classifier/classifier.h"
#include "core/prediction.h"
#include "core/status.h"

namespace hamlet::classifier {

// Thread-safety: immutable after Load; Predict may be called from any number of threads.
class FastTextClassifier final : public Classifier {
 public:
  // Loads the model at `path`. NotFound("model file 'PATH' not found") when the file does not
  // exist; InvalidArgument("model file 'PATH' is not a valid fastText model: ...") when it is
  // not a well-formed fastText model file (wrong magic or version, truncated, inconsistent
  // sizes) or when its labels are not exactly __label__spam and __label__ham. The file is
  // checked structurally before fastText reads it, and fastText's exceptions are caught.
  static core::Result<std::unique_ptr<FastTextClassifier>> Load(const std::string& path);

  ~FastTextClassifier() override;
  FastTextClassifier(const FastTextClassifier&) = delete;
  FastTextClassifier& operator=(const FastTextClassifier&) = delete;

  // margin = logit(spam) - logit(ham), computed from the hidden layer (the average of the
  // input vectors of the line's words and word n-grams) and the output matrix, without
  // fastText's saturating probability path. Newlines in the text are treated as spaces.
  // An empty text (no known token) gives margin 0.
  core::Result<core::Prediction> Predict(std::string_view normalized_text) const override;

  // "<file stem>@<first 8 hex digits of the file's SHA-256>".
  const std::string& Version() const override { return version_; }

  // fastText's own view of the same text, for tests that check Predict against it:
  // predictLine's P(spam) and P(ham) (which saturate), the margin recomputed from
  // FastText::getSentenceVector, and the margin summed from fastText's own input-matrix rows
  // (Predict reads them pre-decoded; the two must be equal, bit for bit). Not thread-safe.
  struct Reference {
    double p_spam = 0, p_ham = 0;
    double sentence_vector_margin = 0;
    double matrix_rows_margin = 0;
  };
  core::Result<Reference> ReferenceForTesting(std::string_view normalized_text) const;

 private:
  struct Model;
  FastTextClassifier(std::unique_ptr<Model> model, std::string version);

  std::unique_ptr<Model> model_;
  std::string version_;
};

}  // namespace hamlet::classifier

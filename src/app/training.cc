// Labeled JSONL -> fastText training file -> model, with an optional validation pass.
#include "app/training.h"

#include <filesystem>
#include <fstream>
#include <utility>

#include "app/labeled_jsonl.h"
#include "classifier/fasttext_classifier.h"
#include "text/normalize.h"

namespace hamlet::app {

core::Result<TrainingReport> TrainFromJsonl(const std::vector<std::string>& data,
                                            const std::string& validation,
                                            classifier::TrainOptions options) {
  if (data.empty()) return core::Status::InvalidArgument("no training data given");
  if (options.output.empty()) return core::Status::InvalidArgument("no output model path given");
  TrainingReport report;
  const std::string input = options.output + ".train.txt";
  {
    std::ofstream out(input, std::ios::trunc);
    if (!out) return core::Status::InvalidArgument("cannot write '" + input + "'");
    for (const std::string& path : data) {
      auto rows = ReadLabeledJsonl(path);
      if (!rows) return rows.error();
      for (const engine::LabeledComment& row : *rows) {
        out << (row.is_spam ? "__label__spam " : "__label__ham ") << text::ModelInput(row.comment)
            << '\n';
        ++(row.is_spam ? report.spam : report.ham);
      }
    }
    if (!out.flush()) return core::Status::Internal("cannot write '" + input + "'");
  }
  report.examples = report.spam + report.ham;
  options.input = input;
  core::Status trained = (report.spam == 0 || report.ham == 0)
                             ? core::Status::InvalidArgument(
                                   "the training data needs both spam and ham comments")
                             : classifier::TrainSupervised(options);
  std::error_code ec;
  std::filesystem::remove(input, ec);
  if (!trained.ok()) return trained;

  report.model_bytes = static_cast<int64_t>(std::filesystem::file_size(options.output, ec));
  auto model = classifier::FastTextClassifier::Load(options.output);
  if (!model) return model.error();
  report.model_version = (*model)->Version();
  if (!validation.empty()) {
    auto rows = ReadLabeledJsonl(validation);
    if (!rows) return rows.error();
    TrainingReport::Validation v;
    for (const engine::LabeledComment& row : *rows) {
      auto p = (*model)->Predict(text::ModelInput(row.comment));
      if (!p) return p.error();
      bool spam = p->spam_probability >= 0.5;
      ++(spam ? (row.is_spam ? v.tp : v.fp) : (row.is_spam ? v.fn : v.tn));
    }
    report.validation = v;
  }
  return report;
}

}  // namespace hamlet::app

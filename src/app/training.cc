// Labeled JSONL -> fastText training file -> model, with an optional validation pass.
#include "app/training.h"

#include <filesystem>
#include <fstream>
#include <type_traits>
#include <utility>
#include <vector>

#include "app/labeled_jsonl.h"
#include "app/model_meta.h"
#include "classifier/fasttext_classifier.h"
#include "text/normalize.h"

namespace hamlet::app {
namespace {

// `rows` as a fastText training file: "__label__spam "/"__label__ham " + ModelInput.
core::Status WriteFastTextFile(const std::vector<engine::LabeledComment>& rows,
                               text::InputMode input_mode, std::ofstream& out) {
  for (const engine::LabeledComment& row : rows) {
    out << (row.is_spam ? "__label__spam " : "__label__ham ")
        << text::ModelInput(row.comment, input_mode) << '\n';
  }
  return out ? core::Status::Ok() : core::Status::Internal("cannot write the training file");
}

// Runs the autotune search on `options` (whose input is written) and returns its choice.
core::Result<classifier::TrainOptions> Autotune(const classifier::TrainOptions& options,
                                                const std::string& validation,
                                                text::InputMode input_mode, int seconds) {
  auto rows = ReadLabeledJsonl(validation);
  if (!rows) return rows.error();
  const std::string valid_txt = options.output + ".valid.txt";
  {
    std::ofstream out(valid_txt, std::ios::trunc);
    if (!out) return core::Status::InvalidArgument("cannot write '" + valid_txt + "'");
    if (core::Status s = WriteFastTextFile(*rows, input_mode, out); !s.ok()) return s;
  }
  auto chosen = classifier::AutotuneSupervised(options, valid_txt, seconds);
  std::error_code ec;
  std::filesystem::remove(valid_txt, ec);
  return chosen;
}

}  // namespace

core::Result<TrainingReport> TrainFromExamples(const std::vector<LabeledSet>& sets,
                                               const std::string& validation,
                                               classifier::TrainOptions options,
                                               text::InputMode input_mode, int autotune_seconds) {
  if (sets.empty()) return core::Status::InvalidArgument("no training data given");
  if (options.output.empty()) return core::Status::InvalidArgument("no output model path given");
  if (autotune_seconds < 0) {
    return core::Status::InvalidArgument("the autotune budget must be a positive number of seconds");
  }
  if (autotune_seconds > 0 && validation.empty()) {
    return core::Status::InvalidArgument("autotune needs a validation file");
  }
  TrainingReport report;
  const std::string input = options.output + ".train.txt";
  nlohmann::ordered_json files = nlohmann::ordered_json::array();
  {
    std::ofstream out(input, std::ios::trunc);
    if (!out) return core::Status::InvalidArgument("cannot write '" + input + "'");
    for (const LabeledSet& set : sets) {
      if (core::Status s = WriteFastTextFile(set.rows, input_mode, out); !s.ok()) return s;
      long spam = 0, ham = 0;
      for (const engine::LabeledComment& row : set.rows) ++(row.is_spam ? spam : ham);
      report.spam += spam;
      report.ham += ham;
      files.push_back({{"file", set.name}, {"spam", spam}, {"ham", ham}});
    }
    if (!out.flush()) return core::Status::Internal("cannot write '" + input + "'");
  }
  report.examples = report.spam + report.ham;
  options.input = input;
  core::Status trained = core::Status::Ok();
  if (report.spam == 0 || report.ham == 0) {
    trained = core::Status::InvalidArgument("the training data needs both spam and ham comments");
  } else if (autotune_seconds > 0) {
    auto chosen = Autotune(options, validation, input_mode, autotune_seconds);
    if (chosen) {
      options = std::move(*chosen);
      report.autotuned = true;
    } else {
      trained = chosen.error();
    }
  }
  if (trained.ok()) trained = classifier::TrainSupervised(options);
  report.trained_with = options;
  report.trained_with.on_progress = nullptr;
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
      auto p = (*model)->Predict(text::ModelInput(row.comment, input_mode));
      if (!p) return p.error();
      bool spam = p->spam_probability >= 0.5;
      ++(spam ? (row.is_spam ? v.tp : v.fp) : (row.is_spam ? v.fn : v.tn));
    }
    report.validation = v;
  }

  ModelMeta meta;
  meta.model = report.model_version;
  meta.input = input_mode;
  meta.training = {{"data", files},
                   {"fasttext", {{"loss", "softmax"},
                                 {"dim", options.dim},
                                 {"epoch", options.epoch},
                                 {"lr", options.lr},
                                 {"word_ngrams", options.word_ngrams},
                                 {"minn", options.minn},
                                 {"maxn", options.maxn},
                                 {"bucket", options.bucket},
                                 {"min_count", options.min_count},
                                 {"seed", options.seed},
                                 {"thread", 1},
                                 {"dsub", options.dsub}}},
                   {"quantized", options.quantize},
                   {"max_model_bytes", options.max_model_bytes},
                   {"model_bytes", report.model_bytes}};
  if (report.autotuned) {
    // Time-budgeted: the same command can choose other parameters on another run.
    meta.training["autotune"] = {
        {"seconds", autotune_seconds},
        {"metric", "f1:__label__spam"},
        {"validation", std::filesystem::path(validation).filename().string()}};
  }
  if (core::Status s = WriteModelMeta(options.output, meta); !s.ok()) return s;
  return report;
}

classifier::TrainOptions TrainOptionsFromMeta(const ModelMeta& meta) {
  classifier::TrainOptions options;
  const nlohmann::ordered_json& training = meta.training;
  // value() throws on a key of the wrong type; a hand-edited sidecar must not crash retrain.
  auto read = [](const nlohmann::ordered_json& j, const char* key, auto& into) {
    auto it = j.find(key);
    if (it != j.end() && it->is_number()) into = it->get<std::decay_t<decltype(into)>>();
  };
  if (auto ft = training.find("fasttext"); ft != training.end() && ft->is_object()) {
    read(*ft, "dim", options.dim);
    read(*ft, "epoch", options.epoch);
    read(*ft, "lr", options.lr);
    read(*ft, "word_ngrams", options.word_ngrams);
    read(*ft, "minn", options.minn);
    read(*ft, "maxn", options.maxn);
    read(*ft, "bucket", options.bucket);
    read(*ft, "min_count", options.min_count);
    read(*ft, "seed", options.seed);
    read(*ft, "dsub", options.dsub);
  }
  if (auto q = training.find("quantized"); q != training.end() && q->is_boolean()) {
    options.quantize = q->get<bool>();
  }
  read(training, "max_model_bytes", options.max_model_bytes);
  return options;
}

core::Result<TrainingReport> TrainFromJsonl(const std::vector<std::string>& data,
                                            const std::string& validation,
                                            classifier::TrainOptions options,
                                            text::InputMode input_mode, int autotune_seconds) {
  if (data.empty()) return core::Status::InvalidArgument("no training data given");
  std::vector<LabeledSet> sets;
  for (const std::string& path : data) {
    auto rows = ReadLabeledJsonl(path);
    if (!rows) return rows.error();
    sets.push_back({std::filesystem::path(path).filename().string(), std::move(rows).value()});
  }
  return TrainFromExamples(sets, validation, std::move(options), input_mode, autotune_seconds);
}

}  // namespace hamlet::app

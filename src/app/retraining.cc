// Retraining: examples -> split -> candidate -> thresholds -> comparison; and the install.
#include "app/retraining.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <utility>

#include "app/labeled_jsonl.h"
#include "app/training.h"
#include "classifier/fasttext_classifier.h"
#include "core/clock.h"

namespace hamlet::app {
namespace {

namespace fs = std::filesystem;

struct Parts {
  std::vector<engine::LabeledComment> train_base, train_feedback, tune, test;
};

void Count(SideCounts& side, const engine::Example& e) {
  ++(e.source == engine::ExampleSource::kBase ? side.base : side.feedback);
  ++(e.labeled.is_spam ? side.spam : side.ham);
}

core::Status NeedBothLabels(const char* part, const SideCounts& side) {
  if (side.spam > 0 && side.ham > 0) return core::Status::Ok();
  return core::Status::InvalidArgument(
      std::string("the ") + part + " part has no " + (side.spam == 0 ? "spam" : "ham") + " (" +
      std::to_string(side.total()) + " examples): add labeled data" +
      (std::string(part) == "train" ? "" : " or raise --holdout-percent"));
}

core::Status ReadExamples(store::Store& store, const RetrainOptions& options,
                          engine::ExampleSet& set) {
  for (const std::string& path : options.base) {
    auto rows = ReadLabeledJsonl(path);
    if (!rows && rows.error().code() == core::StatusCode::kNotFound) {
      // A base file named on the command line is input: missing is a bad input (exit 2).
      return core::Status::InvalidArgument(rows.error().message());
    }
    if (!rows) return rows.error();
    for (engine::LabeledComment& row : *rows) set.Add(std::move(row), engine::ExampleSource::kBase);
  }
  int64_t after = 0;
  for (;;) {
    auto page = store.ListLabeledFeedback(after, options.feedback_page_size);
    if (!page) return page.error();
    if (page->empty()) return core::Status::Ok();
    after = page->back().feedback_id;
    for (const store::LabeledFeedback& f : *page) {
      if (auto example = engine::FeedbackExample(f)) {
        set.Add(std::move(*example), engine::ExampleSource::kFeedback);
      }
    }
  }
}

core::Status CopyThroughTemp(const fs::path& from, const fs::path& to) {
  const fs::path tmp = to.string() + ".tmp";
  std::error_code ec;
  fs::copy_file(from, tmp, fs::copy_options::overwrite_existing, ec);
  if (!ec) fs::rename(tmp, to, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return core::Status::Internal("cannot copy '" + from.string() + "' to '" + to.string() +
                                  "': " + ec.message());
  }
  return core::Status::Ok();
}

// Spam and discard just above the highest finite log-odds of `scored`.
ModelMeta::Thresholds StrictestThresholds(const std::vector<engine::Scored>& scored,
                                          double target_fpr, const std::string& chosen_on) {
  double highest = 0.0;
  for (const engine::Scored& s : scored) {
    if (std::isfinite(s.log_odds)) highest = std::max(highest, s.log_odds);
  }
  ModelMeta::Thresholds t;
  t.target_fpr = target_fpr;
  t.spam_log_odds = t.discard_log_odds = highest + 1.0;
  t.chosen_on = chosen_on + " (target not reachable: above every score)";
  return t;
}

// The same file, whatever the spelling ("m.ftz", "./m.ftz", a path through a symlink).
bool SameFile(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  return fs::weakly_canonical(a, ec) == fs::weakly_canonical(b, ec);
}

// A candidate written over the model in service, or over its sidecar ("m.bin" beside
// "m.ftz" shares "m.json"), would destroy the model a refusal is meant to keep.
core::Status CheckCandidatePath(const std::string& candidate_path, const std::string& model_path) {
  if (SameFile(candidate_path, model_path) ||
      SameFile(ModelMetaPath(candidate_path), ModelMetaPath(model_path))) {
    return core::Status::InvalidArgument(
        "the candidate '" + candidate_path + "' would overwrite the model in service '" +
        model_path + "' or its sidecar '" + ModelMetaPath(model_path) +
        "': write it elsewhere (--out)");
  }
  return core::Status::Ok();
}

}  // namespace

std::string CandidatePath(const std::string& model_path) {
  fs::path p(model_path);
  return (p.parent_path() / (p.stem().string() + ".candidate" + p.extension().string())).string();
}

core::Result<RetrainReport> Retrain(store::Store& store, const engine::Filter& current,
                                    const ModelMeta& current_meta, const RetrainOptions& options) {
  if (options.holdout_percent < 1 || options.holdout_percent > 99) {
    return core::Status::InvalidArgument("--holdout-percent must be between 1 and 99");
  }
  engine::ExampleSet set;
  if (core::Status s = ReadExamples(store, options, set); !s.ok()) return s;
  if (set.examples().empty()) {
    return core::Status::InvalidArgument(
        "nothing to learn from: no feedback in the store and no base data");
  }

  RetrainReport report;
  report.duplicates = set.duplicates();
  report.label_conflicts = set.label_conflicts();
  Parts parts;
  for (const engine::Example& e : set.examples()) {
    switch (engine::SplitOf(e.normalized, options.holdout_percent)) {
      case engine::Split::kTrain:
        Count(report.train, e);
        (e.source == engine::ExampleSource::kBase ? parts.train_base : parts.train_feedback)
            .push_back(e.labeled);
        break;
      case engine::Split::kTune:
        Count(report.tune, e);
        parts.tune.push_back(e.labeled);
        break;
      case engine::Split::kTest:
        Count(report.test, e);
        parts.test.push_back(e.labeled);
        break;
    }
  }
  for (auto [name, side] : {std::pair{"train", &report.train}, std::pair{"tune", &report.tune},
                            std::pair{"test", &report.test}}) {
    if (core::Status s = NeedBothLabels(name, *side); !s.ok()) return s;
  }

  // Like for like: the current model's settings and input, only the data differs.
  report.candidate_path =
      options.candidate_out.empty() ? CandidatePath(options.current_model) : options.candidate_out;
  if (core::Status s = CheckCandidatePath(report.candidate_path, options.current_model); !s.ok()) {
    return s;
  }
  classifier::TrainOptions train = TrainOptionsFromMeta(current_meta);
  train.output = report.candidate_path;
  std::vector<LabeledSet> sets;
  if (!parts.train_base.empty()) sets.push_back({"base", std::move(parts.train_base)});
  if (!parts.train_feedback.empty()) sets.push_back({"feedback", std::move(parts.train_feedback)});
  auto trained = TrainFromExamples(sets, "", train, current_meta.input);
  if (!trained) return trained.error();
  report.candidate_version = trained->model_version;
  report.current_version = current.ModelVersion();

  auto model = classifier::FastTextClassifier::Load(report.candidate_path);
  if (!model) return model.error();
  auto candidate_meta = ReadModelMeta(report.candidate_path);
  if (!candidate_meta) return candidate_meta.error();
  ModelMeta meta = candidate_meta->value_or(ModelMeta{});

  // Thresholds on the tune part only; the test part stays unseen until the comparison.
  report.current_has_thresholds = current_meta.thresholds.has_value();
  report.current_thresholds = current_meta.thresholds.value_or(ModelMeta::Thresholds{});
  const double target_fpr = report.current_thresholds.target_fpr;
  core::SystemClock clock;
  const decision::Policy policy;
  engine::Filter scoring(**model, store, policy, clock, meta.input);
  auto tune_scores = engine::ScoreAll(scoring, parts.tune);
  if (!tune_scores) return tune_scores.error();
  const std::string chosen_on =
      "hamlet retrain, tune part of " + std::to_string(parts.tune.size()) + " labeled comments";
  auto thresholds = PickThresholds(*tune_scores, target_fpr, chosen_on);
  // A candidate that ranks a ham above every spam cannot reach the target on the tune part:
  // it is served at its strictest and the comparison decides (it usually loses).
  report.candidate_thresholds =
      thresholds ? *thresholds : StrictestThresholds(*tune_scores, target_fpr, chosen_on);
  meta.thresholds = report.candidate_thresholds;
  if (core::Status s = WriteModelMeta(report.candidate_path, meta); !s.ok()) return s;

  const engine::Filter served(**model, store, ApplyThresholds(meta, policy), clock, meta.input);
  auto candidate_metrics = engine::Evaluate(served, parts.test);
  if (!candidate_metrics) return candidate_metrics.error();
  auto current_metrics = engine::Evaluate(current, parts.test);
  if (!current_metrics) return current_metrics.error();
  report.candidate = *candidate_metrics;
  report.current = *current_metrics;
  report.decision = engine::DecideInstall(report.candidate, report.current);
  return report;
}

core::Status InstallModel(const std::string& candidate_path, const std::string& model_path) {
  std::error_code ec;
  if (!fs::exists(candidate_path, ec)) {
    return core::Status::NotFound("candidate model '" + candidate_path + "' does not exist");
  }
  if (core::Status s = CheckCandidatePath(candidate_path, model_path); !s.ok()) return s;
  const std::string meta_path = ModelMetaPath(model_path);
  const std::string prev_meta = model_path + ".prev.json";
  if (fs::exists(model_path, ec)) {
    if (core::Status s = CopyThroughTemp(model_path, model_path + ".prev"); !s.ok()) return s;
  }
  const bool had_meta = fs::exists(meta_path, ec);
  if (had_meta) {
    if (core::Status s = CopyThroughTemp(meta_path, prev_meta); !s.ok()) return s;
  } else {
    fs::remove(prev_meta, ec);  // a stale one would pair the wrong thresholds with .prev
  }

  auto candidate_meta = ReadModelMeta(candidate_path);
  if (!candidate_meta) return candidate_meta.error();
  if (!*candidate_meta) {
    // No thresholds to install: the model, then the old sidecar goes (until then the old
    // sidecar names other model bytes, so a reload in between is refused).
    if (core::Status s = CopyThroughTemp(candidate_path, model_path); !s.ok()) return s;
    fs::remove(meta_path, ec);
  } else {
    // The sidecar first: it names the candidate's bytes, so a reload between the two steps
    // finds the old model beside a sidecar written for another one and is refused (LoadModel),
    // and the old model keeps serving. The version is the file's stem plus a hash of its
    // bytes; only the stem changes here.
    ModelMeta meta = **candidate_meta;
    const auto at = meta.model.find('@');
    if (at != std::string::npos) {
      meta.model = fs::path(model_path).stem().string() + meta.model.substr(at);
    }
    if (core::Status s = WriteModelMeta(model_path, meta); !s.ok()) return s;
    if (core::Status s = CopyThroughTemp(candidate_path, model_path); !s.ok()) {
      // Put the old pair back, so the service can still start and reload.
      std::error_code ignored;
      if (had_meta) {
        (void)CopyThroughTemp(prev_meta, meta_path);
      } else {
        fs::remove(meta_path, ignored);
      }
      return s;
    }
  }
  fs::remove(candidate_path, ec);
  fs::remove(ModelMetaPath(candidate_path), ec);
  return core::Status::Ok();
}

}  // namespace hamlet::app

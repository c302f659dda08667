// `hamlet train`: labeled JSONL in, a quantized fastText model out.
#include <cstdint>
#include <cstdio>
#include <iomanip>
#include <memory>
#include <string>
#include <vector>

#include "app/training.h"
#include "cli/command.h"
#include "engine/evaluation.h"

namespace hamlet::cli {
namespace {

struct TrainArgs {
  std::vector<std::string> data;
  std::string out;
  std::string validation;
  int seed = 1;
  int epoch = 0;  // 0: the trainer's defaults
  int dim = 0;
  int word_ngrams = 0;
  double lr = 0;
  int minn = -1;  // -1: the trainer's defaults (no character n-grams)
  int maxn = -1;
  std::string input = "fields";
  bool no_quantize = false;
  int64_t max_model_bytes = -1;  // -1: the trainer's default cap
  int autotune_seconds = 0;  // 0: no autotune
  bool autotune_given = false;
};

void Run(Context& ctx, const TrainArgs& args) {
  classifier::TrainOptions options;
  options.output = args.out;
  options.seed = args.seed;
  if (args.epoch > 0) options.epoch = args.epoch;
  if (args.dim > 0) options.dim = args.dim;
  if (args.word_ngrams > 0) options.word_ngrams = args.word_ngrams;
  if (args.lr > 0) options.lr = args.lr;
  if (args.minn >= 0) options.minn = args.minn;
  if (args.maxn >= 0) options.maxn = args.maxn;
  auto input = text::ParseInputMode(args.input);
  if (!input) {
    return ctx.Fail(core::Status::InvalidArgument("--input must be raw, normalized or fields"));
  }
  options.quantize = !args.no_quantize;
  if (args.max_model_bytes >= 0) options.max_model_bytes = args.max_model_bytes;
  if (args.autotune_given && args.autotune_seconds <= 0) {
    return ctx.Fail(
        core::Status::InvalidArgument("--autotune-seconds must be a positive number of seconds"));
  }
  if (args.autotune_given && args.validation.empty()) {
    return ctx.Fail(core::Status::InvalidArgument(
        "--autotune-seconds needs --validation (autotune scores its trials on it)"));
  }
  const int autotune_seconds = args.autotune_given ? args.autotune_seconds : 0;
  int last_decile = -1;
  std::ostream& err = *ctx.err;
  options.on_progress = [&err, &last_decile](double progress, double loss) {
    int decile = static_cast<int>(progress * 10.0);
    if (decile <= last_decile) return;
    last_decile = decile;
    err << "training: " << decile * 10 << "%";
    if (loss >= 0) err << "  loss " << std::fixed << std::setprecision(4) << loss;
    err << "\n";
  };
  auto& out = *ctx.out;
  if (autotune_seconds > 0) {
    out << "autotune " << args.out << " for " << autotune_seconds
        << " s (F1 of spam on " << args.validation << ", model size cap "
        << options.max_model_bytes << " bytes, input " << args.input << ") from "
        << args.data.size() << " file(s)\n";
  } else {
    out << "training " << args.out << " (dim " << options.dim << ", epoch " << options.epoch
        << ", wordNgrams " << options.word_ngrams << ", lr " << options.lr << ", char n-grams "
        << options.minn << "-" << options.maxn << ", input " << args.input << ", seed "
        << options.seed << (options.quantize ? ", quantized" : "") << ") from "
        << args.data.size() << " file(s)\n";
  }
  auto report = app::TrainFromJsonl(args.data, args.validation, options, *input, autotune_seconds);
  if (!report) return ctx.Fail(report.error());
  if (report->autotuned) {
    const auto& t = report->trained_with;
    out << "autotune chose dim " << t.dim << ", epoch " << t.epoch << ", wordNgrams "
        << t.word_ngrams << ", lr " << t.lr << ", char n-grams " << t.minn << "-" << t.maxn
        << ", bucket " << t.bucket << ", dsub " << t.dsub << "\n";
  }
  out << "examples " << report->examples << " (" << report->spam << " spam, " << report->ham
      << " ham)\n";
  if (report->validation) {
    const auto& v = *report->validation;
    const auto m = engine::Metrics::FromCounts(v.tp, v.fp, v.tn, v.fn);
    out << std::fixed << std::setprecision(4) << "validation (classifier alone, P(spam) >= 0.5): "
        << "fpr " << m.fpr << "  precision " << m.precision << "  recall " << m.recall
        << "  f1 " << m.f1 << "\n";
  }
  out << "wrote " << args.out << " (" << report->model_bytes << " bytes, model "
      << report->model_version << ")\n";
}

}  // namespace

void RegisterTrain(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<TrainArgs>();
  auto* cmd = app.add_subcommand(
      "train",
      "Train a fastText model from labeled JSONL (single-threaded, seeded: reproducible;\n"
      "with --autotune-seconds the parameter search is time-budgeted, so not reproducible)\n"
      "Example: hamlet train --data a.jsonl b.jsonl --out models/my.ftz");
  cmd->add_option("--data", args->data, "labeled JSONL file(s), the corpora's format")
      ->required();
  cmd->add_option("--out", args->out, "model file to write (.ftz; .bin with --no-quantize)")
      ->required();
  cmd->add_option("--validation", args->validation, "labeled JSONL scored after training");
  cmd->add_option("--seed", args->seed, "random seed")->capture_default_str();
  cmd->add_option("--epoch", args->epoch, "training epochs (default 25)");
  cmd->add_option("--dim", args->dim, "vector dimension (default 32)");
  cmd->add_option("--word-ngrams", args->word_ngrams, "max length of word n-grams (default 2)");
  cmd->add_option("--lr", args->lr, "learning rate (default 0.5)");
  cmd->add_option("--minn", args->minn, "shortest character n-gram (default 0: none)");
  cmd->add_option("--maxn", args->maxn, "longest character n-gram (default 0: none)");
  cmd->add_option("--input", args->input,
                  "what the model reads: raw (text as written), normalized (text::Normalize), "
                  "fields (normalized + field features); recorded in the model's .json")
      ->capture_default_str();
  cmd->add_option("--max-model-bytes", args->max_model_bytes,
                  "size cap of the quantized model: the rows kept are halved until it fits "
                  "(default 3000000; 0: no cap); an autotuned model is quantized under it too")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 40));
  cmd->add_option("--autotune-seconds", args->autotune_seconds,
                  "search fastText's parameters for N seconds (its autotune, F1 of spam on "
                  "--validation, under the model size cap) instead of --dim/--epoch/...; "
                  "time-budgeted, so NOT byte-reproducible")
      ->each([args](const std::string&) { args->autotune_given = true; });
  cmd->add_flag("--no-quantize", args->no_quantize, "write the full model instead of a .ftz");
  cmd->callback([&ctx, args] { Run(ctx, *args); });
}

}  // namespace hamlet::cli

// The model's JSON sidecar.
#include "app/model_meta.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

namespace hamlet::app {
namespace {

double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// Policy needs 0 < spam < 1: keep P(spam) away from the ends a huge log-odds would reach.
double ToProbability(double log_odds) {
  return std::clamp(Sigmoid(log_odds), 1e-9, 1.0 - 1e-9);
}

}  // namespace

std::string ModelMetaPath(const std::string& model_path) {
  return std::filesystem::path(model_path).replace_extension(".json").string();
}

nlohmann::ordered_json ModelMetaToJson(const ModelMeta& meta) {
  nlohmann::ordered_json j;
  j["version"] = ModelMeta::kVersion;
  j["model"] = meta.model;
  j["input"] = std::string(text::InputModeName(meta.input));
  j["training"] = meta.training;
  if (meta.thresholds) {
    const auto& t = *meta.thresholds;
    j["thresholds"] = {{"target_fpr", t.target_fpr},
                       {"spam_log_odds", t.spam_log_odds},
                       {"discard_log_odds", t.discard_log_odds},
                       {"chosen_on", t.chosen_on}};
  }
  return j;
}

core::Result<std::optional<ModelMeta>> ReadModelMeta(const std::string& model_path) {
  const std::string path = ModelMetaPath(model_path);
  std::ifstream in(path);
  if (!in) return std::optional<ModelMeta>();
  std::stringstream text;
  text << in.rdbuf();
  auto bad = [&path](const std::string& why) {
    return core::Status::InvalidArgument("model metadata '" + path + "': " + why);
  };
  auto j = nlohmann::ordered_json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return bad("not a JSON object");
  if (j.value("version", 0) != ModelMeta::kVersion) {
    return bad("needs \"version\": " + std::to_string(ModelMeta::kVersion));
  }
  ModelMeta meta;
  if (auto m = j.find("model"); m != j.end() && m->is_string()) meta.model = *m;
  if (auto input = j.find("input"); input != j.end()) {
    auto mode = input->is_string() ? text::ParseInputMode(input->get<std::string>())
                                   : std::nullopt;
    if (!mode) return bad("\"input\" must be \"raw\", \"normalized\" or \"fields\"");
    meta.input = *mode;
  }
  if (auto t = j.find("training"); t != j.end() && t->is_object()) meta.training = *t;
  if (auto t = j.find("thresholds"); t != j.end() && !t->is_null()) {
    if (!t->is_object()) return bad("\"thresholds\" must be an object");
    auto spam = t->find("spam_log_odds");
    auto discard = t->find("discard_log_odds");
    if (spam == t->end() || !spam->is_number() || discard == t->end() || !discard->is_number()) {
      return bad("thresholds need numbers \"spam_log_odds\" and \"discard_log_odds\"");
    }
    ModelMeta::Thresholds th;
    th.spam_log_odds = spam->get<double>();
    th.discard_log_odds = discard->get<double>();
    th.target_fpr = t->value("target_fpr", 0.01);
    th.chosen_on = t->value("chosen_on", std::string());
    if (!std::isfinite(th.spam_log_odds) || !std::isfinite(th.discard_log_odds) ||
        th.discard_log_odds < th.spam_log_odds) {
      return bad("thresholds need finite values with discard_log_odds >= spam_log_odds");
    }
    meta.thresholds = th;
  }
  return std::optional<ModelMeta>(std::move(meta));
}

core::Status WriteModelMeta(const std::string& model_path, const ModelMeta& meta) {
  const std::string path = ModelMetaPath(model_path);
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << ModelMetaToJson(meta).dump(2) << "\n";
    if (!out.flush()) return core::Status::Internal("cannot write '" + tmp + "'");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return core::Status::Internal("cannot write '" + path + "': " + ec.message());
  return core::Status::Ok();
}

core::Result<ModelMeta::Thresholds> PickThresholds(const std::vector<engine::Scored>& scored,
                                                   double target_fpr, std::string chosen_on) {
  const engine::Sweep spam = engine::SweepThresholds(scored, target_fpr);
  const engine::Sweep discard = engine::SweepThresholds(scored, target_fpr / 10.0, 2);
  if (!std::isfinite(spam.threshold) || !std::isfinite(discard.threshold)) {
    return core::Status::InvalidArgument(
        "no threshold reaches the target false-positive rate on this data");
  }
  ModelMeta::Thresholds t;
  t.target_fpr = target_fpr;
  t.spam_log_odds = spam.threshold;
  t.discard_log_odds = std::max(discard.threshold, spam.threshold);
  t.chosen_on = std::move(chosen_on);
  return t;
}

decision::Policy ApplyThresholds(const ModelMeta& meta, decision::Policy policy) {
  if (!meta.thresholds) return policy;
  policy.spam_threshold = ToProbability(meta.thresholds->spam_log_odds);
  policy.discard_threshold =
      std::max(policy.spam_threshold, ToProbability(meta.thresholds->discard_log_odds));
  return policy;
}

}  // namespace hamlet::app

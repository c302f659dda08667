// JSONL encoding of labeled decisions with nlohmann-json.
#include "app/decision_jsonl.h"

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <utility>

namespace hamlet::app {
namespace {

using Json = nlohmann::ordered_json;

// The corpora's leading fields, in their order; the other Akismet fields follow.
constexpr const char* kLeading[] = {"comment_content", "comment_author", "comment_date_gmt"};

bool IsLeading(std::string_view name) {
  for (const char* l : kLeading) {
    if (name == l) return true;
  }
  return false;
}

core::Status Bad(const std::string& what) { return core::Status::InvalidArgument(what); }

}  // namespace

std::string EncodeDecisionLine(const engine::LabeledDecision& item) {
  const store::DecisionRecord& d = item.decision;
  const core::Comment& c = d.comment;
  Json j;
  j["id"] = d.id;
  j["label"] = item.label.label;
  for (const char* name : kLeading) {
    for (const core::CommentMember& m : core::CommentMembers()) {
      if (name == std::string_view(m.name) && !(c.*m.member).empty()) j[name] = c.*m.member;
    }
  }
  j["comment_type"] = c.comment_type.empty() ? "comment" : c.comment_type;
  j["source"] = "hamlet-export";
  for (const core::CommentMember& m : core::CommentMembers()) {
    const std::string_view name = m.name;
    if (IsLeading(name) || name == "comment_type" || (c.*m.member).empty()) continue;
    j[m.name] = c.*m.member;
  }
  j["site"] = d.site_url;
  j["created_ms"] = d.created_ms;
  j["verdict"] = core::VerdictName(d.decision.verdict);
  j["uncertain"] = d.decision.uncertain;
  j["score"] = d.decision.score;
  j["model"] = d.model_version;
  Json reasons = Json::array();
  for (const core::Reason& r : d.decision.reasons) {
    reasons.push_back(
        {{"check", r.check},
         {"contribution", std::isfinite(r.contribution) ? Json(r.contribution) : Json()},
         {"detail", r.detail}});
  }
  j["reasons"] = std::move(reasons);
  j["labeled_by"] = item.label.moderator;
  j["labeled_ms"] = item.label.created_ms;
  j["label_source"] = item.label.source;
  Json fields = Json::array();
  for (const auto& [name, value] : c.fields) fields.push_back(Json::array({name, value}));
  j["fields"] = std::move(fields);
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

core::Result<engine::LabeledDecision> DecodeDecisionLine(std::string_view line) {
  Json j = Json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Bad("not valid JSON");
  if (!j.is_object()) return Bad("not a JSON object");
  auto text = [&j](const char* name) -> const std::string* {
    auto it = j.find(name);
    return it != j.end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
  };
  engine::LabeledDecision item;
  store::DecisionRecord& d = item.decision;
  if (const std::string* id = text("id"); id != nullptr && !id->empty()) {
    d.id = *id;
  } else {
    return Bad("needs \"id\": a non-empty string");
  }
  const std::string* label = text("label");
  if (label == nullptr || (*label != "spam" && *label != "ham")) {
    return Bad("needs \"label\": \"spam\" or \"ham\"");
  }
  item.label.label = *label;
  const std::string* verdict_name = text("verdict");
  auto verdict = verdict_name != nullptr ? core::ParseVerdict(*verdict_name) : std::nullopt;
  if (!verdict) {
    return Bad(
        "needs \"verdict\": ham, spam or discard (is this a `hamlet export` file? corpora "
        "go to `hamlet train --data`)");
  }
  d.decision.verdict = *verdict;
  auto created = j.find("created_ms");
  if (created == j.end() || !created->is_number_integer()) {
    return Bad("needs \"created_ms\": milliseconds since 1970 as an integer");
  }
  d.created_ms = created->get<int64_t>();
  if (auto score = j.find("score"); score != j.end()) {
    if (!score->is_number()) return Bad("\"score\" must be a number");
    d.decision.score = score->get<double>();
    if (!std::isfinite(d.decision.score)) return Bad("\"score\" must be finite");
  }
  if (auto uncertain = j.find("uncertain"); uncertain != j.end() && uncertain->is_boolean()) {
    d.decision.uncertain = uncertain->get<bool>();
  }
  if (const std::string* model = text("model")) d.model_version = *model;
  if (const std::string* site = text("site")) d.site_url = *site;
  if (auto reasons = j.find("reasons"); reasons != j.end()) {
    if (!reasons->is_array()) return Bad("\"reasons\" must be a list");
    for (const Json& r : *reasons) {
      if (!r.is_object() || !r.contains("check") || !r["check"].is_string()) {
        return Bad("each reason needs a \"check\" name");
      }
      core::Reason reason;
      reason.check = r["check"].get<std::string>();
      const Json& contribution = r.contains("contribution") ? r["contribution"] : Json();
      reason.contribution = contribution.is_number() ? contribution.get<double>()
                                                     : std::numeric_limits<double>::quiet_NaN();
      if (r.contains("detail") && r["detail"].is_string()) reason.detail = r["detail"];
      d.decision.reasons.push_back(std::move(reason));
    }
  }
  core::FieldList fields;
  if (auto raw = j.find("fields"); raw != j.end()) {
    if (!raw->is_array()) return Bad("\"fields\" must be a list of [name, value] pairs");
    for (const Json& pair : *raw) {
      if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string()) {
        return Bad("\"fields\" must be a list of [name, value] pairs");
      }
      fields.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
    }
  } else {
    for (const core::CommentMember& m : core::CommentMembers()) {
      if (const std::string* value = text(m.name)) fields.emplace_back(m.name, *value);
    }
  }
  d.comment = core::CommentFromFields(std::move(fields));
  if (const std::string* by = text("labeled_by")) item.label.moderator = *by;
  if (auto at = j.find("labeled_ms"); at != j.end() && at->is_number_integer()) {
    item.label.created_ms = at->get<int64_t>();
  }
  if (const std::string* source = text("label_source")) item.label.source = *source;
  return item;
}

core::Result<std::vector<engine::LabeledDecision>> ReadDecisionJsonl(std::istream& in,
                                                                     const std::string& name) {
  std::vector<engine::LabeledDecision> out;
  std::string line;
  long line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto item = DecodeDecisionLine(line);
    if (!item) {
      return core::Status::InvalidArgument(name + ":" + std::to_string(line_no) + ": " +
                                           item.error().message());
    }
    out.push_back(std::move(*item));
  }
  if (in.bad()) return core::Status::Internal("read error on '" + name + "'");
  return out;
}

}  // namespace hamlet::app

// Reads labeled comments from JSON Lines with nlohmann-json.
#include "app/labeled_jsonl.h"

#include <fstream>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

namespace hamlet::app {

core::Result<std::vector<engine::LabeledComment>> ReadLabeledJsonl(const std::string& path) {
  std::ifstream in(path);
  if (!in) return core::Status::NotFound("cannot open '" + path + "'");
  std::vector<engine::LabeledComment> out;
  std::string line;
  long line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto where = [&] { return path + ":" + std::to_string(line_no) + ": "; };
    // ordered_json keeps the fields in the order they were written.
    nlohmann::ordered_json j = nlohmann::ordered_json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return core::Status::InvalidArgument(where() + "not valid JSON");
    if (!j.is_object()) return core::Status::InvalidArgument(where() + "not a JSON object");
    auto label = j.find("label");
    if (label == j.end() || !label->is_string() ||
        (label->get_ref<const std::string&>() != "spam" &&
         label->get_ref<const std::string&>() != "ham")) {
      return core::Status::InvalidArgument(where() + "needs \"label\": \"spam\" or \"ham\"");
    }
    core::FieldList fields;
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.key() == "label") continue;
      if (it->is_string()) {
        fields.emplace_back(it.key(), it->get<std::string>());
      } else if (it->is_boolean()) {
        fields.emplace_back(it.key(), it->get<bool>() ? "true" : "false");
      }
    }
    engine::LabeledComment lc;
    lc.is_spam = label->get_ref<const std::string&>() == "spam";
    lc.comment = core::CommentFromFields(std::move(fields));
    out.push_back(std::move(lc));
  }
  if (in.bad()) return core::Status::Internal("read error on '" + path + "'");
  return out;
}

core::Result<std::vector<engine::LabeledComment>> ReadLabeledJsonlFiles(
    const std::vector<std::string>& paths) {
  std::vector<engine::LabeledComment> all;
  for (const std::string& path : paths) {
    auto rows = ReadLabeledJsonl(path);
    if (!rows) return rows.error();
    all.insert(all.end(), std::make_move_iterator(rows->begin()),
               std::make_move_iterator(rows->end()));
  }
  return all;
}

}  // namespace hamlet::app

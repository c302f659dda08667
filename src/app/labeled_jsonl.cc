// Reads labeled comments from JSON Lines with nlohmann-json.
#include "app/labeled_jsonl.h"

#include <fstream>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

namespace hamlet::app {
namespace {

// Field name -> member of core::Comment, for the Akismet names the corpora and exports use.
std::string* Member(core::Comment& c, const std::string& name) {
  if (name == "comment_content") return &c.comment_content;
  if (name == "comment_author") return &c.comment_author;
  if (name == "comment_author_email") return &c.comment_author_email;
  if (name == "comment_author_url") return &c.comment_author_url;
  if (name == "comment_type") return &c.comment_type;
  if (name == "comment_date_gmt") return &c.comment_date_gmt;
  if (name == "user_ip") return &c.user_ip;
  if (name == "user_agent") return &c.user_agent;
  if (name == "permalink") return &c.permalink;
  if (name == "referrer") return &c.referrer;
  if (name == "blog") return &c.blog;
  if (name == "blog_lang") return &c.blog_lang;
  if (name == "blog_charset") return &c.blog_charset;
  if (name == "user_role") return &c.user_role;
  if (name == "recheck_reason") return &c.recheck_reason;
  return nullptr;
}

}  // namespace

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
    engine::LabeledComment lc;
    lc.is_spam = label->get_ref<const std::string&>() == "spam";
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.key() == "label") continue;
      if (it.key() == "is_test" && it->is_boolean()) lc.comment.is_test = it->get<bool>();
      if (!it->is_string()) continue;
      const std::string& value = it->get_ref<const std::string&>();
      if (std::string* member = Member(lc.comment, it.key())) *member = value;
      if (!value.empty()) lc.comment.fields.emplace_back(it.key(), value);
    }
    out.push_back(std::move(lc));
  }
  if (in.bad()) return core::Status::Internal("read error on '" + path + "'");
  return out;
}

}  // namespace hamlet::app

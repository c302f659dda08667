// Field lookup for Comment.
#include "core/comment.h"

namespace hamlet::core {

const std::string& Comment::Field(const std::string& name) const {
  static const std::string kEmpty;
  for (const auto& [k, v] : fields) {
    if (k == name) return v;
  }
  return kEmpty;
}

namespace {

constexpr CommentMember kMembers[] = {
    {"blog", &Comment::blog},
    {"user_ip", &Comment::user_ip},
    {"user_agent", &Comment::user_agent},
    {"referrer", &Comment::referrer},
    {"permalink", &Comment::permalink},
    {"comment_type", &Comment::comment_type},
    {"comment_author", &Comment::comment_author},
    {"comment_author_email", &Comment::comment_author_email},
    {"comment_author_url", &Comment::comment_author_url},
    {"comment_content", &Comment::comment_content},
    {"comment_date_gmt", &Comment::comment_date_gmt},
    {"blog_lang", &Comment::blog_lang},
    {"blog_charset", &Comment::blog_charset},
    {"user_role", &Comment::user_role},
    {"recheck_reason", &Comment::recheck_reason},
};

}  // namespace

std::span<const CommentMember> CommentMembers() { return kMembers; }

Comment CommentFromFields(FieldList fields) {
  Comment c;
  std::erase_if(fields, [](const auto& field) { return field.second.empty(); });
  c.fields = std::move(fields);
  for (const auto& [name, value] : c.fields) {
    for (const auto& m : kMembers) {
      // The first occurrence wins, as Field() returns it.
      if (name == m.name && (c.*m.member).empty()) c.*m.member = value;
    }
  }
  std::string is_test = c.Field("is_test");
  for (char& ch : is_test) ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
  c.is_test = is_test == "1" || is_test == "true" || is_test == "yes" || is_test == "on";
  if (const std::string& hp = c.Field("honeypot_field_name");
      !hp.empty() && hp != "honeypot_field_name") {
    c.honeypot_value = c.Field(hp);
  }
  return c;
}

}  // namespace hamlet::core

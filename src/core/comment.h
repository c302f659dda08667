// Comment: one submission to be judged, with Akismet's field names. Protocol codecs map
// their wire formats onto this; everything below the http/cli layers speaks only this type.
#pragma once

#include <span>
#include <string>
#include <utility>
#include <vector>

namespace hamlet::core {

// An ordered list of (name, value) pairs exactly as submitted, unknown names included.
using FieldList = std::vector<std::pair<std::string, std::string>>;

struct Comment {
  std::string blog;  // the site's front-page URL
  std::string user_ip;
  std::string user_agent;
  std::string referrer;
  std::string permalink;
  std::string comment_type;
  std::string comment_author;
  std::string comment_author_email;
  std::string comment_author_url;
  std::string comment_content;
  std::string comment_date_gmt;
  std::string blog_lang;
  std::string blog_charset;
  std::string user_role;
  std::string recheck_reason;
  std::string honeypot_value;  // value of the field named by honeypot_field_name, if any
  bool is_test = false;
  // Every submitted field (known ones too, empty ones dropped), in arrival order, for the log.
  FieldList fields;

  // Value of the first field named `name` in `fields`, or "" when absent.
  const std::string& Field(const std::string& name) const;
};

// A string member of Comment and its Akismet field name.
struct CommentMember {
  const char* name;
  std::string Comment::*member;
};
// The Akismet-named string members of Comment (blog ... recheck_reason), in a fixed order;
// honeypot_value and is_test are derived and not listed.
std::span<const CommentMember> CommentMembers();

// Builds a Comment from submitted (name, value) pairs with Akismet's field names: the one
// mapping shared by every codec (form, JSON, JSONL, CLI). Empty values are treated as absent
// and dropped; unknown names are kept in `fields`; `is_test` is true for 1/true/yes/on; the
// honeypot value is the value of the field that `honeypot_field_name` names.
Comment CommentFromFields(FieldList fields);

}  // namespace hamlet::core

// Field features: the tokens that describe a comment's fields other than its text (author
// name, e-mail and URL shape, link count and density, length, comment_type). One function,
// so training, evaluation and serving add exactly the same tokens.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/comment.h"

namespace hamlet::text {

// Tokens for `comment`, in a fixed order, every one starting with '_' (the normalizer never
// emits a token starting with '_' except its own markers, listed in normalize.h, so they
// cannot collide with words; the markers do not count as words for _len_). `normalized_content` is Normalize(comment.comment_content),
// passed in so it is computed once. Deterministic and thread-safe.
//
//   author     _author_none_ | _author_words_{1,2,3,4+}, _author_digits_, _author_caps_,
//              _author_has_url_ (a URL or e-mail address in the name)
//   e-mail     _email_free_ (a free-mail provider), _email_tld_<tld>, _email_digits_
//   author URL _has_author_url_, _aurl_tld_<tld>, _aurl_shortener_, _aurl_path_
//   links      _links_{0,1,2,3+}, _links_dense_ (a link for every 8 words or fewer)
//   length     _len_{1,3,10,30,100,100+} (word tokens, upper bounds)
//   type       _type_<comment|reply|trackback|pingback|other> when comment_type is set
std::vector<std::string> FieldFeatures(const core::Comment& comment,
                                       std::string_view normalized_content);

}  // namespace hamlet::text

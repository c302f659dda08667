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

}  // namespace hamlet::core

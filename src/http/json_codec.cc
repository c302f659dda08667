// JSON <-> Comment / CheckOutcome for the /v1 API.
#include "http/json_codec.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "core/timestamp.h"
#include "engine/outcome_json.h"
#include "http/form_codec.h"
#include "http/http_status.h"

namespace hamlet::http {
namespace {

using nlohmann::json;

bool IsKnownStringField(std::string_view name) {
  static constexpr std::string_view kKnown[] = {
      "blog", "user_ip", "user_agent", "referrer", "permalink", "comment_type",
      "comment_author", "comment_author_email", "comment_author_url", "comment_content",
      "comment_date_gmt", "blog_lang", "blog_charset", "user_role", "recheck_reason",
      "honeypot_field_name", "api_key", "key", "id", "label", "guid"};
  for (std::string_view k : kKnown) {
    if (k == name) return true;
  }
  return false;
}

constexpr std::string_view kFormRenderedAtFormat =
    "Unix seconds, Unix milliseconds or an RFC 3339 time with an offset "
    "(1714557296, 1714557296250 or \"2024-05-01T09:54:56Z\")";

core::Status TypeError(const std::string& name, std::string_view wanted) {
  return core::Status::InvalidArgument("field \"" + name + "\" must be " + std::string(wanted));
}

// Parses `body` as one JSON object and flattens it into Akismet-style fields.
core::Result<core::FieldList> ObjectToFields(std::string_view body) {
  json doc;
  try {
    doc = json::parse(body.begin(), body.end());
  } catch (const json::exception& e) {
    // Syntax errors (parse_error) and numbers beyond a double (out_of_range, "1e999"): the
    // client's fault either way. e.what() names the position and the token; it contains no
    // server internals.
    return core::Status::InvalidArgument(std::string("malformed JSON: ") + e.what());
  }
  if (!doc.is_object()) return core::Status::InvalidArgument("the body must be a JSON object");
  core::FieldList fields;
  size_t count = 0;
  for (const auto& [name, value] : doc.items()) {
    count += value.is_array() ? value.size() : 1;
    if (count > kMaxFields) {
      return core::Status::InvalidArgument("too many fields (the limit is " +
                                           std::to_string(kMaxFields) + ")");
    }
    if (value.is_null()) continue;
    if (name == "is_test") {
      if (value.is_boolean()) {
        fields.emplace_back(name, value.get<bool>() ? "1" : "0");
      } else if (value.is_number_integer()) {
        fields.emplace_back(name, value.get<long long>() != 0 ? "1" : "0");
      } else if (value.is_string()) {
        fields.emplace_back(name, value.get<std::string>());
      } else {
        return TypeError(name, "a boolean");
      }
    } else if (name == "honeypot") {
      // The value the site's hidden field came back with; a boolean says filled or not.
      if (value.is_boolean()) {
        if (value.get<bool>()) fields.emplace_back(name, "true");
      } else if (value.is_string()) {
        fields.emplace_back(name, value.get<std::string>());
      } else if (value.is_number()) {
        fields.emplace_back(name, value.dump());
      } else {
        return TypeError(name, "a string or a boolean");
      }
    } else if (name == "form_rendered_at") {
      std::string text;
      if (value.is_number()) {
        text = value.dump();
      } else if (value.is_string()) {
        text = value.get<std::string>();
      } else {
        return TypeError(name, kFormRenderedAtFormat);
      }
      if (!core::ParseTimestampMs(text)) return TypeError(name, kFormRenderedAtFormat);
      fields.emplace_back(name, std::move(text));
    } else if (name == "comment_context") {
      if (value.is_string()) {
        fields.emplace_back(name, value.get<std::string>());
      } else if (value.is_array()) {
        for (const auto& item : value) {
          if (!item.is_string()) return TypeError(name, "a string or an array of strings");
          fields.emplace_back(name, item.get<std::string>());
        }
      } else {
        return TypeError(name, "a string or an array of strings");
      }
    } else if (IsKnownStringField(name)) {
      if (!value.is_string()) return TypeError(name, "a string");
      fields.emplace_back(name, value.get<std::string>());
    } else if (value.is_string()) {
      fields.emplace_back(name, value.get<std::string>());
    } else if (value.is_number() || value.is_boolean()) {
      fields.emplace_back(name, value.dump());
    } else {
      return TypeError(name, "a string, a number or a boolean");
    }
  }
  return fields;
}

}  // namespace

core::Result<V1CheckRequest> DecodeV1Check(std::string_view body) {
  auto fields = ObjectToFields(body);
  if (!fields) return fields.error();
  V1CheckRequest request;
  request.api_key = std::string(FirstValue(*fields, "api_key"));
  request.comment = CommentFromFields(*fields);
  if (request.comment.comment_content.empty()) {
    return core::Status::InvalidArgument("\"comment_content\" is required");
  }
  return request;
}

core::Result<V1FeedbackRequest> DecodeV1Feedback(std::string_view body) {
  auto fields = ObjectToFields(body);
  if (!fields) return fields.error();
  V1FeedbackRequest request;
  request.api_key = std::string(FirstValue(*fields, "api_key"));
  request.id = std::string(FirstValue(*fields, "id"));
  const std::string_view label = FirstValue(*fields, "label");
  if (label == "spam") {
    request.label = engine::Label::kSpam;
  } else if (label == "ham") {
    request.label = engine::Label::kHam;
  } else {
    return core::Status::InvalidArgument("\"label\" must be \"spam\" or \"ham\"");
  }
  request.comment = CommentFromFields(*fields);
  if (request.id.empty() && request.comment.comment_content.empty()) {
    return core::Status::InvalidArgument("\"id\" or \"comment_content\" is required");
  }
  return request;
}

std::string BearerToken(std::string_view header) {
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() <= kScheme.size()) return "";
  for (size_t i = 0; i < kScheme.size(); ++i) {
    char c = header[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kScheme[i]) return "";
  }
  std::string_view token = header.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) token.remove_suffix(1);
  return std::string(token);
}

std::string EncodeCheckOutcome(const engine::CheckOutcome& outcome) {
  json reasons = json::array();
  for (const core::Reason& r : outcome.decision.reasons) {
    reasons.push_back({{"check", r.check}, {"contribution", r.contribution}, {"detail", r.detail}});
  }
  const json doc = {{"id", outcome.id},
                    {"verdict", std::string(core::VerdictName(outcome.decision.verdict))},
                    {"score", outcome.decision.score},
                    {"uncertain", outcome.decision.uncertain},
                    {"reasons", std::move(reasons)},
                    {"model", outcome.model_version}};
  // Replace, never throw, should any detail carry invalid UTF-8.
  return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

core::Result<V1DecisionsRequest> DecodeV1Decisions(const std::string* since,
                                                   const std::string* limit) {
  V1DecisionsRequest request;
  if (since != nullptr) request.since = *since;
  if (limit != nullptr) {
    int value = 0;
    const char* end = limit->data() + limit->size();
    const auto [ptr, ec] = std::from_chars(limit->data(), end, value);
    if (limit->empty() || ec != std::errc() || ptr != end) {
      return core::Status::InvalidArgument("limit must be a whole number, got '" +
                                           limit->substr(0, 32) + "'");
    }
    request.limit = value;
  }
  return request;
}

std::string EncodeDecisionsPage(const engine::DecisionFeedPage& page) {
  json items = json::array();
  for (const store::DecisionChange& c : page.changes.changes) {
    items.push_back(engine::DecisionOutcomeJson(
        c.decision, c.latest_feedback ? &*c.latest_feedback : nullptr, page.personal_data));
  }
  json doc = {{"decisions", std::move(items)},
              {"next", page.changes.next_cursor},
              {"more", page.changes.more}};
  return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string EncodeFeedbackOutcome(const engine::FeedbackOutcome& outcome) {
  json doc = {{"feedback_id", outcome.feedback_id}, {"decision_id", nullptr}};
  if (!outcome.decision_id.empty()) doc["decision_id"] = outcome.decision_id;
  return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

namespace {

json ErrorObject(std::string_view code, std::string_view message, std::string_view request_id) {
  json error = {{"code", std::string(code)}, {"message", std::string(message)}};
  if (!request_id.empty()) error["request_id"] = std::string(request_id);
  return error;
}

}  // namespace

core::Status DecodeV1AdminReload(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return core::Status::Ok();
  json doc;
  try {
    doc = json::parse(body.begin(), body.end());
  } catch (const json::exception& e) {  // parse_error, out_of_range: as in ObjectToFields
    return core::Status::InvalidArgument(std::string("malformed JSON: ") + e.what());
  }
  if (!doc.is_object() || !doc.empty()) {
    return core::Status::InvalidArgument(
        "this call takes no parameters (send no body or {}): it reloads the model path hamletd "
        "was started with");
  }
  return core::Status::Ok();
}

std::string EncodeReloadOutcome(const app::ReloadOutcome& outcome) {
  return json{{"model", outcome.current},
              {"previous", outcome.previous},
              {"reloads", outcome.reloads}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string EncodeReloadFailure(std::string_view message, std::string_view serving,
                                std::string_view request_id) {
  return json{{"error", ErrorObject("reload_failed", message, request_id)},
              {"model", std::string(serving)}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string EncodeError(core::StatusCode code, std::string_view message,
                        std::string_view request_id) {
  return EncodeNamedError(ErrorCodeName(code), message, request_id);
}

std::string EncodeNamedError(std::string_view code, std::string_view message,
                             std::string_view request_id) {
  return json{{"error", ErrorObject(code, message, request_id)}}.dump(
      -1, ' ', false, json::error_handler_t::replace);
}

}  // namespace hamlet::http

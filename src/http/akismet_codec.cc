// Akismet 1.1 requests and answers.
#include "http/akismet_codec.h"

#include <arpa/inet.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/decision.h"
#include "engine/key_service.h"
#include "http/form_codec.h"
#include "http/http_status.h"

namespace hamlet::http {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

AkismetAnswer Invalid(std::string_view help) {
  return AkismetAnswer{200, "invalid", {{"X-akismet-debug-help", std::string(help)}}};
}

// Calls whose `key` field names the key in question, with the stored key as api_key.
bool KeyFieldFirst(AkismetCall call) {
  return call == AkismetCall::kVerifyKey || call == AkismetCall::kGetSubscription ||
         call == AkismetCall::kGetStats || call == AkismetCall::kDeactivate;
}

// Calls about one comment, which must name the blog.
bool NeedsBlog(AkismetCall call) {
  return call == AkismetCall::kVerifyKey || call == AkismetCall::kCommentCheck ||
         call == AkismetCall::kSubmitSpam || call == AkismetCall::kSubmitHam;
}

AkismetAnswer Json(const nlohmann::json& doc) {
  AkismetAnswer answer;
  answer.body = doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  answer.content_type = "application/json";
  return answer;
}

nlohmann::json Counts(const engine::PeriodStats& s) {
  return {{"spam", s.spam},
          {"ham", s.ham},
          {"missed_spam", s.missed_spam},
          {"false_positives", s.false_positives},
          {"api_calls", s.api_calls}};
}

// The CSV field `s`, quoted when it holds a comma, quote or line break.
std::string CsvField(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace

std::string KeyFromHost(std::string_view host) {
  if (host.empty() || host.front() == '[') return "";  // [IPv6]:port
  const size_t colon = host.find(':');
  if (colon != std::string_view::npos) {
    if (host.find(':', colon + 1) != std::string_view::npos) return "";  // bare IPv6
    host = host.substr(0, colon);
  }
  const std::string name(host);
  in_addr v4{};
  if (inet_pton(AF_INET, name.c_str(), &v4) == 1) return "";
  const size_t dot = name.find('.');
  if (dot == std::string::npos || dot == 0) return "";
  std::string label = Lower(std::string_view(name).substr(0, dot));
  return engine::KeyService::LooksLikeKey(label) ? label : "";
}

bool IsBlogUri(std::string_view blog) {
  const std::string lower = Lower(blog);
  std::string_view rest;
  if (lower.starts_with("http://")) {
    rest = std::string_view(lower).substr(7);
  } else if (lower.starts_with("https://")) {
    rest = std::string_view(lower).substr(8);
  } else {
    return false;
  }
  const size_t end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  const size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority = authority.substr(at + 1);
  if (authority.empty() || authority.front() == ':') return false;
  for (char c : authority) {
    if (c == ' ' || c == '\t' || static_cast<unsigned char>(c) < 0x20) return false;
  }
  return true;
}

core::Result<AkismetRequest> DecodeAkismet(AkismetCall call, std::string_view body,
                                           std::string_view host_header,
                                           const core::FieldList& query) {
  auto fields = ParseForm(body);
  if (!fields) return fields.error();
  fields->insert(fields->begin(), query.begin(), query.end());
  AkismetRequest request;
  const std::string_view key = FirstValue(*fields, "key");
  const std::string_view api_key = FirstValue(*fields, "api_key");
  if (KeyFieldFirst(call)) {
    // The WordPress plugin adds its stored api_key to every call, verify-key included, while
    // `key` is the key being verified: `key` must win here.
    request.key = std::string(!key.empty() ? key : api_key);
  } else {
    request.key = std::string(!api_key.empty() ? api_key : key);
    if (request.key.empty()) request.key = KeyFromHost(host_header);
  }
  request.comment = CommentFromFields(*fields);
  request.guid = request.comment.Field("guid");
  return request;
}

std::optional<AkismetAnswer> CheckRequired(AkismetCall call, const AkismetRequest& request) {
  if (request.key.empty()) {
    return Invalid(KeyFieldFirst(call) ? kHelpEmptyKey : kHelpEmptyApiKey);
  }
  if (NeedsBlog(call) && !IsBlogUri(request.comment.blog)) return Invalid(kHelpBadBlog);
  if (call == AkismetCall::kCommentCheck && request.comment.user_ip.empty()) {
    return Invalid(kHelpEmptyUserIp);
  }
  return std::nullopt;
}

AkismetAnswer VerifyKeyAnswer(bool valid) {
  if (valid) return AkismetAnswer{200, "valid", {}};
  return Invalid(kHelpBadKey);
}

std::string ReasonsHeader(const core::Decision& decision) {
  std::string out;
  for (const core::Reason& r : decision.reasons) {
    if (!out.empty()) out += ", ";
    out += r.check;
    if (std::isfinite(r.contribution)) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "=%+.2f", r.contribution);
      out += buf;
    }
  }
  return out;
}

AkismetAnswer CheckAnswer(const engine::CheckOutcome& outcome) {
  AkismetAnswer answer;
  const core::Decision& decision = outcome.decision;
  answer.body = decision.answer_spam ? "true" : "false";
  answer.headers.emplace_back("X-akismet-guid", outcome.id);
  if (decision.verdict == core::Verdict::kDiscard) {
    answer.headers.emplace_back("X-akismet-pro-tip", "discard");
  }
  // Ours, beside Akismet's: clients ignore headers they do not know.
  std::string verdict(core::VerdictName(decision.verdict));
  if (decision.uncertain) verdict += "; uncertain";
  answer.headers.emplace_back("X-hamlet-verdict", std::move(verdict));
  answer.headers.emplace_back("X-hamlet-reasons", ReasonsHeader(decision));
  return answer;
}

AkismetAnswer SubmitAnswer() { return AkismetAnswer{200, std::string(kAkismetThanks), {}}; }

AkismetAnswer ConnectedAnswer() { return AkismetAnswer{200, "connected", {}}; }

AkismetAnswer SubscriptionAnswer() {
  return Json({{"status", "active"},
               {"account_name", "hamlet (self-hosted)"},
               {"account_type", "self-hosted"},
               {"next_billing_date", nullptr},
               {"limit_reached", false}});
}

AkismetAnswer DeactivatedAnswer() { return AkismetAnswer{200, "deactivated", {}}; }

AkismetAnswer StatsAnswer(const engine::StatsReport& report) {
  nlohmann::json doc = Counts(report.totals);
  doc["accuracy"] = report.totals.Accuracy();
  nlohmann::json breakdown = nlohmann::json::object();
  for (const engine::PeriodStats& month : report.breakdown) {
    nlohmann::json entry = Counts(month);
    entry["accuracy"] = month.Accuracy();
    breakdown[month.period] = std::move(entry);
  }
  doc["breakdown"] = std::move(breakdown);
  return Json(doc);
}

AkismetAnswer UsageLimitAnswer(const engine::UsageReport& report) {
  return Json(
      {{"limit", "none"}, {"usage", report.usage}, {"percentage", "0.00"}, {"throttled", false}});
}

AkismetAnswer KeySitesAnswer(const engine::KeySitesReport& report, std::string_view format) {
  if (format == "csv") {
    AkismetAnswer answer;
    answer.content_type = "text/csv; charset=utf-8";
    answer.body =
        "Active sites during " + report.month + " (limit:" + std::to_string(report.limit) +
        ", offset: " + std::to_string(report.offset) + ", total: " + std::to_string(report.total) +
        ")\n"
        "Site,Total API Calls,Spam,Ham,Missed Spam,False Positives,Is Revoked\n";
    for (const engine::SiteActivity& s : report.sites) {
      char counts[160];
      std::snprintf(
          counts, sizeof counts, ",%lld,%lld,%lld,%lld,%lld,%s\n",
          static_cast<long long>(s.stats.api_calls), static_cast<long long>(s.stats.spam),
          static_cast<long long>(s.stats.ham), static_cast<long long>(s.stats.missed_spam),
          static_cast<long long>(s.stats.false_positives), report.revoked ? "true" : "false");
      answer.body += CsvField(s.site);
      answer.body += counts;
    }
    return answer;
  }
  nlohmann::json sites = nlohmann::json::array();
  for (const engine::SiteActivity& s : report.sites) {
    nlohmann::json row = Counts(s.stats);
    row["site"] = s.site;
    row["is_revoked"] = report.revoked;
    sites.push_back(std::move(row));
  }
  return Json({{report.month, std::move(sites)},
               {"limit", report.limit},
               {"offset", report.offset},
               {"total", report.total}});
}

core::Result<engine::KeySitesQuery> DecodeKeySitesQuery(const core::Comment& comment) {
  engine::KeySitesQuery query;
  query.month = comment.Field("month");
  query.filter = comment.Field("filter");
  if (!comment.Field("order").empty()) query.order = comment.Field("order");
  for (auto [name, into] : {std::pair{"limit", &query.limit}, std::pair{"offset", &query.offset}}) {
    const std::string& text = comment.Field(name);
    if (text.empty()) continue;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *into);
    if (ec != std::errc() || end != text.data() + text.size()) {
      return core::Status::InvalidArgument(std::string(name) + " must be a number");
    }
  }
  return query;
}

AkismetAnswer ErrorAnswer(const core::Status& status, std::string_view request_id) {
  switch (status.code()) {
    case core::StatusCode::kOk:  // not an error; never passed, but answer sanely
    case core::StatusCode::kInternal:
    case core::StatusCode::kNotFound:
      break;
    // A key of another role (an admin key) is, to Akismet clients, just not a valid key.
    case core::StatusCode::kUnauthenticated:
    case core::StatusCode::kPermissionDenied:
      return Invalid(kHelpBadKey);
    case core::StatusCode::kInvalidArgument:
      return Invalid(status.message());
    case core::StatusCode::kUnavailable:
      return AkismetAnswer{HttpStatusFor(status.code()),
                           "unavailable",
                           {{"Retry-After", "30"},
                            {"X-akismet-debug-help",
                             "The service is temporarily unavailable; retry later "
                             "(request " +
                                 std::string(request_id) + ")"}}};
  }
  const core::StatusCode code =
      status.code() == core::StatusCode::kOk ? core::StatusCode::kInternal : status.code();
  return AkismetAnswer{
      HttpStatusFor(code),
      "error",
      {{"X-akismet-debug-help", "Server error: " + std::string(ErrorCodeName(code)) + " (request " +
                                    std::string(request_id) + ")"}}};
}

AkismetAnswer TransportErrorAnswer(int http_status, std::string_view help) {
  return AkismetAnswer{http_status, "invalid", {{"X-akismet-debug-help", std::string(help)}}};
}

AkismetAnswer ThrottledAnswer(int retry_after, std::string_view help) {
  return AkismetAnswer{
      429,
      "throttled",
      {{"Retry-After", std::to_string(retry_after)}, {"X-akismet-debug-help", std::string(help)}}};
}

}  // namespace hamlet::http

// Akismet 1.1 wire codec: request bodies -> AkismetRequest (comment + key), and verdicts or
// errors -> the literal bodies and X-akismet-* headers real clients expect. No I/O, no httplib.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/comment.h"
#include "core/status.h"
#include "engine/filter.h"
#include "engine/usage.h"

namespace hamlet::http {

enum class AkismetCall {
  kVerifyKey,
  kCommentCheck,
  kSubmitSpam,
  kSubmitHam,
  // Account calls WordPress's Akismet plugin makes from its settings page and on deactivation.
  kGetSubscription,
  kGetStats,
  kDeactivate,
  // Akismet 1.2, GET or POST, query or form.
  kUsageLimit,
  kKeySites,
};

inline constexpr std::string_view kAkismetThanks = "Thanks for making the web a better place.";
inline constexpr std::string_view kHelpEmptyKey = "Empty \"key\" value";
inline constexpr std::string_view kHelpEmptyApiKey = "Empty \"api_key\" value";
inline constexpr std::string_view kHelpBadBlog = "We were unable to parse your blog URI";
inline constexpr std::string_view kHelpEmptyUserIp =
    "Empty \"user_ip\" value: comment-check needs the commenter's IP address";
inline constexpr std::string_view kHelpBadKey = "The API key you provided is invalid or revoked";

struct AkismetRequest {
  core::Comment comment;  // see CommentFromFields: key fields removed, empties dropped
  // verify-key, get-subscription, get-stats, deactivate: `key`, else `api_key` (WordPress
  // sends its stored key as api_key while `key` is the one in question). Other calls:
  // `api_key`, else `key`, else the first label of the Host header when it has a key's shape
  // (legacy KEY.rest.akismet.com form).
  std::string key;
  std::string guid;  // a `guid` field (the X-akismet-guid of the original check), if sent
};

// One answer in Akismet's wire form: text/plain body, extra headers.
struct AkismetAnswer {
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string content_type = "text/plain; charset=utf-8";
};

// Decodes a form body (whatever the Content-Type) and the Host header; `query` (the URL's
// parameters, for the 1.2 calls) comes before the body's fields.
// InvalidArgument on malformed percent-encoding (a transport fault: answered 400).
core::Result<AkismetRequest> DecodeAkismet(AkismetCall call, std::string_view body,
                                           std::string_view host_header,
                                           const core::FieldList& query = {});

// The key in the Host header's first label ("abcdef123456.rest.akismet.com:80"), or "" when
// that label does not look like a key, the host has no dot, or it is an IP literal.
std::string KeyFromHost(std::string_view host_header);

// True for an absolute http(s) URL with a host, as Akismet wants for `blog`.
bool IsBlogUri(std::string_view blog);

// The protocol-level refusal for a request missing what `call` needs (key; blog on verify-key,
// comment-check and the submits; user_ip on comment-check): 200 `invalid` with
// X-akismet-debug-help. nullopt when complete.
std::optional<AkismetAnswer> CheckRequired(AkismetCall call, const AkismetRequest& request);

// verify-key: 200 `valid`, or 200 `invalid` + debug-help.
AkismetAnswer VerifyKeyAnswer(bool valid);
// comment-check: `true` / `false` as core::Decision::answer_spam says (spam and discard are
// true, ham false, an uncertain decision the site's uncertain answer), X-akismet-guid always,
// X-akismet-pro-tip: discard only for discard. Never a debug-help header. Ours beside them:
// X-hamlet-verdict ("spam", "ham; uncertain", ...) and X-hamlet-reasons (ReasonsHeader).
AkismetAnswer CheckAnswer(const engine::CheckOutcome& outcome);
// The decision's reasons as short codes in decision order: "model=+4.21, links.count=+1.50";
// a forcing check's infinite contribution is left out ("akismet.test_spam").
std::string ReasonsHeader(const core::Decision& decision);
// submit-spam / submit-ham: the Thanks sentence.
AkismetAnswer SubmitAnswer();
// GET /1.1/test: `connected` (the plugin's connectivity check).
AkismetAnswer ConnectedAnswer();
// get-subscription for a valid key: JSON with status `active` (what the plugin's settings
// page needs to save a key), account_name, account_type `self-hosted`, no billing date.
AkismetAnswer SubscriptionAnswer();
// deactivate: `deactivated`.
AkismetAnswer DeactivatedAnswer();
// get-stats: JSON totals (spam, ham, missed_spam, false_positives, api_calls, accuracy) and a
// per-month `breakdown` object keyed "YYYY-MM" with the same counts.
AkismetAnswer StatsAnswer(const engine::StatsReport& report);
// usage-limit: {"limit":"none","usage":N,"percentage":"0.00","throttled":false}; hamlet has
// no plan limits.
AkismetAnswer UsageLimitAnswer(const engine::UsageReport& report);
// key-sites as JSON ({"YYYY-MM":[{site, api_calls, spam, ham, missed_spam, false_positives,
// is_revoked}], limit, offset, total}) or, with format=csv, Akismet's CSV.
AkismetAnswer KeySitesAnswer(const engine::KeySitesReport& report, std::string_view format);
// The key-sites query from the request's fields; InvalidArgument for a non-numeric limit or
// offset.
core::Result<engine::KeySitesQuery> DecodeKeySitesQuery(const core::Comment& comment);
// An engine error. Unauthenticated and InvalidArgument are protocol answers (200 `invalid` +
// debug-help). Unavailable is 503 `unavailable` + Retry-After, Internal 500 `error`, so that
// clients report an error and hold the comment instead of taking a verdict or, on verify-key,
// concluding the key is wrong. `request_id` is quoted in the debug-help of server faults.
AkismetAnswer ErrorAnswer(const core::Status& status, std::string_view request_id);
// A transport fault (malformed body, too large): `http_status` with body `invalid` and a
// debug-help saying what was wrong, so status-blind clients see an error too.
AkismetAnswer TransportErrorAnswer(int http_status, std::string_view help);
// A rate-limited call: 429, Retry-After `retry_after` seconds, body `throttled` (Akismet's
// own word for a client over its limit) and a debug-help saying which limit. Not `invalid`,
// which verify-key clients read as a wrong key and WordPress shows as such; clients take any
// other answer as an error and retry later (WordPress holds the comment and rechecks it).
AkismetAnswer ThrottledAnswer(int retry_after, std::string_view help);

}  // namespace hamlet::http

// Akismet endpoints: verify-key, comment-check, submit-spam, submit-ham; the account calls
// of WordPress's plugin (test, get-subscription, get-stats, deactivate); 1.2 usage-limit and
// key-sites. Each: decode the form -> refuse incomplete requests as Akismet does ->
// authenticate -> one engine call -> Akismet's answer.
#include <httplib.h>
#include <spdlog/spdlog.h>

#include "app/logging.h"
#include "app/wiring.h"
#include "http/akismet_codec.h"
#include "http/handlers.h"
#include "http/metrics.h"

namespace hamlet::http {
namespace {

// Decodes and authenticates; on failure the answer has been written and nullopt returned.
struct Authenticated {
  AkismetRequest request;
  store::SiteKey key;
};

std::optional<Authenticated> DecodeAndAuthenticate(const RouteContext& ctx, const Exchange& ex,
                                                   AkismetCall call) {
  core::FieldList query;
  if (call == AkismetCall::kUsageLimit || call == AkismetCall::kKeySites) {
    for (const auto& [name, value] : ex.request.params) query.emplace_back(name, value);
  }
  auto request = DecodeAkismet(call, ex.body, ex.request.get_header_value("Host"), query);
  if (!request) {
    WriteAkismet(ex, TransportErrorAnswer(400, request.error().message()));
    return std::nullopt;
  }
  if (auto refusal = CheckRequired(call, *request)) {
    WriteAkismet(ex, *refusal);
    return std::nullopt;
  }
  KeyCheck check = CheckKey(ctx, ex, request->key);
  if (check.retry_after > 0) {
    WriteKeyThrottled(ex, check);
    return std::nullopt;
  }
  if (!check.key) {
    LogFailure(ex, "authenticate", check.key.error());
    WriteAkismet(ex, ErrorAnswer(check.key.error(), ex.request_id));
    return std::nullopt;
  }
  return Authenticated{std::move(request.value()), std::move(check.key.value())};
}

void HandleSubmit(const RouteContext& ctx, const Exchange& ex, AkismetCall call,
                  engine::Label label) {
  auto in = DecodeAndAuthenticate(ctx, ex, call);
  if (!in) return;
  auto outcome =
      ctx.services.feedback->Submit(in->request.comment, in->key, label, in->request.guid, "akismet");
  if (!outcome) {
    LogFailure(ex, "submit", outcome.error());
    WriteAkismet(ex, ErrorAnswer(outcome.error(), ex.request_id));
    return;
  }
  spdlog::info("req={} event=submit-{} key={} feedback={} decision={} ip={}", ex.request_id,
               engine::LabelName(label), in->key.id, outcome->feedback_id,
               outcome->decision_id.empty() ? "-" : outcome->decision_id,
               app::LogIp(in->request.comment.user_ip));
  WriteAkismet(ex, SubmitAnswer());
}

}  // namespace

void HandleVerifyKey(const RouteContext& ctx, const Exchange& ex) {
  auto request = DecodeAkismet(AkismetCall::kVerifyKey, ex.body, "");
  if (!request) {
    WriteAkismet(ex, TransportErrorAnswer(400, request.error().message()));
    return;
  }
  if (auto refusal = CheckRequired(AkismetCall::kVerifyKey, *request)) {
    WriteAkismet(ex, *refusal);
    return;
  }
  KeyCheck check = CheckKey(ctx, ex, request->key);
  if (check.retry_after > 0) return WriteKeyThrottled(ex, check);
  const core::Result<store::SiteKey>& key = check.key;
  // An admin key is `invalid` here, as an unknown one is.
  if (!key && key.error().code() != core::StatusCode::kUnauthenticated &&
      key.error().code() != core::StatusCode::kPermissionDenied) {
    LogFailure(ex, "verify-key", key.error());
    WriteAkismet(ex, ErrorAnswer(key.error(), ex.request_id));
    return;
  }
  WriteAkismet(ex, VerifyKeyAnswer(key.has_value()));
}

void HandleCommentCheck(const RouteContext& ctx, const Exchange& ex) {
  auto in = DecodeAndAuthenticate(ctx, ex, AkismetCall::kCommentCheck);
  if (!in) return;
  if (!ctx.services.filter) {
    WriteAkismet(ex, ErrorAnswer(core::Status::Unavailable("model not loaded"), ex.request_id));
    return;
  }
  auto outcome = ctx.services.filter->Check(in->request.comment, in->key, "akismet");
  if (!outcome) {
    LogFailure(ex, "comment-check", outcome.error());
    WriteAkismet(ex, ErrorAnswer(outcome.error(), ex.request_id));
    return;
  }
  ctx.metrics.CountVerdict(outcome->decision.verdict, "akismet");
  spdlog::info("req={} event=comment-check key={} verdict={} score={:.3f} id={} ip={} email={}",
               ex.request_id, in->key.id, core::VerdictName(outcome->decision.verdict),
               outcome->decision.score, outcome->id, app::LogIp(in->request.comment.user_ip),
               app::LogEmail(in->request.comment.comment_author_email));
  WriteAkismet(ex, CheckAnswer(*outcome));
}

void HandleSubmitSpam(const RouteContext& ctx, const Exchange& ex) {
  HandleSubmit(ctx, ex, AkismetCall::kSubmitSpam, engine::Label::kSpam);
}

void HandleSubmitHam(const RouteContext& ctx, const Exchange& ex) {
  HandleSubmit(ctx, ex, AkismetCall::kSubmitHam, engine::Label::kHam);
}

void HandleTest(const RouteContext&, const Exchange& ex) { WriteAkismet(ex, ConnectedAnswer()); }

void HandleGetSubscription(const RouteContext& ctx, const Exchange& ex) {
  if (!DecodeAndAuthenticate(ctx, ex, AkismetCall::kGetSubscription)) return;
  WriteAkismet(ex, SubscriptionAnswer());
}

void HandleDeactivate(const RouteContext& ctx, const Exchange& ex) {
  auto in = DecodeAndAuthenticate(ctx, ex, AkismetCall::kDeactivate);
  if (!in) return;
  // Nothing changes: the key stays valid, so the site can reactivate the plugin.
  spdlog::info("req={} event=deactivate key={} blog={}", ex.request_id, in->key.id,
               in->request.comment.blog);
  WriteAkismet(ex, DeactivatedAnswer());
}

void HandleGetStats(const RouteContext& ctx, const Exchange& ex) {
  auto in = DecodeAndAuthenticate(ctx, ex, AkismetCall::kGetStats);
  if (!in) return;
  auto report = ctx.services.usage->Stats(in->key, in->request.comment.Field("from"));
  if (!report) {
    LogFailure(ex, "get-stats", report.error());
    WriteAkismet(ex, ErrorAnswer(report.error(), ex.request_id));
    return;
  }
  WriteAkismet(ex, StatsAnswer(*report));
}

void HandleUsageLimit(const RouteContext& ctx, const Exchange& ex) {
  auto in = DecodeAndAuthenticate(ctx, ex, AkismetCall::kUsageLimit);
  if (!in) return;
  auto report = ctx.services.usage->ThisMonth(in->key);
  if (!report) {
    LogFailure(ex, "usage-limit", report.error());
    WriteAkismet(ex, ErrorAnswer(report.error(), ex.request_id));
    return;
  }
  WriteAkismet(ex, UsageLimitAnswer(*report));
}

void HandleKeySites(const RouteContext& ctx, const Exchange& ex) {
  auto in = DecodeAndAuthenticate(ctx, ex, AkismetCall::kKeySites);
  if (!in) return;
  auto query = DecodeKeySitesQuery(in->request.comment);
  core::Result<engine::KeySitesReport> report =
      query ? ctx.services.usage->KeySites(in->key, *query)
            : core::Result<engine::KeySitesReport>(query.error());
  if (!report) {
    LogFailure(ex, "key-sites", report.error());
    WriteAkismet(ex, ErrorAnswer(report.error(), ex.request_id));
    return;
  }
  WriteAkismet(ex, KeySitesAnswer(*report, in->request.comment.Field("format")));
}

}  // namespace hamlet::http

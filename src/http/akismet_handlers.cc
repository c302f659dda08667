// Akismet 1.1 endpoints: verify-key, comment-check, submit-spam, submit-ham.
// Each: decode the form -> refuse incomplete requests as Akismet does -> authenticate ->
// one engine call -> Akismet's literal answer.
#include <httplib.h>
#include <spdlog/spdlog.h>

#include "app/logging.h"
#include "app/wiring.h"
#include "http/akismet_codec.h"
#include "http/handlers.h"

namespace hamlet::http {
namespace {

// Decodes and authenticates; on failure the answer has been written and nullopt returned.
struct Authenticated {
  AkismetRequest request;
  store::SiteKey key;
};

std::optional<Authenticated> DecodeAndAuthenticate(const RouteContext& ctx, const Exchange& ex,
                                                   AkismetCall call) {
  auto request = DecodeAkismet(call, ex.body, ex.request.get_header_value("Host"));
  if (!request) {
    WriteAkismet(ex, TransportErrorAnswer(400, request.error().message()));
    return std::nullopt;
  }
  if (auto refusal = CheckRequired(call, *request)) {
    WriteAkismet(ex, *refusal);
    return std::nullopt;
  }
  auto key = ctx.services.keys->Authenticate(request->key);
  if (!key) {
    LogFailure(ex, "authenticate", key.error());
    WriteAkismet(ex, ErrorAnswer(key.error(), ex.request_id));
    return std::nullopt;
  }
  return Authenticated{std::move(request.value()), std::move(key.value())};
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
  spdlog::info("{} submit-{} key={} feedback={} decision={} ip={}", ex.request_id,
               engine::LabelName(label), in->key.id, outcome->feedback_id,
               outcome->decision_id.empty() ? "-" : outcome->decision_id,
               app::MaskIp(in->request.comment.user_ip));
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
  auto key = ctx.services.keys->Authenticate(request->key);
  if (!key && key.error().code() != core::StatusCode::kUnauthenticated) {
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
  spdlog::info("{} comment-check key={} verdict={} score={:.3f} id={} ip={} email={}",
               ex.request_id, in->key.id, core::VerdictName(outcome->decision.verdict),
               outcome->decision.score, outcome->id, app::MaskIp(in->request.comment.user_ip),
               app::MaskEmail(in->request.comment.comment_author_email));
  WriteAkismet(ex, CheckAnswer(*outcome));
}

void HandleSubmitSpam(const RouteContext& ctx, const Exchange& ex) {
  HandleSubmit(ctx, ex, AkismetCall::kSubmitSpam, engine::Label::kSpam);
}

void HandleSubmitHam(const RouteContext& ctx, const Exchange& ex) {
  HandleSubmit(ctx, ex, AkismetCall::kSubmitHam, engine::Label::kHam);
}

}  // namespace hamlet::http

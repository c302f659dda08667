// `hamlet check`: scores one comment through the same engine as the service.
#include <unistd.h>

#include <iostream>
#include <iterator>

#include "cli/command.h"
#include "cli/format.h"
#include "cli/terminal_text.h"
#include "core/comment.h"

namespace hamlet::cli {
namespace {

struct CheckArgs {
  std::vector<std::pair<std::string, std::string*>> options;  // field name -> value
  std::string content, author, email, url, ip, user_agent, type, blog;
  std::string key;
  bool json = false;
  bool from_stdin = false;
};

// Reads a JSON object of Akismet fields from the command's stdin.
core::Result<core::FieldList> FieldsFromStdin(std::istream& in) {
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) {
    return core::Status::InvalidArgument("stdin must hold one JSON object of comment fields");
  }
  core::FieldList fields;
  for (const auto& [name, value] : parsed.items()) {
    if (value.is_string()) {
      fields.emplace_back(name, value.get<std::string>());
    } else if (value.is_number() || value.is_boolean()) {
      fields.emplace_back(name, value.dump());
    } else if (!value.is_null()) {
      return core::Status::InvalidArgument("field '" + name + "' must be a string");
    }
  }
  return fields;
}

void Run(Context& ctx, const CheckArgs& args) {
  core::FieldList fields;
  if (args.from_stdin) {
    auto parsed = FieldsFromStdin(*ctx.in);
    if (!parsed) return ctx.Fail(parsed.error());
    fields = std::move(*parsed);
  }
  for (const auto& [name, value] : args.options) {
    if (!value->empty()) fields.emplace_back(name, *value);
  }
  const core::Comment comment = core::CommentFromFields(std::move(fields));
  if (comment.comment_content.empty() && comment.comment_author.empty()) {
    return ctx.Fail(core::Status::InvalidArgument(
        "nothing to check: give --content (and other fields), or --stdin with a JSON object"));
  }

  // A check recorded under a key is judged like the service judges it: with the memory of
  // earlier comments, rebuilt from the database.
  ctx.memory = !args.key.empty();
  auto services = ctx.Services(true);
  if (!services) return ctx.Fail(services.error());
  app::Services& s = **services;

  std::string id;
  core::Decision decision;
  if (!args.key.empty()) {
    auto key = s.keys->Authenticate(args.key);
    if (!key) return ctx.Fail(key.error());
    auto outcome = s.filter->Check(comment, *key, "cli");
    if (!outcome) return ctx.Fail(outcome.error());
    id = outcome->id;
    decision = outcome->decision;
  } else {
    auto scored = s.filter->Score(comment);
    if (!scored) return ctx.Fail(scored.error());
    decision = *scored;
  }

  if (args.json) {
    nlohmann::json out = {{"verdict", core::VerdictName(decision.verdict)},
                          {"score", decision.score},
                          {"uncertain", decision.uncertain},
                          {"reasons", ReasonsToJson(decision.reasons)},
                          {"model", s.filter->ModelVersion()}};
    out["id"] = id.empty() ? nlohmann::json() : nlohmann::json(id);
    *ctx.out << DumpJson(out) << "\n";
    return;
  }
  *ctx.out << VerdictLabel(decision) << "  score " << decision.score << "  model "
           << s.filter->ModelVersion() << "\n";
  for (const auto& r : decision.reasons) {
    *ctx.out << "  " << (r.contribution >= 0 ? "+" : "") << r.contribution << "  " << r.check
             << ": " << ForTerminal(r.detail) << "\n";
  }
  *ctx.out << (id.empty() ? "not recorded (give --key to record it under that key's site)"
                          : "recorded as " + id)
           << "\n";
}

}  // namespace

void RegisterCheck(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<CheckArgs>();
  auto* cmd = app.add_subcommand(
      "check",
      "Score one comment with the same engine as the service\n"
      "Example: hamlet check --content 'Great post! Cheap pills at http://x.example' --json\n"
      "         echo '{\"comment_content\":\"hi\"}' | hamlet check --stdin");
  const std::pair<const char*, std::string CheckArgs::*> options[] = {
      {"content", &CheckArgs::content}, {"author", &CheckArgs::author},
      {"email", &CheckArgs::email},     {"url", &CheckArgs::url},
      {"ip", &CheckArgs::ip},           {"user-agent", &CheckArgs::user_agent},
      {"type", &CheckArgs::type},       {"blog", &CheckArgs::blog}};
  const char* field_names[] = {"comment_content", "comment_author", "comment_author_email",
                               "comment_author_url", "user_ip", "user_agent", "comment_type",
                               "blog"};
  for (size_t i = 0; i < std::size(options); ++i) {
    std::string* target = &((*args).*(options[i].second));
    cmd->add_option(std::string("--") + options[i].first, *target,
                    std::string("Akismet field ") + field_names[i]);
    args->options.emplace_back(field_names[i], target);
  }
  cmd->add_flag("--stdin", args->from_stdin, "read a JSON object of Akismet fields from stdin");
  cmd->add_option("--key", args->key, "record the decision under this site key");
  cmd->add_flag("--json", args->json, "print the decision as JSON");
  cmd->callback([&ctx, args] { Run(ctx, *args); });
}

}  // namespace hamlet::cli

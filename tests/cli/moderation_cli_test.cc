// The moderator's commands run in-process against a real SQLite database: queue filters and
// paging, show, review in line mode, mark-spam/mark-ham with --dry-run, undo, stats (text,
// JSON, PNG), export/import, purge, --help, and untrusted text never reaching the terminal raw.
#include <doctest/doctest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/png_chart.h"
#include "support/cli_run.h"
#include "support/files.h"
#include "support/temp_dir.h"
#include "support/text_lines.h"
#include "support/tiny_model.h"

using namespace hamlet;
using nlohmann::json;

namespace {

constexpr int64_t kDay = 24LL * 3600 * 1000;
constexpr int64_t kT0 = 1'700'000'000'000;  // 2023-11-14 22:13:20 UTC

testing::CliRun Hamlet(const std::string& db, std::vector<std::string> args,
                       const std::string& stdin_text = "") {
  args.insert(args.begin(), {"--db", db, "--model", testing::TinyModelPath()});
  return testing::RunHamletCli(args, stdin_text);
}

// A database with a site key; Check() records decisions through `hamlet check --key`.
struct Site {
  testing::TempDir dir;
  std::string db = dir.File("h.db");
  std::string key;
  Site() {
    auto created = Hamlet(db, {"keys", "create", "--site", "http://blog.example/"});
    REQUIRE(created.code == 0);
    key = testing::LastLine(created.out);
  }
  // Records a comment (a JSON object of Akismet fields); returns its decision id.
  std::string Check(const json& fields) {
    auto run = Hamlet(db, {"check", "--stdin", "--key", key, "--json"}, fields.dump());
    REQUIRE_MESSAGE(run.code == 0, run.err);
    return json::parse(run.out)["id"];
  }
  // Always spam: Akismet's test author.
  std::string Spam(const std::string& content, json extra = json::object()) {
    extra["comment_author"] = "viagra-test-123";
    extra["comment_content"] = content;
    return Check(extra);
  }
  json QueueJson(std::vector<std::string> args) {
    args.insert(args.begin(), "queue");
    args.push_back("--json");
    auto run = Hamlet(db, args);
    REQUIRE_MESSAGE(run.code == 0, run.err);
    return json::parse(run.out);
  }
  std::vector<std::string> QueueIds(std::vector<std::string> args) {
    std::vector<std::string> ids;
    const json page = QueueJson(std::move(args));  // kept: the loop reads into it
    for (const auto& item : page["items"]) ids.push_back(item["id"]);
    return ids;
  }
  json Show(const std::string& id) {
    auto run = Hamlet(db, {"show", id, "--json"});
    REQUIRE_MESSAGE(run.code == 0, run.err);
    return json::parse(run.out);
  }
};

// One line of a `hamlet export` file.
std::string ExportLine(const std::string& id, const std::string& label, const std::string& verdict,
                       int64_t created_ms, const std::string& content,
                       const std::string& blog = "http://blog.example/") {
  return json{
      {"id", id},
      {"label", label},
      {"comment_content", content},
      {"comment_author", "Author " + id.substr(0, 4)},
      {"comment_type", "comment"},
      {"source", "test"},
      {"blog", blog},
      {"user_ip", "198.51.100.7"},
      {"verdict", verdict},
      {"created_ms", created_ms},
      {"score", verdict == "ham" ? 0.1 : 0.95},
      {"reasons", json::array({{{"check", "model"}, {"contribution", 1.5}, {"detail", "m"}}})},
      {"labeled_by", "importer"}}
      .dump();
}

std::string Id(int n) {
  char buf[33];
  std::snprintf(buf, sizeof buf, "%032x", n);
  return buf;
}

bool HasRawControls(const std::string& s) {
  return s.find('\x1b') != std::string::npos || s.find('\x07') != std::string::npos ||
         s.find("\xE2\x80\xAE") != std::string::npos ||  // U+202E right-to-left override
         s.find("\xE2\x81\xA6") != std::string::npos;    // U+2066 left-to-right isolate
}

// The scanlines of a PNG written by hamlet (RGB, one IDAT), checked chunk by chunk.
struct DecodedPng {
  int width = 0, height = 0;
  std::string rgb;  // filter bytes removed
};
DecodedPng DecodePng(const std::string& bytes) {
  DecodedPng out;
  REQUIRE(bytes.rfind("\x89PNG\r\n\x1a\n", 0) == 0);
  size_t at = 8;
  std::string idat;
  auto u32 = [&](size_t p) {
    return (uint32_t(uint8_t(bytes[p])) << 24) | (uint32_t(uint8_t(bytes[p + 1])) << 16) |
           (uint32_t(uint8_t(bytes[p + 2])) << 8) | uint32_t(uint8_t(bytes[p + 3]));
  };
  while (at + 12 <= bytes.size()) {
    const uint32_t len = u32(at);
    const std::string type = bytes.substr(at + 4, 4);
    const std::string data = bytes.substr(at + 8, len);
    const uLong crc =
        crc32(crc32(0, Z_NULL, 0), reinterpret_cast<const Bytef*>(bytes.data() + at + 4), len + 4);
    CHECK(u32(at + 8 + len) == static_cast<uint32_t>(crc));
    if (type == "IHDR") {
      out.width = static_cast<int>(u32(at + 8));
      out.height = static_cast<int>(u32(at + 12));
      CHECK(data[8] == 8);  // bit depth
      CHECK(data[9] == 2);  // RGB
    }
    if (type == "IDAT") idat += data;
    at += 12 + len;
  }
  REQUIRE(out.width > 0);
  uLongf raw_size = static_cast<uLongf>(out.height) * (1 + out.width * 3);
  std::string raw(raw_size, '\0');
  REQUIRE(uncompress(reinterpret_cast<Bytef*>(raw.data()), &raw_size,
                     reinterpret_cast<const Bytef*>(idat.data()), idat.size()) == Z_OK);
  for (int y = 0; y < out.height; ++y) {
    CHECK(raw[static_cast<size_t>(y) * (1 + out.width * 3)] == 0);  // filter: none
    out.rgb += raw.substr(static_cast<size_t>(y) * (1 + out.width * 3) + 1, out.width * 3);
  }
  return out;
}

int CountColor(const DecodedPng& png, cli::Rgb c) {
  int n = 0;
  for (size_t i = 0; i + 2 < png.rgb.size(); i += 3) {
    if (uint8_t(png.rgb[i]) == c.r && uint8_t(png.rgb[i + 1]) == c.g &&
        uint8_t(png.rgb[i + 2]) == c.b)
      ++n;
  }
  return n;
}

}  // namespace

TEST_SUITE("cli/moderation") {
  TEST_CASE("queue filters by site verdict text author e-mail IP domain and score") {
    Site s;
    const auto pills =
        s.Spam("Cheap pills at http://shop.pills.example/buy today",
               {{"comment_author_email", "Seller@Pills.example"}, {"user_ip", "203.0.113.9"}});
    const auto casino = s.Spam("Casino bonus www.casino.example free spins",
                               {{"blog", "http://other.example/"}, {"user_ip", "198.51.100.4"}});
    const auto cafe =
        s.Spam("Le café était très bon", {{"comment_author_url", "https://pills.example/me"}});
    CHECK(s.QueueIds({}).size() == 3);
    CHECK(s.QueueIds({"--site", "http://other.example"}) == std::vector<std::string>{casino});
    CHECK(s.QueueIds({"--text", "cafe TRES"}) == std::vector<std::string>{cafe});
    CHECK(s.QueueIds({"--text", "\"free spins\""}) == std::vector<std::string>{casino});
    CHECK(s.QueueIds({"--email", "seller@"}) == std::vector<std::string>{pills});
    CHECK(s.QueueIds({"--ip", "203.0.113.9"}) == std::vector<std::string>{pills});
    CHECK(s.QueueIds({"--ip", "198.51.*"}) == std::vector<std::string>{casino});
    // The domain matches links in the text and the author URL, subdomains included.
    auto by_domain = s.QueueIds({"--domain", "PILLS.example", "--order", "oldest"});
    CHECK(by_domain == std::vector<std::string>{pills, cafe});
    CHECK(s.QueueIds({"--domain", "ills.example"}).empty());
    CHECK(s.QueueIds({"--min-score", "0.5", "--author", "viagra"}).size() == 3);
    CHECK(s.QueueIds({"--verdict", "ham"}).empty());
    CHECK(s.QueueIds({"--since", "1d"}).size() == 3);
    CHECK(s.QueueIds({"--until", "2020-01-01"}).empty());
    // --filter is the same keys in one string.
    CHECK(s.QueueIds({"--filter", "text=\"free spins\" site=http://other.example/"}) ==
          std::vector<std::string>{casino});

    // Paging: totals and pages.
    auto page = s.QueueJson({"--limit", "2", "--page", "2"});
    CHECK(page["total"] == 3);
    CHECK(page["offset"] == 2);
    CHECK(page["items"].size() == 1);
    auto text = Hamlet(s.db, {"queue", "--limit", "2"});
    REQUIRE(text.code == 0);
    CHECK(text.out.find("1-2 of 3 (next: --page 2)") != std::string::npos);

    for (const auto& bad :
         std::vector<std::vector<std::string>>{{"--verdict", "maybe"},
                                               {"--min-score", "2"},
                                               {"--since", "yesterday"},
                                               {"--text", "\"open"},
                                               {"--domain", "not a domain"},
                                               {"--order", "random"},
                                               {"--filter", "colour=red"},
                                               {"--filter", "text=a", "--text", "b"},
                                               {"--label", "x"},
                                               {"--unreviewed", "--label", "spam"}}) {
      std::vector<std::string> args = {"queue"};
      args.insert(args.end(), bad.begin(), bad.end());
      auto run = Hamlet(s.db, args);
      CAPTURE(bad[0]);
      CHECK(run.code == 2);
      CHECK_FALSE(run.err.empty());
    }
  }

  TEST_CASE("mark-spam --dry-run changes nothing - applied it is one action that undo reverts") {
    Site s;
    const auto a = s.Spam("http://pills.example one");
    const auto b = s.Spam("http://pills.example two");
    const auto c = s.Spam("unrelated text");
    REQUIRE(Hamlet(s.db, {"mark-spam", a, "--moderator", "carol"}).code == 0);  // an earlier label

    auto dry = Hamlet(s.db, {"mark-ham", "--filter", "domain=pills.example", "--dry-run",
                             "--moderator", "alice"});
    REQUIRE_MESSAGE(dry.code == 0, dry.err);
    CHECK(dry.out.find("Dry run: would mark 2 decision(s) as ham") != std::string::npos);
    CHECK(dry.out.find(a) != std::string::npos);
    CHECK(dry.out.find("Nothing was changed") != std::string::npos);
    CHECK(s.Show(a)["feedback"] == "spam");
    CHECK(s.Show(b)["feedback"].is_null());
    auto dry_json = json::parse(
        Hamlet(s.db, {"mark-ham", "--domain", "pills.example", "--dry-run", "--json"}).out);
    CHECK(dry_json["to_change"].size() == 2);
    CHECK(dry_json["dry_run"] == true);
    CHECK(json::parse(Hamlet(s.db, {"undo", "--list", "--anyone", "--json"}).out).size() == 1);

    auto applied =
        Hamlet(s.db, {"mark-ham", "--filter", "domain=pills.example", "--moderator", "alice"});
    REQUIRE(applied.code == 0);
    CHECK(applied.out.find("Marked 2 decision(s) as ham") != std::string::npos);
    CHECK(s.Show(a)["feedback"] == "ham");
    CHECK(s.Show(b)["feedback"] == "ham");
    CHECK(s.Show(c)["feedback"].is_null());
    auto shown = s.Show(a);
    REQUIRE(shown["actions"].size() == 2);
    CHECK(shown["actions"][1]["moderator"] == "alice");
    CHECK(shown["actions"][1]["selection"] == "domain=pills.example");

    // Another moderator's undo does not touch alice's action.
    CHECK(Hamlet(s.db, {"undo", "--moderator", "dave"}).code == 3);
    auto undone = Hamlet(s.db, {"undo", "--moderator", "alice"});
    REQUIRE(undone.code == 0);
    CHECK(undone.out.find("Undid action") != std::string::npos);
    CHECK(undone.out.find("ham on 2 decision(s)") != std::string::npos);
    CHECK(s.Show(a)["feedback"] == "spam");  // carol's label is back
    CHECK(s.Show(b)["feedback"].is_null());
    auto history = s.Show(a)["history"];
    REQUIRE(history.size() == 2);
    CHECK_FALSE(history[1]["revoked"].is_null());
    auto text = Hamlet(s.db, {"show", a});
    CHECK(text.out.find("[undone ") != std::string::npos);
    CHECK(text.out.find("label in force: spam") != std::string::npos);
    CHECK(Hamlet(s.db, {"undo", "--moderator", "alice"}).code == 3);  // nothing left of alice's
  }

  TEST_CASE("mark needs ids or a filter not both and caps what a filter may select") {
    Site s;
    const auto a = s.Spam("one");
    s.Spam("two");
    CHECK(Hamlet(s.db, {"mark-spam"}).code == 2);
    CHECK(Hamlet(s.db, {"mark-spam", a, "--text", "one"}).code == 2);
    CHECK(Hamlet(s.db, {"mark-spam", "ffffffffffffffffffffffffffffffff"}).code == 3);
    auto capped =
        Hamlet(s.db, {"mark-spam", "--verdict", "any", "--author", "viagra", "--max-items", "1"});
    CHECK(capped.code == 2);
    CHECK(capped.err.find("more than 1") != std::string::npos);
    auto json_out = json::parse(Hamlet(s.db, {"mark-spam", a, "--json", "--moderator", "al"}).out);
    CHECK(json_out["action"]["items"] == 1);
    auto again = Hamlet(s.db, {"mark-spam", a, "--moderator", "al"});
    CHECK(again.out.find("Nothing to change") != std::string::npos);
  }

  TEST_CASE("review in line mode judges skips undoes and records verdicts as actions") {
    Site s;
    const auto first = s.Spam("first comment http://a.example");
    const auto second = s.Spam("second comment");
    const auto third = s.Spam("third comment");
    // Newest first: third, second, first. s spam, h ham, u (takes back the ham), n skip,
    // d details, then s spam, q.
    auto run = Hamlet(s.db, {"review", "--order", "newest", "--moderator", "rita"},
                      "s\nh\nu\nn\nd\nx\ns\nq\n");
    REQUIRE_MESSAGE(run.code == 0, run.err);
    CHECK(run.out.find("[1 of 3") != std::string::npos);
    CHECK(run.out.find("Undid the ham verdict") != std::string::npos);
    CHECK(run.out.find("Unknown key") != std::string::npos);
    CHECK(run.out.find("Submitted fields") != std::string::npos);  // d
    CHECK(run.out.find("Reviewed 3 of 3: spam 2, ham 0, skipped 1 (moderator rita).") !=
          std::string::npos);
    CHECK(s.Show(third)["feedback"] == "spam");
    CHECK(s.Show(second)["feedback"].is_null());
    CHECK(s.Show(first)["feedback"] == "spam");
    auto actions =
        json::parse(Hamlet(s.db, {"undo", "--list", "--moderator", "rita", "--json"}).out);
    REQUIRE(actions.size() == 3);  // spam, ham (undone), spam
    CHECK(actions[1]["label"] == "ham");
    CHECK_FALSE(actions[1]["undone"].is_null());
    CHECK(actions[0]["origin"] == "review");

    // The queue now holds only the skipped one; end of input stops cleanly.
    auto again = Hamlet(s.db, {"review", "--moderator", "rita"}, "");
    CHECK(again.code == 0);
    CHECK(again.out.find("[1 of 1") != std::string::npos);
    CHECK(again.out.find("Reviewed 0 of 1") != std::string::npos);
    auto empty = Hamlet(s.db, {"review", "--site", "http://nowhere.example/"}, "q\n");
    CHECK(empty.out.find("Nothing to review") != std::string::npos);
  }

  TEST_CASE("stats - volumes per day moderators' verdict on the filter reasons domains sites") {
    Site s;
    std::ostringstream file;
    file << ExportLine(Id(1), "spam", "spam", kT0, "buy at http://pills.example") << "\n"
         << ExportLine(Id(2), "ham", "spam", kT0, "honest http://pills.example link") << "\n"
         << ExportLine(Id(3), "spam", "ham", kT0 + 2 * kDay, "missed http://casino.example",
                       "http://other.example/")
         << "\n"
         << ExportLine(Id(4), "ham", "ham", kT0 + 2 * kDay, "fine") << "\n";
    REQUIRE(Hamlet(s.db, {"import", "-"}, file.str()).code == 0);
    const std::vector<std::string> period = {"--since", "2023-11-14", "--until", "2023-11-20"};
    auto args = std::vector<std::string>{"stats", "--json"};
    args.insert(args.end(), period.begin(), period.end());
    auto run = Hamlet(s.db, args);
    REQUIRE_MESSAGE(run.code == 0, run.err);
    auto j = json::parse(run.out);
    CHECK(j["totals"]["total"] == 4);
    REQUIRE(j["days"].size() == 3);
    CHECK(j["days"][0]["spam"] == 2);
    CHECK(j["days"][1]["total"] == 0);
    CHECK(j["days"][2]["ham"] == 2);
    CHECK(j["judged"]["false_positives"] == 1);
    CHECK(j["judged"]["spam_precision"] == 0.5);
    CHECK(j["judged"]["missed_spam"] == 1);
    CHECK(j["top_reasons"][0]["check"] == "model");
    CHECK(j["top_domains"][0]["domain"] == "pills.example");
    CHECK(j["top_domains"][0]["decisions"] == 2);
    CHECK(j["sites"].size() == 2);

    auto text_args = std::vector<std::string>{"stats"};
    text_args.insert(text_args.end(), period.begin(), period.end());
    auto text = Hamlet(s.db, text_args);
    REQUIRE(text.code == 0);
    CHECK(text.out.find("2023-11-14      0     2     0    0  ") != std::string::npos);
    CHECK(text.out.find("1 false positives   precision 50.0%") != std::string::npos);
    CHECK(text.out.find("pills.example") != std::string::npos);

    const auto png_path = s.dir.File("chart.png");
    auto png_args = text_args;
    png_args.insert(png_args.end(), {"--png", png_path});
    REQUIRE(Hamlet(s.db, png_args).code == 0);
    const auto png = DecodePng(testing::ReadFile(png_path));
    CHECK(png.width == 960);
    CHECK(png.height == 480);
    CHECK(CountColor(png, cli::kSpamColor) > 1000);    // day 1's bar (and the legend)
    CHECK(CountColor(png, cli::kHamColor) > 1000);     // day 3's bar
    CHECK(CountColor(png, cli::kDiscardColor) < 200);  // the legend only: no discards
    auto unwritable = png_args;
    unwritable.back() = s.dir.File("no/such/dir/chart.png");
    CHECK(Hamlet(s.db, unwritable).code == 2);
    CHECK(Hamlet(s.db, {"stats", "--since", "soon"}).code == 2);
  }

  TEST_CASE("export then import round-trips - a second import changes nothing - train reads it") {
    Site s;
    std::ostringstream file;
    for (int i = 1; i <= 30; ++i) {
      const bool spam = i % 2 == 0;
      file << ExportLine(Id(i), spam ? "spam" : "ham", spam ? "spam" : "ham", kT0 + i,
                         spam ? "buy cheap pills casino " + std::to_string(i)
                              : "thanks for the article number " + std::to_string(i))
           << "\n";
    }
    auto imported = Hamlet(s.db, {"import", "-", "--json"}, file.str());
    REQUIRE_MESSAGE(imported.code == 0, imported.err);
    CHECK(json::parse(imported.out)["created"] == 30);
    s.Spam("not labeled, not exported");

    const auto out = s.dir.File("export.jsonl");
    auto exported = Hamlet(s.db, {"export", "--out", out});
    REQUIRE_MESSAGE(exported.code == 0, exported.err);
    CHECK(exported.err.find("exported 30 labeled decision(s)") != std::string::npos);
    const std::string text = testing::ReadFile(out);
    CHECK(std::count(text.begin(), text.end(), '\n') == 30);

    testing::TempDir other;
    const auto db2 = other.File("moved.db");
    REQUIRE(Hamlet(db2, {"keys", "create", "--site", "http://blog.example/"}).code == 0);
    CHECK(Hamlet(db2, {"import", out, "--dry-run"}).out.find("would import 30 line(s): 30 new") !=
          std::string::npos);
    auto first = Hamlet(db2, {"import", out, "--key-id", "1"});
    REQUIRE_MESSAGE(first.code == 0, first.err);
    CHECK(first.out.find("30 new decision(s), 0 relabeled, 0 already there") != std::string::npos);
    auto second = Hamlet(db2, {"import", out, "--key-id", "1", "--json"});
    REQUIRE(second.code == 0);
    CHECK(json::parse(second.out)["created"] == 0);
    CHECK(json::parse(second.out)["unchanged"] == 30);
    // No duplicates: still 30 decisions and 30 labels, each as exported.
    auto all =
        json::parse(Hamlet(db2, {"queue", "--verdict", "any", "--limit", "100", "--json"}).out);
    CHECK(all["total"] == 30);
    auto moved = json::parse(Hamlet(db2, {"show", Id(2), "--json"}).out);
    CHECK(moved["feedback"] == "spam");
    CHECK(moved["history"].size() == 1);
    CHECK(moved["key_id"] == 1);
    // Exported again from the new installation: the same lines but for the label's source.
    const auto out2 = other.File("again.jsonl");
    REQUIRE(Hamlet(db2, {"export", "--out", out2}).code == 0);
    CHECK(testing::ReadFile(out2).size() > text.size() / 2);

    auto trained = Hamlet(
        db2, {"train", "--data", out, "--out", other.File("m.ftz"), "--epoch", "5", "--dim", "8"});
    CAPTURE(trained.err);
    CHECK(trained.code == 0);
    CHECK(trained.out.find("examples 30 (15 spam, 15 ham)") != std::string::npos);

    CHECK(Hamlet(db2, {"import", other.File("missing.jsonl")}).code == 3);
    auto corpus = Hamlet(db2, {"import", "-"},
                         "{\"id\":\"x\",\"label\":\"spam\",\"comment_content\":\"c\"}\n");
    CHECK(corpus.code == 2);
    CHECK(corpus.err.find("stdin:1:") != std::string::npos);
    // An unknown key refuses the import, writing nothing.
    const auto db3 = other.File("third.db");
    auto unknown_key = Hamlet(db3, {"import", out, "--key-id", "99"});
    CHECK(unknown_key.code == 2);
    CHECK(json::parse(Hamlet(db3, {"queue", "--verdict", "any", "--json"}).out)["total"] == 0);
  }

  TEST_CASE("purge blanks personal fields of old decisions and keeps the counts") {
    Site s;
    std::ostringstream file;
    file << ExportLine(Id(1), "ham", "spam", kT0, "old personal text") << "\n";
    REQUIRE(Hamlet(s.db, {"import", "-"}, file.str()).code == 0);
    const auto recent = s.Spam("recent personal text");
    auto dry = Hamlet(s.db, {"purge", "--older-than", "30d", "--dry-run", "--json"});
    REQUIRE(dry.code == 0);
    CHECK(json::parse(dry.out)["decisions"] == 1);
    CHECK(s.Show(Id(1))["purged"].is_null());
    auto purged = Hamlet(s.db, {"purge", "--older-than", "30d"});
    REQUIRE(purged.code == 0);
    CHECK(purged.out.find("Blanked the personal fields of 1 decision(s)") != std::string::npos);
    auto old = s.Show(Id(1));
    CHECK_FALSE(old["purged"].is_null());
    CHECK(old["fields"].empty());
    CHECK(old["feedback"] == "ham");
    CHECK(Hamlet(s.db, {"show", Id(1)}).out.find("Purged") != std::string::npos);
    CHECK(s.Show(recent)["purged"].is_null());
    auto stats = json::parse(Hamlet(s.db, {"stats", "--since", "all", "--json"}).out);
    CHECK(stats["totals"]["total"] == 2);
    CHECK(stats["judged"]["false_positives"] == 1);
    CHECK(Hamlet(s.db, {"purge", "--older-than", "30"}).code == 2);
    CHECK(Hamlet(s.db, {"purge"}).code == 2);
  }

  TEST_CASE("purge --delete-older-than deletes old decisions and stats count them as before") {
    Site s;
    std::ostringstream file;
    file << ExportLine(Id(1), "ham", "spam", kT0, "old text") << "\n"
         << ExportLine(Id(2), "spam", "spam", kT0 + 1, "old text two") << "\n";
    REQUIRE(Hamlet(s.db, {"import", "-"}, file.str()).code == 0);
    const auto recent = s.Spam("recent text");
    // The newest feedback row stays (SQLite would hand its id out again): label the recent
    // decision so that the old ones hold none of the newest rows.
    REQUIRE(Hamlet(s.db, {"mark-spam", recent, "--moderator", "carol"}).code == 0);
    const auto before = json::parse(Hamlet(s.db, {"stats", "--since", "all", "--json"}).out);
    auto dry = Hamlet(s.db, {"purge", "--delete-older-than", "30d", "--dry-run", "--json"});
    REQUIRE(dry.code == 0);
    CHECK(json::parse(dry.out)["deleted"]["decisions"] == 2);
    CHECK(s.Show(Id(1))["id"] == Id(1));
    auto deleted = Hamlet(s.db, {"purge", "--delete-older-than", "30d"});
    REQUIRE_MESSAGE(deleted.code == 0, deleted.err);
    CHECK(deleted.out.find("Deleted 2 decision(s)") != std::string::npos);
    CHECK(deleted.out.find("2 feedback row(s)") != std::string::npos);
    auto gone = Hamlet(s.db, {"show", Id(1)});
    CHECK(gone.code == 3);
    CHECK(gone.err.find("deleted by retention") != std::string::npos);
    CHECK(s.QueueIds({"--verdict", "any"}) == std::vector<std::string>{recent});
    const auto after = json::parse(Hamlet(s.db, {"stats", "--since", "all", "--json"}).out);
    CHECK(after["totals"] == before["totals"]);
    CHECK(after["judged"] == before["judged"]);
    CHECK(after["days"] == before["days"]);
    CHECK(after["totals"]["total"] == 3);
    CHECK(after["judged"]["false_positives"] == 1);
    // Both at once, as JSON; nothing old is left.
    auto both =
        Hamlet(s.db, {"purge", "--older-than", "30d", "--delete-older-than", "30d", "--json"});
    REQUIRE(both.code == 0);
    CHECK(json::parse(both.out)["deleted"]["decisions"] == 0);
    CHECK(json::parse(both.out)["decisions"] == 0);
    CHECK(Hamlet(s.db, {"purge", "--delete-older-than", "1d"}).code == 2);
    CHECK(Hamlet(s.db, {"purge", "--delete-older-than", "soon"}).code == 2);
  }

  TEST_CASE("every command's --help shows an example and exits 0") {
    testing::TempDir dir;
    for (const char* command :
         {"keys", "check", "queue", "show", "review", "mark-spam", "mark-ham", "undo", "stats",
          "export", "import", "purge", "train", "eval", "retrain", "replay"}) {
      CAPTURE(command);
      auto run = Hamlet(dir.File("h.db"), {command, "--help"});
      CHECK(run.code == 0);
      CHECK(run.out.find("Example") != std::string::npos);
    }
    auto top = Hamlet(dir.File("h.db"), {"--help"});
    CHECK(top.out.find("130 review interrupted") != std::string::npos);
  }

  TEST_CASE("escape sequences and bidi overrides in a comment never reach the output raw") {
    Site s;
    const std::string hostile =
        "Clear \x1b[2J\x1b]0;pwned title\x07 screen \xE2\x80\xAE"
        "desrever\xE2\x80\xAC "
        "http://evil\x1b[31m.example/\xE2\x81\xA6x and call +1 555 010 9999";
    const auto id = s.Spam(hostile, {{"blog", "http://blog\x1b[5m.example/"},
                                     {"comment_author_url", "http://a\xE2\x80\xAE.example"},
                                     {"x_field\x1b[1m", "value\x1b[7m"}});
    REQUIRE(Hamlet(s.db, {"mark-spam", id, "--moderator", "eve\x1b[31m"}).code == 0);
    std::vector<std::pair<std::string, testing::CliRun>> runs = {
        {"queue", Hamlet(s.db, {"queue", "--verdict", "any"})},
        {"show", Hamlet(s.db, {"show", id})},
        {"stats", Hamlet(s.db, {"stats"})},
        {"review", Hamlet(s.db, {"review", "--label", "any"}, "d\nq\n")},
        {"undo --list", Hamlet(s.db, {"undo", "--list", "--anyone"})},
        {"mark dry run", Hamlet(s.db, {"mark-ham", "--text", "screen", "--dry-run"})},
    };
    for (const auto& [name, run] : runs) {
      CAPTURE(name);
      CHECK(run.code == 0);
      CHECK_FALSE(HasRawControls(run.out));
      CHECK_FALSE(HasRawControls(run.err));
    }
    // What is left is readable.
    CHECK(runs[1].second.out.find("pwned title") == std::string::npos);  // inside an OSC: gone
    CHECK(runs[1].second.out.find("desrever") != std::string::npos);
    CHECK(runs[3].second.out.find("call") != std::string::npos);
  }
}

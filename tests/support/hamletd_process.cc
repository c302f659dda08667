// Starting, probing and stopping the real hamletd for end-to-end tests.
#include "support/hamletd_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include <doctest/doctest.h>
#include <httplib.h>

#include "support/files.h"
#include "support/model_files.h"
#include "support/text_lines.h"
#include "support/tiny_model.h"

namespace hamlet::testing {
namespace {

using Clock = std::chrono::steady_clock;

// fork + exec with stdin from /dev/null and stdout/stderr to the given files.
pid_t Spawn(const std::vector<std::string>& argv, const std::string& out_path,
            const std::string& err_path) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid != 0) return pid;
  const int in = ::open("/dev/null", O_RDONLY);
  const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  if (in < 0 || out < 0 || err < 0) ::_exit(127);
  ::dup2(in, 0);
  ::dup2(out, 1);
  ::dup2(err, 2);
  ::execv(args[0], args.data());
  ::_exit(127);
}

// Exit code of a finished child, -1 when it died by a signal.
int ExitCodeOf(int wstatus) { return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1; }

}  // namespace

int FreeLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

std::string HamletdBinary() { return std::string(HAMLET_BINARY_DIR) + "/hamletd"; }
std::string HamletBinary() { return std::string(HAMLET_BINARY_DIR) + "/hamlet"; }

std::string E2eModelPath() {
  const std::string shipped = ShippedModelPath();
  if (std::filesystem::exists(shipped)) return shipped;
  return TinyModelPath();
}

CommandResult RunCommand(const std::vector<std::string>& argv) {
  TempDir tmp;
  const std::string out = tmp.File("out"), err = tmp.File("err");
  CommandResult result;
  const pid_t pid = Spawn(argv, out, err);
  if (pid < 0) return result;
  int wstatus = 0;
  while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = ExitCodeOf(wstatus);
  result.out = ReadFile(out);
  result.err = ReadFile(err);
  return result;
}

HamletdProcess::HamletdProcess() : HamletdProcess(Options{}) {}

HamletdProcess::HamletdProcess(Options options) : options_(std::move(options)) {
  db_ = options_.db_path.empty() ? dir_.File("hamlet.db") : options_.db_path;
  log_ = dir_.File("hamletd.log");
  if (options_.model_path.empty()) options_.model_path = E2eModelPath();
  if (options_.create_key) {
    const CommandResult made = Hamlet({"keys", "create", "--site", "http://example.test/"});
    REQUIRE_MESSAGE(made.exit_code == 0, "hamlet keys create failed: " << made.err);
    key_ = LastLine(made.out);
    REQUIRE_MESSAGE(key_.size() == 12, "unexpected key line: '" << key_ << "'");
  }
  Start();
}

void HamletdProcess::Start() {
  std::string why;
  // The free port can be taken between probing and binding: then hamletd exits; try again.
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (StartOnce(options_, why)) return;
  }
  FAIL("hamletd did not come up: " << why << "\n--- hamletd log ---\n" << Log());
}

void HamletdProcess::Restart() {
  Stop();
  Start();
}

namespace {

// --store for a PostgreSQL URL, --db for a SQLite file.
std::string DatabaseFlag(const std::string& db) {
  return db.rfind("postgresql://", 0) == 0 ? "--store" : "--db";
}

}  // namespace

bool HamletdProcess::StartOnce(const Options& options, std::string& why) {
  port_ = FreeLoopbackPort();
  std::vector<std::string> argv = {HamletdBinary(),
                                   DatabaseFlag(db_),
                                   db_,
                                   "--listen",
                                   host_ + ":" + std::to_string(port_),
                                   "--model",
                                   options.model_path,
                                   "--log-level",
                                   options.log_level};
  argv.insert(argv.end(), options.extra_args.begin(), options.extra_args.end());
  pid_ = Spawn(argv, dir_.File("hamletd.out"), log_);
  if (pid_ < 0) {
    why = "fork failed";
    return false;
  }
  httplib::Client client(host_, port_);
  client.set_connection_timeout(std::chrono::milliseconds(200));
  client.set_read_timeout(std::chrono::seconds(2));
  const auto deadline = Clock::now() + std::chrono::seconds(15);
  while (Clock::now() < deadline) {
    int wstatus = 0;
    if (::waitpid(pid_, &wstatus, WNOHANG) == pid_) {
      why = "hamletd exited with code " + std::to_string(ExitCodeOf(wstatus));
      pid_ = -1;
      return false;
    }
    if (auto res = client.Get("/healthz"); res && res->status == 200) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // poll interval, not a sync
  }
  why = "no 200 from /healthz within 15 s";
  Stop();
  return false;
}

HamletdProcess::~HamletdProcess() { Stop(); }

int HamletdProcess::Stop() {
  Terminate();
  return Wait(5);
}

void HamletdProcess::Terminate() const {
  if (pid_ > 0) ::kill(pid_, SIGTERM);
}

int HamletdProcess::Wait(int seconds) {
  if (pid_ <= 0) return -1;
  const pid_t pid = pid_;
  pid_ = -1;
  const auto deadline = Clock::now() + std::chrono::seconds(seconds);
  int wstatus = 0;
  int code = -1;
  bool exited = false;
  while (Clock::now() < deadline) {
    const pid_t r = ::waitpid(pid, &wstatus, WNOHANG);
    if (r == pid) {
      code = ExitCodeOf(wstatus);
      exited = true;
      break;
    }
    if (r < 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!exited) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &wstatus, 0);
  }
  CheckLogForSanitizerReports();
  return code;
}

void HamletdProcess::CheckLogForSanitizerReports() const {
  // In a sanitizer build (scripts/sanitize.sh, scripts/tsan.sh) hamletd reports to its log.
  const std::string log = Log();
  for (const char* marker : {"WARNING: ThreadSanitizer", "ERROR: AddressSanitizer",
                             "ERROR: LeakSanitizer", "runtime error: "}) {
    const size_t at = log.find(marker);
    if (at == std::string::npos) continue;
    const size_t from = log.rfind('\n', at);
    FAIL_CHECK("hamletd's log holds a sanitizer report:\n"
               << log.substr(from == std::string::npos ? 0 : from, 6000));
    return;
  }
}

std::string HamletdProcess::Log() const { return ReadFile(log_); }

CommandResult HamletdProcess::Hamlet(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {HamletBinary(), DatabaseFlag(db_), db_};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv);
}

std::string HamletdProcess::ShowJson(const std::string& decision_id) const {
  const CommandResult r = Hamlet({"show", decision_id, "--json"});
  return r.exit_code == 0 ? r.out : std::string();
}

std::string RawHttp(const std::string& host, int port, const std::string& request, int timeout_ms) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return "";
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, host.c_str(), &addr.sin_addr);
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string response;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(request.size())) {
    char buf[4096];
    ssize_t n;
    while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) response.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return response;
}

}  // namespace hamlet::testing

// Writing the balancer's nginx config, starting nginx in the foreground (`daemon off`, one
// process, so it needs no `user` switch and runs the same as root or not) and stopping it.
#include "support/nginx_balancer.h"

#include <fcntl.h>
#include <httplib.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "support/files.h"
#include "support/hamletd_process.h"

namespace hamlet::testing {
namespace {

using Clock = std::chrono::steady_clock;

bool Executable(const std::string& path) { return ::access(path.c_str(), X_OK) == 0; }

// The last `n` lines of `text`, for a failure message.
std::string Tail(const std::string& text, int n) {
  size_t pos = text.size();
  while (n-- > 0 && pos > 0) {
    const size_t nl = text.rfind('\n', pos - 1);
    if (nl == std::string::npos) return text;
    pos = nl;
  }
  return text.substr(pos);
}

}  // namespace

std::string FindNginx() {
  if (const char* env = std::getenv("HAMLET_NGINX"); env != nullptr && *env != '\0') {
    return Executable(env) ? env : "";
  }
  if (Executable("/usr/sbin/nginx")) return "/usr/sbin/nginx";
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "";
  size_t start = 0;
  while (start <= dirs.size()) {
    const size_t end = std::min(dirs.find(':', start), dirs.size());
    const std::string candidate = dirs.substr(start, end - start) + "/nginx";
    if (end > start && Executable(candidate)) return candidate;
    start = end + 1;
  }
  return "";
}

std::string NginxUnavailableMessage() {
  return "nginx not found (set $HAMLET_NGINX or install Debian's nginx: bash "
         "scripts/install-deps.sh --test)";
}

std::string NginxBalancerConfig(const std::string& dir, int port,
                                const std::vector<int>& node_ports) {
  std::string upstream;
  for (int p : node_ports) upstream += "    server 127.0.0.1:" + std::to_string(p) + ";\n";
  // Every path nginx writes is under `dir`, so nothing of the system's nginx is touched.
  return "daemon off;\n"
         "master_process off;\n"
         "pid " +
         dir +
         "/nginx.pid;\n"
         "error_log " +
         dir +
         "/error.log warn;\n"
         "events { worker_connections 1024; }\n"
         "http {\n"
         "  access_log off;\n"
         "  client_body_temp_path " +
         dir +
         "/client_body;\n"
         "  proxy_temp_path " +
         dir +
         "/proxy;\n"
         "  fastcgi_temp_path " +
         dir +
         "/fastcgi;\n"
         "  uwsgi_temp_path " +
         dir +
         "/uwsgi;\n"
         "  scgi_temp_path " +
         dir +
         "/scgi;\n"
         "  upstream hamlet_nodes {\n" +
         upstream +
         "    keepalive 32;\n"
         // Below hamletd's --keep-alive-timeout (2 s): nginx closes an idle connection before
         // the node does, so it never sends a check on a connection the node is closing.
         "    keepalive_timeout 1s;\n"
         "  }\n"
         "  server {\n"
         "    listen 127.0.0.1:" +
         std::to_string(port) +
         ";\n"
         "    location / {\n"
         "      include " HAMLET_SOURCE_DIR
         "/contrib/nginx/hamlet-proxy.conf;\n"
         "    }\n"
         "  }\n"
         "}\n";
}

NginxBalancer::NginxBalancer(const std::vector<int>& node_ports) {
  // The free port can be taken between probing and binding: then nginx exits; try again.
  for (int attempt = 0; attempt < 3 && !Start(node_ports); ++attempt) {
  }
}

NginxBalancer::~NginxBalancer() { Stop(); }

std::string NginxBalancer::ErrorLog() const { return ReadFile(dir_.File("error.log")); }

bool NginxBalancer::Start(const std::vector<int>& node_ports) {
  const std::string nginx = FindNginx();
  if (nginx.empty()) {
    why_ = NginxUnavailableMessage();
    return false;
  }
  port_ = FreeLoopbackPort();
  {
    std::ofstream out(ConfigPath(), std::ios::trunc);
    out << NginxBalancerConfig(dir_.path(), port_, node_ports);
  }
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    why_ = "fork failed";
    return false;
  }
  if (pid == 0) {
    // nginx goes when the test process goes, however it ends.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(1);
    const int in = ::open("/dev/null", O_RDONLY);
    const int log = ::open(dir_.File("nginx.out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (in < 0 || log < 0) ::_exit(127);
    ::dup2(in, 0);
    ::dup2(log, 1);
    ::dup2(log, 2);
    // -e: the error log before the config is read (else /var/log/nginx/error.log).
    ::execl(nginx.c_str(), nginx.c_str(), "-p", dir_.path().c_str(), "-c", ConfigPath().c_str(),
            "-e", dir_.File("error.log").c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  pid_ = pid;
  httplib::Client client(host_, port_);
  client.set_connection_timeout(std::chrono::milliseconds(200));
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (Clock::now() < deadline) {
    int wstatus = 0;
    if (::waitpid(pid_, &wstatus, WNOHANG) == pid_) {
      pid_ = -1;
      why_ = "nginx exited at start: " + Tail(ErrorLog() + ReadFile(dir_.File("nginx.out")), 5);
      return false;
    }
    // Any answer will do (the nodes may answer or not): nginx is listening.
    if (client.Get("/healthz")) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // poll interval, not a sync
  }
  why_ = "nginx did not accept connections within 10 s: " + Tail(ErrorLog(), 5);
  Stop();
  return false;
}

void NginxBalancer::Stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGQUIT);
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  int wstatus = 0;
  while (Clock::now() < deadline) {
    if (::waitpid(pid_, &wstatus, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, &wstatus, 0);
  pid_ = -1;
}

}  // namespace hamlet::testing

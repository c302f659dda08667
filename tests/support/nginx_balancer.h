// NginxBalancer: Debian's nginx as the load balancer in front of several hamletd nodes, for the
// cluster tests. Writes a config into a temporary folder (one upstream of the nodes' loopback
// ports, keep-alive to them, the proxy settings of contrib/nginx/hamlet-proxy.conf), runs nginx
// in the foreground as a child with its own pid, log and temp paths, and stops it at the end.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace hamlet::testing {

// The nginx binary ($HAMLET_NGINX, else /usr/sbin/nginx, else `nginx` on PATH), or "" when
// there is none.
std::string FindNginx();
// The message to skip with when nginx is missing: names the package to install.
std::string NginxUnavailableMessage();

class NginxBalancer {
 public:
  // Starts nginx on a free loopback port in front of the nodes at 127.0.0.1:`node_ports` and
  // waits (up to 10 s) until it accepts connections. ok() tells whether it runs; why() says
  // why not (with the tail of nginx's error log).
  explicit NginxBalancer(const std::vector<int>& node_ports);
  // Stop().
  ~NginxBalancer();
  NginxBalancer(const NginxBalancer&) = delete;
  NginxBalancer& operator=(const NginxBalancer&) = delete;

  bool ok() const { return pid_ > 0; }
  const std::string& why() const { return why_; }
  int port() const { return port_; }
  const std::string& host() const { return host_; }
  // The config file it runs with, and its error log (for failure messages).
  std::string ConfigPath() const { return dir_.File("nginx.conf"); }
  std::string ErrorLog() const;

  // SIGQUIT (graceful: requests in flight are finished), up to 5 s, then SIGKILL.
  void Stop();

 private:
  bool Start(const std::vector<int>& node_ports);

  TempDir dir_;
  std::string host_ = "127.0.0.1";
  int port_ = 0;
  pid_t pid_ = -1;
  std::string why_;
};

// The config NginxBalancer writes: nginx in the foreground, one process, every path under
// `dir`, listening on 127.0.0.1:`port`, the nodes in `upstream hamlet_nodes` with keep-alive.
std::string NginxBalancerConfig(const std::string& dir, int port,
                                const std::vector<int>& node_ports);

}  // namespace hamlet::testing

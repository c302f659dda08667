// RawConnection: a TCP client for end-to-end tests that need what httplib::Client cannot do:
// send a request in pieces (slow clients, requests in flight during a stop), from another
// loopback source address, and read whatever comes back.
#pragma once

#include <string>

namespace hamlet::testing {

class RawConnection {
 public:
  // Connects to host:port, from `source_ip` when not empty (any 127.x.y.z works on Linux's
  // loopback, so a test can play several clients). connected() says whether it worked.
  RawConnection(const std::string& host, int port, const std::string& source_ip = "");
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return fd_ >= 0; }
  // Sends all of `data`; false when the peer is gone.
  bool Send(const std::string& data);
  // Reads one HTTP response (head and a Content-Length body), or until EOF or `timeout_ms`
  // pass without a byte. Returns what was read ("" when nothing came).
  std::string ReadResponse(int timeout_ms = 5000);
  // Reads until EOF or `timeout_ms` pass without a byte.
  std::string ReadToEnd(int timeout_ms = 5000);
  void Close();

 private:
  int fd_ = -1;
  std::string pending_;  // bytes read past the last response
};

// Parts of a raw HTTP response.
struct RawResponse {
  int status = 0;  // 0 when `text` holds no status line
  std::string head;
  std::string body;
  // The value of header `name` (case-insensitive), "" when absent.
  std::string Header(const std::string& name) const;
};
RawResponse ParseRawResponse(const std::string& text);

}  // namespace hamlet::testing

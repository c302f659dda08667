// ConnectionStream over a socket pair: finding the end of a request head across reads,
// buffered reads, and the deadline.
#include "http/connection_stream.h"

#include <doctest/doctest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

namespace hamlet::http {
namespace {

// Both ends of a connected stream socket pair, closed on destruction.
struct SocketPair {
  SocketPair() { REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0); }
  ~SocketPair() {
    ::close(fds[0]);
    ::close(fds[1]);
  }
  void Send(const std::string& s) const {
    REQUIRE(::send(fds[1], s.data(), s.size(), 0) == static_cast<ssize_t>(s.size()));
  }
  int fds[2] = {-1, -1};
};

std::string ReadAll(ConnectionStream& stream, size_t n) {
  std::string out;
  char c;
  while (out.size() < n && stream.read(&c, 1) == 1) out.push_back(c);
  return out;
}

}  // namespace

TEST_SUITE("http/connection_stream") {
  TEST_CASE("a head is complete only at its empty line, found across reads") {
    SocketPair p;
    ConnectionStream s(p.fds[0], "198.51.100.1", 4242, std::chrono::milliseconds(500));
    CHECK(s.FillNonBlocking() == ConnectionStream::Fill::kNone);
    p.Send("GET / HTTP/1.1\r\nHost: x\r");
    CHECK(s.FillNonBlocking() == ConnectionStream::Fill::kData);
    CHECK_FALSE(s.HasCompleteHead());
    p.Send("\n\r");
    CHECK(s.FillNonBlocking() == ConnectionStream::Fill::kData);
    CHECK_FALSE(s.HasCompleteHead());
    p.Send("\nBODY");
    CHECK(s.FillNonBlocking() == ConnectionStream::Fill::kData);
    CHECK(s.HasCompleteHead());
    CHECK(s.buffered() == 31);
    // The stream hands out exactly the buffered bytes, the body's first bytes included.
    CHECK(ReadAll(s, 31) == "GET / HTTP/1.1\r\nHost: x\r\n\r\nBODY");
    std::string ip;
    int port = 0;
    s.get_remote_ip_and_port(ip, port);
    CHECK(ip == "198.51.100.1");
    CHECK(port == 4242);
  }

  TEST_CASE("bare LF line ends end a head too, a lone CRLF pair does not") {
    SocketPair p;
    ConnectionStream s(p.fds[0], "", 0, std::chrono::milliseconds(500));
    p.Send("GET / HTTP/1.1\nHost: x\n\n");
    REQUIRE(s.FillNonBlocking() == ConnectionStream::Fill::kData);
    CHECK(s.HasCompleteHead());

    SocketPair q;
    ConnectionStream t(q.fds[0], "", 0, std::chrono::milliseconds(500));
    q.Send("GET / HTTP/1.1\r\nHost: x\r\n");
    REQUIRE(t.FillNonBlocking() == ConnectionStream::Fill::kData);
    CHECK_FALSE(t.HasCompleteHead());
  }

  TEST_CASE("the next pipelined head is found after the first was read") {
    SocketPair p;
    ConnectionStream s(p.fds[0], "", 0, std::chrono::milliseconds(500));
    const std::string first = "GET /a HTTP/1.1\r\n\r\n";
    p.Send(first + "GET /b HTTP/1.1\r\n");
    REQUIRE(s.FillNonBlocking() == ConnectionStream::Fill::kData);
    CHECK(s.HasCompleteHead());
    CHECK(ReadAll(s, first.size()) == first);
    CHECK_FALSE(s.HasCompleteHead());
    p.Send("\r\n");
    REQUIRE(s.FillNonBlocking() == ConnectionStream::Fill::kData);
    CHECK(s.HasCompleteHead());
  }

  TEST_CASE("reads fail at the deadline and say so, and at EOF") {
    SocketPair p;
    ConnectionStream s(p.fds[0], "", 0, std::chrono::milliseconds(2000));
    s.set_deadline(ConnectionStream::Clock::now() + std::chrono::milliseconds(50));
    char c;
    CHECK(s.read(&c, 1) == -1);
    CHECK(s.deadline_passed());
    s.clear_deadline_passed();
    s.set_deadline(ConnectionStream::Clock::time_point::max());
    p.Send("z");
    CHECK(s.read(&c, 1) == 1);
    CHECK(c == 'z');
    ::shutdown(p.fds[1], SHUT_WR);
    CHECK(s.read(&c, 1) == -1);
    CHECK_FALSE(s.deadline_passed());
    CHECK(s.FillNonBlocking() == ConnectionStream::Fill::kClosed);
  }
}

}  // namespace hamlet::http

// ConnectionStream: httplib's Stream over one accepted socket, with a read buffer that
// outlives a request. The connection manager reads a request head into the buffer before a
// worker thread is spent on it; httplib then parses it from the buffer. Reads and writes
// wait at most the I/O timeout each, and reads stop at the request's deadline.
#pragma once

#include <httplib.h>

#include <chrono>
#include <string>

namespace hamlet::http {

class ConnectionStream final : public httplib::Stream {
 public:
  using Clock = std::chrono::steady_clock;

  // `fd` is a connected socket; the stream does not own or close it.
  ConnectionStream(int fd, std::string peer_ip, int peer_port,
                   std::chrono::milliseconds io_timeout);

  // --- httplib::Stream
  bool is_readable() const override;
  bool is_writable() const override;
  // Buffered bytes first, then the socket. -1 on error, at EOF after the buffer, when no byte
  // arrives within the I/O timeout, or once the deadline has passed (deadline_passed() then).
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return fd_; }

  // --- for the connection manager
  enum class Fill { kData, kNone, kClosed };
  // Appends what the socket has now, without waiting: kData when bytes were added, kNone when
  // none were ready, kClosed at EOF or on an error.
  Fill FillNonBlocking();
  // The size of the request head at the start of the unread bytes, through the empty line
  // that ends it ("\n\r\n" or "\n\n"); 0 while that line has not arrived.
  size_t CompleteHeadSize();
  bool HasCompleteHead() { return CompleteHeadSize() > 0; }
  // Unread bytes in the buffer.
  size_t buffered() const { return buffer_.size() - read_pos_; }
  // Reads after `deadline` fail; Clock::time_point::max() for none.
  void set_deadline(Clock::time_point deadline) { deadline_ = deadline; }
  bool deadline_passed() const { return deadline_passed_; }
  void clear_deadline_passed() { deadline_passed_ = false; }
  // Writes all of `data` within the I/O timeout, best effort (for refusals the manager sends
  // itself).
  void WriteAll(std::string_view data);

 private:
  // Drops consumed bytes once the buffer is drained, so it does not grow across requests.
  void Compact();

  const int fd_;
  const std::string peer_ip_;
  const int peer_port_;
  const std::chrono::milliseconds io_timeout_;
  std::string buffer_;
  size_t read_pos_ = 0;
  size_t scanned_ = 0;  // HasCompleteHead has looked at buffer_[read_pos_, scanned_)
  Clock::time_point deadline_ = Clock::time_point::max();
  bool deadline_passed_ = false;
};

}  // namespace hamlet::http

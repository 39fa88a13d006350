#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace dossier::test {

/// A plain TCP connection for sending what no HTTP client library would (malformed heads,
/// bytes one at a time), optionally from another loopback address (127.0.0.2, ...) so a test
/// can play several clients. Not thread-safe; one per thread.
class RawConnection {
  public:
    /// Connects to 127.0.0.1:port from `source` (any port). Throws std::runtime_error.
    explicit RawConnection(std::uint16_t port, const std::string& source = "127.0.0.1");
    ~RawConnection();
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    /// Sends all of `bytes`; false when the server has closed or reset the connection.
    bool send(const std::string& bytes);
    /// Reads until the server closes the connection or `timeout` passes; `closed()` then
    /// says which. Bytes read are appended to received().
    const std::string& readUntilClosed(std::chrono::milliseconds timeout);
    /// Reads until `marker` appears in what was received (or closed / timeout).
    bool readUntil(const std::string& marker, std::chrono::milliseconds timeout);
    /// The server closed with a FIN (recv returned 0), not a reset.
    bool closedCleanly() const { return closed_ && !reset_; }
    bool closed() const { return closed_; }
    bool reset() const { return reset_; }
    const std::string& received() const { return received_; }
    /// The status code of the first response received; 0 before one arrived.
    int status() const;
    /// A header's value in the first response ("" if absent), name case-insensitive.
    std::string header(const std::string& name) const;
    /// The first response's body (after the blank line).
    std::string body() const;

  private:
    bool readSome(std::chrono::steady_clock::time_point until);

    int fd_ = -1;
    std::string received_;
    std::atomic<bool> closed_{false};  // read by a thread that only sends
    std::atomic<bool> reset_{false};
};

/// Milliseconds a `GET /healthz` on a new connection to 127.0.0.1:`port` takes; a gtest
/// failure when the answer is not 200.
long healthzMillis(std::uint16_t port);

}  // namespace dossier::test

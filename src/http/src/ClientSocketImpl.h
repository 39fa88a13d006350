#pragma once

#include <Poco/Net/StreamSocketImpl.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace dossier::http {

/// The server's end of one client connection, as Poco's HTTP streams read and write it.
///
/// Two things Poco's socket does not do:
/// - It first returns the bytes the listener already read past a request head (`preload`),
///   so a request whose head and body start arrived in one segment is read in order.
/// - While a request is served (`startRequest`), it holds the client to a minimum rate in
///   each direction: the time spent waiting for the client to send (or to take what is
///   sent) may not exceed `grace + bytes moved / minBytesPerSecond`. A breach throws
///   Poco::TimeoutException and sets deadlineMissed(). This is what cuts a body sent at one
///   byte a second, or a download read as slowly, without a watchdog thread.
///
/// Used by one thread at a time (the listener, then the worker serving the request);
/// deadlineMissed() may be read from any thread.
class ClientSocketImpl final : public Poco::Net::StreamSocketImpl {
  public:
    /// Takes ownership of the connected descriptor.
    explicit ClientSocketImpl(poco_socket_t fd);

    /// Bytes to hand out before reading the socket again (appended to any not yet taken).
    void preload(std::string bytes);
    /// Removes and returns what is left of the preloaded bytes.
    std::string takePreloaded();
    /// Starts the rate accounting of a new request. `minBytesPerSecond` 0 turns it off.
    void startRequest(std::chrono::milliseconds grace, std::uint64_t minBytesPerSecond);
    /// Stops the rate accounting (the request is served; the listener waits for the next).
    void stopRequest();
    /// Whether a read or write of the current request gave up on a too slow client.
    bool deadlineMissed() const { return deadlineMissed_.load(); }

    using Poco::Net::StreamSocketImpl::receiveBytes;
    using Poco::Net::StreamSocketImpl::sendBytes;
    int receiveBytes(void* buffer, int length, int flags = 0) override;
    /// Sends all `length` bytes (or throws), in pieces as the client takes them.
    int sendBytes(const void* buffer, int length, int flags = 0) override;

  protected:
    ~ClientSocketImpl() override = default;

  private:
    struct Direction {
        std::uint64_t bytes = 0;
        std::chrono::steady_clock::duration waited{};
    };
    /// Waits until the socket is ready for `events` within the direction's remaining
    /// budget; throws Poco::TimeoutException when it runs out.
    void await(short events, Direction& direction);

    std::string preloaded_;
    std::size_t preloadedOffset_ = 0;
    bool pacing_ = false;
    std::chrono::milliseconds grace_{0};
    std::uint64_t minRate_ = 0;
    Direction in_, out_;
    std::atomic<bool> deadlineMissed_{false};
};

}  // namespace dossier::http

#pragma once

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "ClientSocketImpl.h"
#include "ConnectionSession.h"
#include "RequestHead.h"
#include "dossier/core/Error.h"
#include "dossier/http/Server.h"

namespace dossier::http {

/// One client connection. Held by exactly one owner at a time: the listener thread while it
/// waits for (or reads) a request head, then a worker while the request is served.
struct ClientConnection {
    ClientConnection(int fd, Poco::Net::SocketAddress peer, HeadLimits limits);

    Poco::Net::StreamSocket socket;  // owns `impl`, closes the descriptor last
    ClientSocketImpl* impl;
    std::unique_ptr<ConnectionSession> session;
    Poco::Net::SocketAddress peer;
    Poco::Net::SocketAddress local;
    std::string address;  // the peer's IP, for the per-address caps
    std::string pending;  // received bytes of the next request head
    HeadScanner scanner;
    int served = 0;  // requests answered on this connection

    // Listener state.
    enum class State { Waiting, Lingering } state = State::Waiting;
    std::chrono::steady_clock::time_point deadline;
    bool headStarted = false;  // bytes of a head arrived: the header deadline runs
    bool counted = false;      // counts toward the connection caps
    bool keepOpen = false;     // set by the worker: serve the next request on it

    int fd() const { return socket.impl()->sockfd(); }
};

/// Accepts connections and reads request heads on one thread (epoll), so that a client
/// that connects and sends nothing, sends its head a byte at a time, or keeps an idle
/// keep-alive connection costs a descriptor, not a worker thread. Complete heads go to a
/// bounded queue served by a fixed set of worker threads, which hand the connection back
/// after the response. Enforces ServerOptions' idle and header deadlines, the connection
/// caps (total, per address), the queue bound and the per-address share of workers;
/// refusals are answered (a problem+json written by `refuse`) and the connection closed
/// after a short lingering read, so the client reads the answer instead of a reset.
///
/// start() binds and starts the threads; stop() stops accepting, lets requests being served
/// finish (up to `drain`), then closes everything. Not copyable.
class Listener {
  public:
    /// Serves one request whose head has been read. Runs on a worker thread. Returns
    /// whether the connection may carry another request. Exceptions close the connection.
    using Serve = std::function<bool(ClientConnection&, const RequestHead&)>;
    /// The whole response (status line, fields, problem+json body) refusing a request with
    /// `error`; `method` is empty when the head could not be read.
    using Refuse = std::function<std::string(const Error& error, const std::string& method,
                                             const ClientConnection& connection)>;

    Listener(const ServerOptions& options, Serve serve, Refuse refuse);
    ~Listener();
    Listener(const Listener&) = delete;
    Listener& operator=(const Listener&) = delete;

    /// Binds host:port (SO_REUSEADDR, never SO_REUSEPORT) and starts the threads. Throws
    /// Poco::Net::NetException when it cannot listen.
    void start();
    void stop(std::chrono::milliseconds drain);
    std::uint16_t port() const { return port_; }

  private:
    using Clock = std::chrono::steady_clock;
    struct Ready {
        std::unique_ptr<ClientConnection> connection;
        RequestHead head;
    };

    void listen();
    void work();
    void acceptAll();
    void onReadable(ClientConnection& c);
    void tryDispatch(ClientConnection& c);
    void refuse(ClientConnection& c, const Error& error, const std::string& method);
    void linger(ClientConnection& c);
    void close(ClientConnection& c);
    void sweep();
    void takeHandbacks();
    void handBack(std::unique_ptr<ClientConnection> c);
    void wake();
    bool eligible(const Ready& r) const;

    ServerOptions options_;
    HeadLimits limits_;
    Serve serve_;
    Refuse refuse_;
    std::uint16_t port_ = 0;
    int listenFd_ = -1;
    int epollFd_ = -1;
    int wakeFd_ = -1;
    std::atomic<bool> stopping_{false};
    std::atomic<bool> acceptStopped_{false};
    std::thread listener_;
    std::vector<std::thread> workers_;

    // Listener thread only.
    std::unordered_map<ClientConnection*, std::unique_ptr<ClientConnection>> held_;
    std::map<std::string, int> perAddress_;
    int open_ = 0;
    Clock::time_point lastSweep_;

    // Shared between the listener and the workers.
    std::mutex mutex_;
    std::condition_variable ready_;
    std::condition_variable idle_;
    std::deque<Ready> queue_;
    std::map<std::string, int> serving_;  // per address
    std::set<ClientConnection*> inService_;
    std::vector<std::unique_ptr<ClientConnection>> handbacks_;
};

}  // namespace dossier::http

#include "Listener.h"

#include <Poco/Logger.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "dossier/core/ErrorCodes.h"
#include "dossier/core/LogValue.h"

namespace dossier::http {
namespace {

// A refused connection is read and discarded for this long after its answer (so the client
// is not reset before it reads the answer), and at most this many linger at once.
constexpr std::chrono::milliseconds kLinger{2000};
constexpr std::size_t kMaxLingering = 1024;
constexpr std::size_t kReadChunk = 16384;

int listenTag;  // epoll data for the listening socket and the wake-up descriptor
int wakeTag;

Poco::Net::SocketAddress peerOf(const sockaddr_storage& ss, socklen_t len) {
    return Poco::Net::SocketAddress(reinterpret_cast<const sockaddr*>(&ss), len);
}

}  // namespace

ClientConnection::ClientConnection(int fd, Poco::Net::SocketAddress peerAddress, HeadLimits limits)
    : socket(new ClientSocketImpl(fd)),
      impl(static_cast<ClientSocketImpl*>(socket.impl())),
      session(std::make_unique<ConnectionSession>(socket)),
      peer(std::move(peerAddress)),
      address(peer.host().toString()),
      scanner(limits) {
    try {
        local = socket.address();
    } catch (const Poco::Exception&) {
    }
}

Listener::Listener(const ServerOptions& options, Serve serve, Refuse refuse)
    : options_(options),
      limits_{options.maxRequestLineBytes, options.maxHeaderFieldBytes, options.maxHeaderFields,
              options.maxHeaderBytes},
      serve_(std::move(serve)),
      refuse_(std::move(refuse)) {}

Listener::~Listener() { stop(std::chrono::milliseconds(0)); }

void Listener::start() {
    Poco::Net::ServerSocket socket;
    // SO_REUSEADDR so a restart binds despite TIME_WAIT; never SO_REUSEPORT (Poco's two-
    // argument bind sets both), with which a second server on the same port silently took
    // half of the connections instead of being refused.
    socket.bind(Poco::Net::SocketAddress(options_.host, options_.port), true, false);
    socket.listen(std::max(128, options_.maxQueued));
    port_ = socket.address().port();
    listenFd_ = ::dup(socket.impl()->sockfd());  // ours; `socket` closes its own copy
    if (listenFd_ < 0) throw Poco::Net::NetException("dup", std::strerror(errno));
    ::fcntl(listenFd_, F_SETFL, ::fcntl(listenFd_, F_GETFL) | O_NONBLOCK);
    epollFd_ = ::epoll_create1(EPOLL_CLOEXEC);
    wakeFd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (epollFd_ < 0 || wakeFd_ < 0) throw Poco::Net::NetException("epoll", std::strerror(errno));
    epoll_event e{};
    e.events = EPOLLIN;
    e.data.ptr = &listenTag;
    ::epoll_ctl(epollFd_, EPOLL_CTL_ADD, listenFd_, &e);
    e.data.ptr = &wakeTag;
    ::epoll_ctl(epollFd_, EPOLL_CTL_ADD, wakeFd_, &e);
    lastSweep_ = Clock::now();
    listener_ = std::thread([this] { listen(); });
    for (int i = 0; i < options_.maxThreads; ++i) workers_.emplace_back([this] { work(); });
}

void Listener::stop(std::chrono::milliseconds drain) {
    if (!listener_.joinable()) return;
    acceptStopped_ = true;
    wake();
    {
        // Requests being served (or already queued) finish; connections waiting for their
        // next request are closed when the listener stops below.
        std::unique_lock lock(mutex_);
        idle_.wait_for(lock, drain, [this] { return queue_.empty() && inService_.empty(); });
        stopping_ = true;
        queue_.clear();
        for (auto* c : inService_) ::shutdown(c->fd(), SHUT_RDWR);
    }
    ready_.notify_all();
    for (auto& t : workers_) t.join();
    workers_.clear();
    wake();
    listener_.join();
    held_.clear();
    handbacks_.clear();
    for (int* fd : {&listenFd_, &epollFd_, &wakeFd_}) {
        if (*fd >= 0) ::close(*fd);
        *fd = -1;
    }
}

void Listener::wake() {
    if (wakeFd_ < 0) return;
    std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(wakeFd_, &one, sizeof one);
}

void Listener::listen() {
    std::vector<epoll_event> events(256);
    bool accepting = true;
    while (!stopping_) {
        if (accepting && acceptStopped_) {
            ::epoll_ctl(epollFd_, EPOLL_CTL_DEL, listenFd_, nullptr);
            ::close(listenFd_);
            listenFd_ = -1;
            accepting = false;
        }
        int n = ::epoll_wait(epollFd_, events.data(), static_cast<int>(events.size()), 100);
        for (int i = 0; i < n; ++i) {
            void* tag = events[static_cast<std::size_t>(i)].data.ptr;
            if (tag == &listenTag) {
                if (accepting && !acceptStopped_) acceptAll();
            } else if (tag == &wakeTag) {
                std::uint64_t count;
                [[maybe_unused]] auto r = ::read(wakeFd_, &count, sizeof count);
                takeHandbacks();
            } else {
                auto* c = static_cast<ClientConnection*>(tag);
                if (held_.count(c) != 0) onReadable(*c);
            }
        }
        if (Clock::now() - lastSweep_ >= std::chrono::milliseconds(50)) sweep();
    }
}

void Listener::acceptAll() {
    for (;;) {
        sockaddr_storage ss{};
        socklen_t len = sizeof ss;
        int fd = ::accept4(listenFd_, reinterpret_cast<sockaddr*>(&ss), &len, SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) {
                // Out of descriptors: leave the rest in the backlog for the next round.
                Poco::Logger::get("dossier.http")
                    .warning("accept failed" + logField("detail", std::strerror(errno)));
            }
            return;
        }
        int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        std::unique_ptr<ClientConnection> c;
        try {
            c = std::make_unique<ClientConnection>(fd, peerOf(ss, len), limits_);
        } catch (const std::exception&) {
            ::close(fd);
            continue;
        }
        auto* raw = c.get();
        raw->deadline = Clock::now() + std::chrono::milliseconds(options_.idleTimeoutMillis);
        epoll_event e{};
        e.events = EPOLLIN;
        e.data.ptr = raw;
        if (::epoll_ctl(epollFd_, EPOLL_CTL_ADD, raw->fd(), &e) != 0) continue;
        held_.emplace(raw, std::move(c));
        if (open_ >= options_.maxConnections) {
            refuse(*raw,
                   Error(codes::kServerBusy,
                         "The server has as many connections as it "
                         "takes; retry in a moment."),
                   {});
            continue;
        }
        int& mine = perAddress_[raw->address];
        if (options_.maxConnectionsPerAddress > 0 && mine >= options_.maxConnectionsPerAddress) {
            refuse(*raw,
                   Error(codes::kClientTooManyConnections,
                         "Your address already has " + std::to_string(mine) +
                             " connections open; close some and retry."),
                   {});
            continue;
        }
        ++mine;
        ++open_;
        raw->counted = true;
    }
}

void Listener::onReadable(ClientConnection& c) {
    char buffer[kReadChunk];
    if (c.state == ClientConnection::State::Lingering) {
        for (;;) {
            ssize_t n = ::recv(c.fd(), buffer, sizeof buffer, MSG_DONTWAIT);
            if (n > 0) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
            close(c);  // the client closed too (or reset): done
            return;
        }
    }
    ssize_t n = ::recv(c.fd(), buffer, sizeof buffer, MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
    if (n <= 0) {
        close(c);  // closed between requests (or mid-head: nothing to answer)
        return;
    }
    if (!c.headStarted) {
        c.headStarted = true;
        c.deadline = Clock::now() + std::chrono::milliseconds(options_.headerTimeoutMillis);
    }
    c.pending.append(buffer, static_cast<std::size_t>(n));
    tryDispatch(c);
}

void Listener::tryDispatch(ClientConnection& c) {
    RequestHead head;
    std::string method;
    try {
        auto end = c.scanner.scan(c.pending);
        if (!end) return;
        std::string_view all(c.pending);
        head = parseRequestHead(all.substr(c.scanner.skipped(), *end - c.scanner.skipped()));
        c.impl->preload(c.pending.substr(*end));
        c.pending.clear();
    } catch (const Error& e) {
        refuse(c, e, {});
        return;
    }
    ::epoll_ctl(epollFd_, EPOLL_CTL_DEL, c.fd(), nullptr);
    auto owned = std::move(held_.at(&c));
    held_.erase(&c);
    {
        std::lock_guard lock(mutex_);
        if (static_cast<int>(queue_.size()) < options_.maxQueued && !stopping_) {
            queue_.push_back({std::move(owned), std::move(head)});
            ready_.notify_one();
            return;
        }
    }
    // Queue full: put it back and answer for it here.
    auto* raw = owned.get();
    epoll_event e{};
    e.events = EPOLLIN;
    e.data.ptr = raw;
    ::epoll_ctl(epollFd_, EPOLL_CTL_ADD, raw->fd(), &e);
    held_.emplace(raw, std::move(owned));
    refuse(*raw,
           Error(codes::kServerBusy,
                 "The server is serving as many requests as it queues; "
                 "retry in a moment."),
           head.method);
}

void Listener::refuse(ClientConnection& c, const Error& error, const std::string& method) {
    std::string response;
    try {
        response = refuse_(error, method, c);
    } catch (...) {
    }
    // Best effort and without blocking: an answer of a few hundred bytes fits the socket's
    // send buffer of a connection that has not been answered yet.
    if (!response.empty()) {
        [[maybe_unused]] auto n =
            ::send(c.fd(), response.data(), response.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    }
    linger(c);
}

void Listener::linger(ClientConnection& c) {
    std::size_t lingering = 0;
    for (const auto& [raw, owned] : held_) {
        if (raw->state == ClientConnection::State::Lingering) ++lingering;
    }
    ::shutdown(c.fd(), SHUT_WR);
    if (lingering >= kMaxLingering) {
        close(c);
        return;
    }
    c.state = ClientConnection::State::Lingering;
    c.deadline = Clock::now() + kLinger;
}

void Listener::close(ClientConnection& c) {
    ::epoll_ctl(epollFd_, EPOLL_CTL_DEL, c.fd(), nullptr);
    if (c.counted) {
        --open_;
        auto it = perAddress_.find(c.address);
        if (it != perAddress_.end() && --it->second <= 0) perAddress_.erase(it);
        c.counted = false;
    }
    held_.erase(&c);  // destroys it: the descriptor closes
}

void Listener::sweep() {
    auto now = Clock::now();
    lastSweep_ = now;
    std::vector<ClientConnection*> due;
    for (const auto& [raw, owned] : held_) {
        if (now >= raw->deadline) due.push_back(raw);
    }
    for (auto* c : due) {
        if (c->state == ClientConnection::State::Lingering || !c->headStarted) {
            close(*c);  // lingered long enough, or idle: closed without an answer
        } else {
            refuse(*c,
                   Error(codes::kRequestTimeout,
                         "The request head did not arrive within " +
                             std::to_string(options_.headerTimeoutMillis / 1000.0).substr(0, 4) +
                             " s."),
                   {});
        }
    }
}

void Listener::handBack(std::unique_ptr<ClientConnection> c) {
    {
        std::lock_guard lock(mutex_);
        handbacks_.push_back(std::move(c));
    }
    wake();
}

void Listener::takeHandbacks() {
    std::vector<std::unique_ptr<ClientConnection>> back;
    {
        std::lock_guard lock(mutex_);
        back.swap(handbacks_);
    }
    for (auto& owned : back) {
        auto* c = owned.get();
        epoll_event e{};
        e.events = EPOLLIN;
        e.data.ptr = c;
        if (::epoll_ctl(epollFd_, EPOLL_CTL_ADD, c->fd(), &e) != 0) {
            held_.emplace(c, std::move(owned));
            close(*c);
            continue;
        }
        held_.emplace(c, std::move(owned));
        if (!c->keepOpen || acceptStopped_) {
            linger(*c);
            continue;
        }
        c->scanner.reset();
        c->headStarted = !c->pending.empty();
        c->deadline =
            Clock::now() + std::chrono::milliseconds(c->headStarted ? options_.headerTimeoutMillis
                                                                    : options_.idleTimeoutMillis);
        if (c->headStarted) tryDispatch(*c);  // a pipelined request already arrived
    }
}

bool Listener::eligible(const Ready& r) const {
    if (options_.maxRequestsPerAddress <= 0) return true;
    auto it = serving_.find(r.connection->address);
    return it == serving_.end() || it->second < options_.maxRequestsPerAddress;
}

void Listener::work() {
    for (;;) {
        Ready job;
        {
            std::unique_lock lock(mutex_);
            std::deque<Ready>::iterator pick;
            ready_.wait(lock, [&] {
                if (stopping_) return true;
                pick = std::find_if(queue_.begin(), queue_.end(),
                                    [this](const Ready& r) { return eligible(r); });
                return pick != queue_.end();
            });
            if (stopping_) return;
            job = std::move(*pick);
            queue_.erase(pick);
            ++serving_[job.connection->address];
            inService_.insert(job.connection.get());
        }
        auto& c = *job.connection;
        bool keep = false;
        c.impl->startRequest(std::chrono::milliseconds(options_.bodyGraceMillis),
                             options_.minBytesPerSecond);
        try {
            keep = serve_(c, job.head);
        } catch (const std::exception& e) {
            Poco::Logger::get("dossier.http")
                .error("connection failed" + logField("detail", e.what()));
        } catch (...) {
        }
        c.impl->stopRequest();
        ++c.served;
        if (keep) {
            try {
                c.pending = c.session->takeBuffered() + c.impl->takePreloaded();
            } catch (...) {
                keep = false;
            }
        }
        c.keepOpen = keep;
        {
            std::lock_guard lock(mutex_);
            inService_.erase(&c);
            auto it = serving_.find(c.address);
            if (--it->second <= 0) serving_.erase(it);
            if (!queue_.empty()) ready_.notify_all();
            if (queue_.empty() && inService_.empty()) idle_.notify_all();
        }
        if (stopping_) continue;  // `job` closes it
        handBack(std::move(job.connection));
    }
}

}  // namespace dossier::http

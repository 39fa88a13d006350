#include "ClientSocketImpl.h"

#include <Poco/Exception.h>

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace dossier::http {

using Clock = std::chrono::steady_clock;

ClientSocketImpl::ClientSocketImpl(poco_socket_t fd) : Poco::Net::StreamSocketImpl(fd) {}

void ClientSocketImpl::preload(std::string bytes) {
    if (preloadedOffset_ == preloaded_.size()) {
        preloaded_ = std::move(bytes);
        preloadedOffset_ = 0;
    } else {
        preloaded_ += bytes;
    }
}

std::string ClientSocketImpl::takePreloaded() {
    std::string rest = preloaded_.substr(preloadedOffset_);
    preloaded_.clear();
    preloadedOffset_ = 0;
    return rest;
}

void ClientSocketImpl::startRequest(std::chrono::milliseconds grace,
                                    std::uint64_t minBytesPerSecond) {
    pacing_ = grace.count() > 0 || minBytesPerSecond > 0;
    grace_ = grace;
    minRate_ = minBytesPerSecond;
    in_ = {};
    out_ = {};
    deadlineMissed_ = false;
}

void ClientSocketImpl::stopRequest() { pacing_ = false; }

void ClientSocketImpl::await(short events, Direction& direction) {
    if (!pacing_) return;
    pollfd p{sockfd(), events, 0};
    // Ready already: reading or writing now costs the client nothing, however late it is.
    if (::poll(&p, 1, 0) > 0) return;
    auto allowed = std::chrono::duration_cast<Clock::duration>(grace_);
    if (minRate_ > 0) {
        allowed += std::chrono::duration_cast<Clock::duration>(
            std::chrono::duration<double>(double(direction.bytes) / double(minRate_)));
    }
    for (;;) {
        auto left = allowed - direction.waited;
        if (left <= Clock::duration::zero()) {
            deadlineMissed_ = true;
            throw Poco::TimeoutException(events == POLLIN ? "client sends too slowly"
                                                          : "client reads too slowly");
        }
        auto start = Clock::now();
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(left).count() + 1;
        int rc = ::poll(&p, 1, static_cast<int>(std::min<long long>(ms, 60'000)));
        direction.waited += Clock::now() - start;
        if (rc > 0) return;
        if (rc < 0 && errno != EINTR) error(errno);
    }
}

int ClientSocketImpl::receiveBytes(void* buffer, int length, int flags) {
    if (preloadedOffset_ < preloaded_.size() && length > 0) {
        auto n = std::min<std::size_t>(static_cast<std::size_t>(length),
                                       preloaded_.size() - preloadedOffset_);
        std::memcpy(buffer, preloaded_.data() + preloadedOffset_, n);
        preloadedOffset_ += n;
        in_.bytes += n;
        return static_cast<int>(n);
    }
    await(POLLIN, in_);
    int n = Poco::Net::StreamSocketImpl::receiveBytes(buffer, length, flags);
    if (n > 0) in_.bytes += static_cast<std::uint64_t>(n);
    return n;
}

int ClientSocketImpl::sendBytes(const void* buffer, int length, int flags) {
    if (!pacing_) return Poco::Net::StreamSocketImpl::sendBytes(buffer, length, flags);
    const char* p = static_cast<const char*>(buffer);
    int sent = 0;
    while (sent < length) {
        await(POLLOUT, out_);
        ssize_t n = ::send(sockfd(), p + sent, static_cast<std::size_t>(length - sent),
                           flags | MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) continue;
            error(errno);
        }
        sent += static_cast<int>(n);
        out_.bytes += static_cast<std::uint64_t>(n);
    }
    return sent;
}

}  // namespace dossier::http

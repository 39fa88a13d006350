#include "OutgoingResponse.h"

#include <Poco/CountingStream.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/Net/HTTPChunkedStream.h>
#include <Poco/Net/HTTPFixedLengthStream.h>
#include <Poco/Net/HTTPHeaderStream.h>
#include <Poco/Net/HTTPStream.h>
#include <Poco/StreamCopier.h>

namespace dossier::http {

OutgoingResponse::OutgoingResponse(Poco::Net::HTTPSession& session, bool headRequest)
    : session_(session), headRequest_(headRequest) {}

OutgoingResponse::~OutgoingResponse() {
    try {
        stream_.reset();  // flushes what is buffered; the client may be gone
    } catch (...) {
    }
}

bool OutgoingResponse::finish() {
    if (abandoned_) return false;
    if (!stream_) return true;
    stream_->flush();
    bool ok = stream_->good();
    try {
        stream_.reset();
    } catch (...) {
        ok = false;
    }
    return ok;
}

void OutgoingResponse::abandon() {
    abandoned_ = true;
    setKeepAlive(false);
    try {
        session_.abort();
    } catch (...) {
    }
    try {
        stream_.reset();  // its last chunk goes nowhere: the socket is closed
    } catch (...) {
    }
}

void OutgoingResponse::sendContinue() {
    Poco::Net::HTTPHeaderOutputStream hs(session_);
    hs << getVersion() << " 100 Continue\r\n\r\n";
}

std::ostream& OutgoingResponse::send() {
    if (sent_) throw Poco::IllegalStateException("response already sent");
    sent_ = true;
    auto status = getStatus();
    if (headRequest_ || status < 200 || status == HTTP_NO_CONTENT || status == HTTP_NOT_MODIFIED) {
        // The header alone: the stream takes exactly its length, so body bytes a handler
        // writes anyway are dropped.
        Poco::CountingOutputStream cs;
        write(cs);
        stream_ = std::make_unique<Poco::Net::HTTPFixedLengthOutputStream>(session_, cs.chars());
        write(*stream_);
    } else if (getChunkedTransferEncoding()) {
        Poco::Net::HTTPHeaderOutputStream hs(session_);
        write(hs);
        stream_ = std::make_unique<Poco::Net::HTTPChunkedOutputStream>(session_);
    } else if (hasContentLength()) {
        Poco::CountingOutputStream cs;
        write(cs);
        stream_ = std::make_unique<Poco::Net::HTTPFixedLengthOutputStream>(
            session_, getContentLength64() + cs.chars());
        write(*stream_);
    } else {
        stream_ = std::make_unique<Poco::Net::HTTPOutputStream>(session_);
        setKeepAlive(false);
        write(*stream_);
    }
    return *stream_;
}

void OutgoingResponse::sendFile(const std::string& path, const std::string& mediaType) {
    if (sent_) throw Poco::IllegalStateException("response already sent");
    sent_ = true;
    Poco::File file(path);
    set("Last-Modified",
        Poco::DateTimeFormatter::format(file.getLastModified(), Poco::DateTimeFormat::HTTP_FORMAT));
    setContentLength64(static_cast<Poco::Int64>(file.getSize()));
    setContentType(mediaType);
    setChunkedTransferEncoding(false);
    Poco::FileInputStream in(path);
    if (!in.good()) throw Poco::OpenFileException(path);
    stream_ = std::make_unique<Poco::Net::HTTPHeaderOutputStream>(session_);
    write(*stream_);
    if (!headRequest_) Poco::StreamCopier::copyStream(in, *stream_);
}

void OutgoingResponse::sendBuffer(const void* buffer, std::size_t length) {
    if (sent_) throw Poco::IllegalStateException("response already sent");
    sent_ = true;
    setContentLength64(static_cast<Poco::Int64>(length));
    setChunkedTransferEncoding(false);
    stream_ = std::make_unique<Poco::Net::HTTPHeaderOutputStream>(session_);
    write(*stream_);
    if (!headRequest_) {
        stream_->write(static_cast<const char*>(buffer), static_cast<std::streamsize>(length));
    }
}

void OutgoingResponse::redirect(const std::string& uri, HTTPStatus status) {
    if (sent_) throw Poco::IllegalStateException("response already sent");
    sent_ = true;
    setContentLength(0);
    setChunkedTransferEncoding(false);
    setStatusAndReason(status);
    set("Location", uri);
    stream_ = std::make_unique<Poco::Net::HTTPHeaderOutputStream>(session_);
    write(*stream_);
}

void OutgoingResponse::requireAuthentication(const std::string& realm) {
    if (sent_) throw Poco::IllegalStateException("response already sent");
    setStatusAndReason(HTTP_UNAUTHORIZED);
    set("WWW-Authenticate", "Basic realm=\"" + realm + "\"");
}

}  // namespace dossier::http

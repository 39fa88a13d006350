#include "dossier/http/FormDataReader.h"

#include <Poco/Net/MessageHeader.h>

#include <cstring>
#include <sstream>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"

namespace dossier::http {
namespace {

[[noreturn]] void malformed(const std::string& message, const std::string& detail = {}) {
    throw Error(codes::kRequestMalformed, message, detail);
}

}  // namespace

FormDataReader::FormDataReader(std::istream& body, std::string boundary, std::size_t bufferBytes)
    : body_(body) {
    if (boundary.empty() || boundary.size() > kMaxBoundaryBytes) {
        malformed("The multipart/form-data boundary must be 1 to " +
                  std::to_string(kMaxBoundaryBytes) + " characters long.");
    }
    delimiter_ = "\r\n--" + boundary;
    // A whole header block must fit beside a delimiter.
    buffer_.resize(std::max(bufferBytes, kMinBufferBytes));
    // The first delimiter may open the body without a CRLF before it: reading as if one were
    // there lets one search find every delimiter (a preamble before it is skipped).
    std::memcpy(buffer_.data(), "\r\n", 2);
    end_ = 2;
}

std::size_t FormDataReader::fill(std::size_t n) {
    while (available() < n && !eof_) {
        if (end_ == buffer_.size()) {
            std::memmove(buffer_.data(), buffer_.data() + begin_, available());
            end_ -= begin_;
            begin_ = 0;
        }
        auto room = static_cast<std::streamsize>(buffer_.size() - end_);
        body_.read(buffer_.data() + end_, room);
        auto got = body_.gcount();
        end_ += static_cast<std::size_t>(got);
        if (got < room) eof_ = true;
    }
    return available();
}

std::size_t FormDataReader::findDelimiter() const {
    const void* at = ::memmem(data(), available(), delimiter_.data(), delimiter_.size());
    return at == nullptr ? std::string::npos
                         : static_cast<std::size_t>(static_cast<const char*>(at) - data());
}

std::string_view FormDataReader::nextChunk() {
    if (state_ != State::InPart) return {};
    for (;;) {
        std::size_t at = findDelimiter();
        if (at != std::string::npos) {
            std::string_view chunk(data(), at);
            begin_ += at + delimiter_.size();
            state_ = State::AtDelimiter;
            return chunk;
        }
        // A delimiter may begin in the last delimiter-size-1 bytes: keep those for the next
        // search, hand out the rest.
        std::size_t safe =
            available() >= delimiter_.size() ? available() - delimiter_.size() + 1 : 0;
        if (safe > 0) {
            std::string_view chunk(data(), safe);
            begin_ += safe;
            return chunk;
        }
        if (eof_) {
            malformed(
                "The multipart/form-data body ends inside a part (its closing boundary is "
                "missing): the upload was cut off. Send it again.");
        }
        if (begin_ > 0) {
            std::memmove(buffer_.data(), data(), available());
            end_ -= begin_;
            begin_ = 0;
        }
        fill(buffer_.size());
    }
}

bool FormDataReader::readAfterDelimiter() {
    if (fill(2) >= 2 && data()[0] == '-' && data()[1] == '-') {
        begin_ += 2;
        state_ = State::Done;
        drain();
        return false;
    }
    // Transport padding (RFC 2046 §5.1.1), then the CRLF that ends the delimiter line.
    for (;;) {
        if (fill(2) < 1) break;
        char c = data()[0];
        if (c == ' ' || c == '\t') {
            ++begin_;
            continue;
        }
        if (available() >= 2 && c == '\r' && data()[1] == '\n') {
            begin_ += 2;
            return true;
        }
        break;
    }
    malformed(
        "The multipart/form-data body has a boundary line that is not followed by a line "
        "break.");
}

void FormDataReader::readHeaders(FormPartHeader& header) {
    // The header block ends at an empty line: at once (no headers) or after CRLF CRLF.
    std::size_t end = std::string::npos;
    for (std::size_t from = 0;;) {
        std::size_t have = fill(kMaxHeaderBytes + 4);
        if (have >= 2 && data()[0] == '\r' && data()[1] == '\n') {
            end = 0;
            break;
        }
        const void* at = ::memmem(data() + from, have - from, "\r\n\r\n", 4);
        if (at != nullptr) {
            end = static_cast<std::size_t>(static_cast<const char*>(at) - data()) + 2;
            break;
        }
        if (have > kMaxHeaderBytes) {
            malformed("A part of the multipart/form-data body has more than " +
                      std::to_string(kMaxHeaderBytes) + " bytes of headers.");
        }
        if (eof_) malformed("The multipart/form-data body ends inside a part's headers.");
        from = have >= 3 ? have - 3 : 0;
    }
    header = FormPartHeader{};
    if (end > 0) {
        std::istringstream text(std::string(data(), end) + "\r\n");
        Poco::Net::MessageHeader fields;
        try {
            fields.read(text);
        } catch (const Poco::Exception& e) {
            malformed("A part's headers in the multipart/form-data body cannot be read.",
                      e.displayText());
        }
        header.disposition = fields.get("Content-Disposition", "");
        header.contentType = fields.get("Content-Type", "");
    }
    begin_ += end + 2;
}

bool FormDataReader::nextPart(FormPartHeader& header) {
    if (state_ == State::Done) return false;
    if (state_ == State::Start) {
        for (;;) {
            std::size_t at = findDelimiter();
            if (at != std::string::npos) {
                begin_ += at + delimiter_.size();
                break;
            }
            if (eof_) {
                malformed("The multipart/form-data body has no boundary line '--" +
                          delimiter_.substr(4) + "'.");
            }
            if (available() >= delimiter_.size()) begin_ = end_ - delimiter_.size() + 1;
            fill(available() + 1);
        }
    } else {
        while (!nextChunk().empty()) {
        }
    }
    state_ = State::InPart;
    if (!readAfterDelimiter()) return false;
    readHeaders(header);
    return true;
}

void FormDataReader::drain() {
    begin_ = end_;
    if (!eof_) body_.ignore(static_cast<std::streamsize>(kMaxHeaderBytes));
}

}  // namespace dossier::http

#include "RequestHead.h"

#include <algorithm>
#include <cctype>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"

namespace dossier::http {
namespace {

/// RFC 9110 §5.6.2 tchar.
bool isTokenChar(unsigned char c) {
    if (std::isalnum(c)) return true;
    static constexpr std::string_view kOthers = "!#$%&'*+-.^_`|~";
    return kOthers.find(static_cast<char>(c)) != std::string_view::npos;
}

bool isToken(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return isTokenChar(static_cast<unsigned char>(c));
    });
}

[[noreturn]] void malformed(const std::string& message) {
    throw Error(codes::kRequestMalformed, message);
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

/// Splits a comma-separated field value into trimmed, non-empty elements.
std::vector<std::string_view> elements(std::string_view value) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (start <= value.size()) {
        auto comma = value.find(',', start);
        if (comma == std::string_view::npos) comma = value.size();
        auto item = trim(value.substr(start, comma - start));
        if (!item.empty()) out.push_back(item);
        start = comma + 1;
    }
    return out;
}

std::int64_t parseContentLength(std::string_view text) {
    // 18 digits stay below 2^63 whatever they are; a longer number is no body size a client
    // could send, so it is a malformed request rather than a large one.
    if (text.empty() || text.size() > 18 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        malformed("Content-Length must be one decimal number of at most 18 digits.");
    }
    std::int64_t v = 0;
    for (char c : text) v = v * 10 + (c - '0');
    return v;
}

/// Checks `method SP target SP HTTP/d.d` and fills method, target and minorVersion.
void parseRequestLine(std::string_view requestLine, RequestHead& out) {
    auto sp1 = requestLine.find(' ');
    auto sp2 = sp1 == std::string_view::npos ? sp1 : requestLine.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos || requestLine.find(' ', sp2 + 1) != std::string_view::npos) {
        malformed("The request line is not 'METHOD target HTTP/1.1'.");
    }
    auto method = requestLine.substr(0, sp1);
    auto target = requestLine.substr(sp1 + 1, sp2 - sp1 - 1);
    auto version = requestLine.substr(sp2 + 1);
    if (!isToken(method)) malformed("The request method is not a token.");
    if (target.empty() || std::any_of(target.begin(), target.end(), [](char ch) {
            auto c = static_cast<unsigned char>(ch);
            return c <= 0x20 || c == 0x7f;
        })) {
        malformed("The request target is empty or contains control characters.");
    }
    bool versionShape = version.size() == 8 && version.substr(0, 5) == "HTTP/" &&
                        std::isdigit(static_cast<unsigned char>(version[5])) && version[6] == '.' &&
                        std::isdigit(static_cast<unsigned char>(version[7]));
    if (!versionShape) malformed("The request line does not end in an HTTP version.");
    if (version[5] != '1' || (version[7] != '0' && version[7] != '1')) {
        throw Error(codes::kRequestVersionNotSupported,
                    "Dossier speaks HTTP/1.1 and HTTP/1.0, not " + std::string(version) + ".");
    }
    out.method = std::string(method);
    out.target = std::string(target);
    out.minorVersion = version[7] - '0';
}

}  // namespace

std::optional<std::size_t> HeadScanner::scan(std::string_view buffer) {
    for (std::size_t i = scanned_; i < buffer.size(); ++i) {
        auto c = static_cast<unsigned char>(buffer[i]);
        if (lines_ == 0 && i == lineStart_ && c != '\r' && c != '\n' && !isTokenChar(c)) {
            // Not a method: TLS on the plain port, binary junk. Refuse at the first byte
            // instead of waiting for a line end that may never come.
            scanned_ = i + 1;
            malformed("This is not an HTTP/1.1 request (is the client speaking TLS?).");
        }
        if (c != '\n') continue;
        std::size_t length = i - lineStart_;
        if (length > 0 && buffer[i - 1] == '\r') --length;
        if (length == 0) {
            if (lines_ == 0) {
                skipped_ = i + 1;
                lineStart_ = i + 1;
                if (skipped_ > 8) malformed("The request starts with empty lines.");
                continue;
            }
            scanned_ = i + 1;
            if (i + 1 - skipped_ > limits_.headBytes) {
                throw Error(codes::kRequestHeaderTooLarge,
                            "The request's header fields are larger than " +
                                std::to_string(limits_.headBytes) + " bytes in all.");
            }
            return i + 1;
        }
        if (lines_ == 0 && length > limits_.requestLineBytes) {
            throw Error(codes::kRequestUriTooLong, "The request line is longer than " +
                                                       std::to_string(limits_.requestLineBytes) +
                                                       " bytes.");
        }
        if (lines_ > 0 && length > limits_.fieldBytes) {
            throw Error(
                codes::kRequestHeaderTooLarge,
                "A header field is longer than " + std::to_string(limits_.fieldBytes) + " bytes.");
        }
        if (lines_ == 0) {
            // Judge the request line as soon as it is complete: `GARBAGE` or HTTP/9.9 is
            // answered at once, not after a header block the client may never send.
            RequestHead probe;
            scanned_ = i + 1;
            parseRequestLine(buffer.substr(lineStart_, length), probe);
        }
        ++lines_;
        if (lines_ - 1 > limits_.fields) {
            throw Error(
                codes::kRequestHeaderTooLarge,
                "The request has more than " + std::to_string(limits_.fields) + " header fields.");
        }
        lineStart_ = i + 1;
    }
    scanned_ = buffer.size();
    std::size_t partial = buffer.size() - lineStart_;
    if (lines_ == 0 && partial > limits_.requestLineBytes + 1) {
        throw Error(codes::kRequestUriTooLong, "The request line is longer than " +
                                                   std::to_string(limits_.requestLineBytes) +
                                                   " bytes.");
    }
    if (lines_ > 0 && partial > limits_.fieldBytes + 1) {
        throw Error(
            codes::kRequestHeaderTooLarge,
            "A header field is longer than " + std::to_string(limits_.fieldBytes) + " bytes.");
    }
    if (buffer.size() - skipped_ > limits_.headBytes) {
        throw Error(codes::kRequestHeaderTooLarge, "The request's header fields are larger than " +
                                                       std::to_string(limits_.headBytes) +
                                                       " bytes in all.");
    }
    return std::nullopt;
}

void HeadScanner::reset() {
    scanned_ = 0;
    lineStart_ = 0;
    skipped_ = 0;
    lines_ = 0;
}

RequestHead parseRequestHead(std::string_view head) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (start < head.size()) {
        auto end = head.find('\n', start);
        if (end == std::string_view::npos) end = head.size();
        auto line = head.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.push_back(line);
        start = end + 1;
    }
    while (!lines.empty() && lines.back().empty()) lines.pop_back();
    if (lines.empty()) malformed("The request is empty.");

    RequestHead out;
    parseRequestLine(lines.front(), out);

    std::optional<std::string> contentLength;
    bool hasTransferEncoding = false;
    std::string transferEncoding;
    std::string connection;
    int hosts = 0;
    for (std::size_t i = 1; i < lines.size(); ++i) {
        auto line = lines[i];
        if (line.front() == ' ' || line.front() == '\t') {
            malformed("A header field is folded over lines (obsolete, refused).");
        }
        auto colon = line.find(':');
        if (colon == std::string_view::npos) malformed("A header line has no colon.");
        auto name = line.substr(0, colon);
        if (!isToken(name)) malformed("A header field name is not a token.");
        auto value = trim(line.substr(colon + 1));
        if (std::any_of(value.begin(), value.end(), [](char ch) {
                auto c = static_cast<unsigned char>(ch);
                return (c < 0x20 && c != '\t') || c == 0x7f;
            })) {
            malformed("A header field value contains a control character.");
        }
        std::string key = lower(name);
        if (key == "content-length") {
            for (auto item : elements(value)) {
                std::string text(item);
                if (contentLength && *contentLength != text) {
                    malformed("The request has differing Content-Length values.");
                }
                contentLength = text;
            }
            if (!contentLength) malformed("Content-Length is empty.");
        } else if (key == "transfer-encoding") {
            hasTransferEncoding = true;
            if (!transferEncoding.empty()) transferEncoding += ",";
            transferEncoding += lower(value);
        } else if (key == "connection") {
            if (!connection.empty()) connection += ",";
            connection += lower(value);
        } else if (key == "host") {
            ++hosts;
        }
        out.fields.emplace_back(std::string(name), std::string(value));
    }
    if (out.minorVersion == 1 && hosts != 1) {
        malformed("An HTTP/1.1 request has exactly one Host field.");
    }
    if (hasTransferEncoding) {
        // Only chunked, and never with Content-Length: a request two parsers could frame
        // differently is how requests are smuggled past a proxy.
        auto codings = elements(transferEncoding);
        if (out.minorVersion == 0 || codings.size() != 1 || codings.front() != "chunked") {
            malformed("The only transfer coding accepted is chunked (HTTP/1.1).");
        }
        if (contentLength) malformed("The request has both Transfer-Encoding and Content-Length.");
        out.chunked = true;
    } else if (contentLength) {
        out.contentLength = parseContentLength(*contentLength);
    }
    bool close = false, keepAlive = false;
    for (auto token : elements(connection)) {
        if (token == "close") close = true;
        if (token == "keep-alive") keepAlive = true;
    }
    out.keepAlive = !close && (out.minorVersion == 1 || keepAlive);
    return out;
}

}  // namespace dossier::http

#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dossier::http {

/// How much of a request head the server reads before refusing it. Poco's own parser stops
/// at a 16 KB URI, 100 fields and 8 KB per field, and answers a bare 400 (or nothing); these
/// are Dossier's, and each breach has its own registered code.
struct HeadLimits {
    std::size_t requestLineBytes = 8192;  // request.uri_too_long (414) beyond
    std::size_t fieldBytes = 8192;        // one header line; request.header_too_large (431)
    std::size_t fields = 100;             // request.header_too_large (431)
    std::size_t headBytes = 32768;        // the whole head; request.header_too_large (431)
};

/// A parsed and checked request head (request line and header fields).
struct RequestHead {
    std::string method;
    std::string target;
    int minorVersion = 1;  // HTTP/1.<minorVersion>; 0 or 1
    std::vector<std::pair<std::string, std::string>> fields;
    /// The body's length from Content-Length (checked: digits only, one value, < 2^63);
    /// empty when the body is chunked or absent.
    std::optional<std::int64_t> contentLength;
    bool chunked = false;
    /// Whether the client allows the connection to stay open after this request.
    bool keepAlive = true;
};

/// Finds the end of a request head in bytes that arrive piece by piece, enforcing
/// HeadLimits as it goes, so a client can neither hold the server to an endless line nor make
/// it buffer more than headBytes. Not thread-safe; one per connection, reset per request.
class HeadScanner {
  public:
    explicit HeadScanner(HeadLimits limits) : limits_(limits) {}

    /// Scans `buffer` (everything received so far for this head; earlier bytes unchanged)
    /// and returns the head's length including its blank line once complete. Throws
    /// dossier::Error (request.uri_too_long, request.header_too_large,
    /// request.malformed) as soon as the bytes already break a limit.
    std::optional<std::size_t> scan(std::string_view buffer);
    /// Forgets the scan (for the next request on the connection).
    void reset();
    /// Leading empty lines skipped before the request line (RFC 9112 §2.2 allows them).
    std::size_t skipped() const { return skipped_; }

  private:
    HeadLimits limits_;
    std::size_t scanned_ = 0;    // bytes looked at
    std::size_t lineStart_ = 0;  // start of the line being read
    std::size_t skipped_ = 0;    // leading CRLFs
    std::size_t lines_ = 0;      // complete lines of the head (request line included)
};

/// Parses a complete head (what HeadScanner delimited, leading empty lines removed).
/// Throws dossier::Error: request.malformed (400) for any syntax fault (a request line that
/// is not `method SP target SP HTTP/x.y`, a method or field name with non-token bytes, a
/// field without a colon, a folded line, a control byte, a Content-Length that is not one
/// plain decimal below 2^63, Transfer-Encoding other than chunked or together with
/// Content-Length) and request.version_not_supported (505) for a version other than 1.0/1.1.
RequestHead parseRequestHead(std::string_view head);

}  // namespace dossier::http

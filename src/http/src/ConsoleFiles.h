#pragma once

#include <cstddef>
#include <map>
#include <string>

#include "Exchange.h"

namespace dossier::http {

/// The web console's build output (`console_dir`, by default web/dist), read into memory when
/// the server starts and served at `/` (README, "The web console"). Holding it in memory
/// means a request can never reach outside it: no path from a request touches the file
/// system, so `..`, encoded dots and symlinks cannot escape the directory; files behind
/// symlinks leading out of the directory are not loaded at all. A rebuilt console is picked up
/// at the next start. Read-only after construction (thread-safe).
class ConsoleFiles {
  public:
    /// The most a console may weigh in memory (both encodings of every file).
    static constexpr std::size_t kMaxBytes = 64 << 20;

    struct File {
        std::string bytes;
        std::string gzip;  // empty when compressing does not pay (images, tiny files)
        std::string mediaType;
        std::string etag;  // of `bytes`; the gzip variant's is etag + "-gz" inside the quotes
    };

    /// Loads every regular file under `root`. Throws dossier::Error(config.invalid) when
    /// `root` is not a directory holding index.html, or holds more than kMaxBytes.
    explicit ConsoleFiles(const std::string& root);

    /// The file at `relativePath` ("assets/index-3f9a.js"), or nullptr.
    const File* find(const std::string& relativePath) const;
    std::size_t fileCount() const { return files_.size(); }

    /// Answers a GET or HEAD the router does not know, if the console has it: a file, or
    /// index.html for a path outside /api/, /healthz and /metrics that accepts HTML (the
    /// single-page app's own routes, reloaded or bookmarked). False when the console has no
    /// answer (the caller answers route.not_found). Throws request.malformed for a path with
    /// a `.` or `..` segment, a NUL, a backslash or a bad %-escape.
    bool answer(Exchange& ex) const;

  private:
    void send(Exchange& ex, const File& file, const std::string& relativePath) const;

    std::map<std::string, File> files_;
};

/// The security headers of every HTML page of the console: a Content-Security-Policy that
/// allows nothing inline and no framing, nosniff, Referrer-Policy, X-Frame-Options.
void setHtmlSecurityHeaders(Poco::Net::HTTPServerResponse& response);

}  // namespace dossier::http

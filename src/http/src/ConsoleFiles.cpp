#include "ConsoleFiles.h"

#include <Poco/DeflatingStream.h>
#include <Poco/DigestEngine.h>
#include <Poco/Exception.h>
#include <Poco/SHA2Engine.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"

namespace dossier::http {
namespace {

namespace fs = std::filesystem;

/// What the build writes; anything else goes out as application/octet-stream (and nosniff
/// keeps the browser from guessing).
std::string mediaTypeOf(const std::string& path) {
    static const std::pair<const char*, const char*> kTypes[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".map", "application/json; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".jpeg", "image/jpeg"},
        {".gif", "image/gif"},
        {".webp", "image/webp"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".woff", "font/woff"},
        {".ttf", "font/ttf"},
        {".txt", "text/plain; charset=utf-8"},
        {".wasm", "application/wasm"},
    };
    auto dot = path.rfind('.');
    if (dot != std::string::npos && path.find('/', dot) == std::string::npos) {
        std::string ext = Poco::toLower(path.substr(dot));
        for (auto [suffix, type] : kTypes) {
            if (ext == suffix) return type;
        }
    }
    return "application/octet-stream";
}

bool compressible(const std::string& mediaType) {
    return mediaType.rfind("text/", 0) == 0 || mediaType.rfind("application/json", 0) == 0 ||
           mediaType == "image/svg+xml";
}

std::string gzipOf(const std::string& bytes) {
    std::ostringstream out;
    Poco::DeflatingOutputStream deflate(out, Poco::DeflatingStreamBuf::STREAM_GZIP, 9);
    deflate.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    deflate.close();
    return out.str();
}

std::string etagOf(const std::string& bytes) {
    Poco::SHA2Engine sha;
    sha.update(bytes);
    return Poco::DigestEngine::digestToHex(sha.digest()).substr(0, 32);
}

bool isUnder(const fs::path& path, const fs::path& root) {
    auto rel = path.lexically_relative(root);
    return !rel.empty() && *rel.begin() != ".." && !rel.is_absolute();
}

bool hasHiddenPart(const fs::path& relative) {
    for (const auto& part : relative) {
        if (!part.empty() && part.native().front() == '.') return true;
    }
    return false;
}

/// The request path %-decoded, refused when it could mean something other than one file in
/// the directory: request.malformed for NUL, backslash, "." and ".." segments (raw or
/// encoded) and bad escapes.
std::string decodedPath(const std::string& rawPath) {
    std::string decoded;
    try {
        Poco::URI::decode(rawPath, decoded);
    } catch (const Poco::Exception&) {
        throw Error(codes::kRequestMalformed, "The request path has a malformed %-escape.");
    }
    bool bad = decoded.empty() || decoded.front() != '/' ||
               decoded.find('\0') != std::string::npos || decoded.find('\\') != std::string::npos;
    std::size_t start = 1;
    while (!bad && start <= decoded.size()) {
        auto slash = decoded.find('/', start);
        if (slash == std::string::npos) slash = decoded.size();
        std::string segment = decoded.substr(start, slash - start);
        bad = segment == "." || segment == "..";
        start = slash + 1;
    }
    if (bad) {
        throw Error(codes::kRequestMalformed,
                    "The request path may not hold '.' or '..' segments, backslashes or NUL.");
    }
    return decoded;
}

/// Paths the single-page app never answers: the API and the operators' endpoints keep their
/// JSON 404 for a route that does not exist.
bool isReserved(const std::string& path) {
    for (const char* prefix : {"/api", "/healthz", "/metrics"}) {
        std::string p = prefix;
        if (path == p || path.rfind(p + "/", 0) == 0) return true;
    }
    return false;
}

/// The media ranges of Accept include HTML (an absent Accept accepts anything, RFC 9110).
bool acceptsHtml(const Poco::Net::HTTPServerRequest& request) {
    if (!request.has("Accept")) return true;
    std::string accept = Poco::toLower(request.get("Accept"));
    return accept.find("text/html") != std::string::npos ||
           accept.find("*/*") != std::string::npos || accept.find("text/*") != std::string::npos;
}

bool acceptsGzip(const Poco::Net::HTTPServerRequest& request) {
    std::string value = Poco::toLower(request.get("Accept-Encoding", ""));
    std::istringstream items(value);
    std::string item;
    while (std::getline(items, item, ',')) {
        auto semi = item.find(';');
        std::string coding = Poco::trim(item.substr(0, semi));
        if (coding != "gzip") continue;
        if (semi == std::string::npos) return true;
        std::string params = item.substr(semi + 1);
        params.erase(std::remove(params.begin(), params.end(), ' '), params.end());
        // "q=0", "q=0.0", "q=0.000": explicitly not acceptable.
        if (params.rfind("q=0", 0) == 0 && params.find_first_not_of("0.", 2) == std::string::npos) {
            return false;
        }
        return true;
    }
    return false;
}

bool notModified(const Poco::Net::HTTPServerRequest& request, const std::string& etag) {
    if (!request.has("If-None-Match")) return false;
    std::istringstream items(request.get("If-None-Match"));
    std::string item;
    while (std::getline(items, item, ',')) {
        std::string tag = Poco::trim(item);
        if (tag.rfind("W/", 0) == 0) tag = tag.substr(2);  // weak comparison (RFC 9110 13.1.2)
        if (tag == "*" || tag == etag) return true;
    }
    return false;
}

}  // namespace

ConsoleFiles::ConsoleFiles(const std::string& rootName) {
    std::error_code ec;
    fs::path root = fs::canonical(rootName, ec);
    if (ec || !fs::is_directory(root) || !fs::is_regular_file(root / "index.html")) {
        throw Error(codes::kConfigInvalid,
                    "console_dir: " + rootName +
                        " is not a directory holding the console's index.html (build it with "
                        "`npm ci && npm run build` in web/, or leave console_dir unset).");
    }
    std::size_t total = 0;
    for (auto it = fs::recursive_directory_iterator(root, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        const fs::path& path = it->path();
        fs::path relative = path.lexically_relative(root);
        if (hasHiddenPart(relative)) {
            if (it->is_directory()) it.disable_recursion_pending();
            continue;
        }
        fs::path target = path;
        if (it->is_symlink()) {
            std::error_code linkError;
            target = fs::canonical(path, linkError);
            // A link leading out of the directory could hand out any file the server reads.
            if (linkError || !isUnder(target, root)) continue;
        }
        if (!fs::is_regular_file(target)) continue;
        std::ifstream in(target, std::ios::binary);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        if (!in) {
            throw Error(codes::kConfigInvalid, "console_dir: cannot read " + path.string() + ".");
        }
        File file;
        file.bytes = bytes.str();
        file.mediaType = mediaTypeOf(relative.generic_string());
        file.etag = etagOf(file.bytes);
        if (compressible(file.mediaType) && file.bytes.size() >= 512) {
            std::string gz = gzipOf(file.bytes);
            if (gz.size() * 10 < file.bytes.size() * 9) file.gzip = std::move(gz);
        }
        total += file.bytes.size() + file.gzip.size();
        if (total > kMaxBytes) {
            throw Error(codes::kConfigInvalid, "console_dir: " + rootName + " holds more than " +
                                                   std::to_string(kMaxBytes >> 20) + " MB.");
        }
        files_.emplace(relative.generic_string(), std::move(file));
    }
    if (ec) {
        throw Error(codes::kConfigInvalid, "console_dir: cannot read " + rootName + ".",
                    ec.message());
    }
}

const ConsoleFiles::File* ConsoleFiles::find(const std::string& relativePath) const {
    auto it = files_.find(relativePath);
    return it == files_.end() ? nullptr : &it->second;
}

bool ConsoleFiles::answer(Exchange& ex) const {
    const std::string& method = ex.request.getMethod();
    if (method != "GET" && method != "HEAD") return false;
    const std::string& target = ex.request.getURI();
    std::string path = decodedPath(target.substr(0, target.find('?')));
    if (isReserved(path)) return false;
    std::string relative = path == "/" ? "index.html" : path.substr(1);
    if (const File* file = find(relative)) {
        send(ex, *file, relative);
        return true;
    }
    // A missing hashed asset is a stale page asking for an old build: a 404 it can see, never
    // a page of HTML parsed as a script.
    if (relative.rfind("assets/", 0) == 0 || !acceptsHtml(ex.request)) return false;
    send(ex, files_.at("index.html"), "index.html");
    return true;
}

void ConsoleFiles::send(Exchange& ex, const File& file, const std::string& relativePath) const {
    auto& response = ex.response;
    bool gzip = !file.gzip.empty() && acceptsGzip(ex.request);
    std::string etag = "\"" + file.etag + (gzip ? "-gz" : "") + "\"";
    // Hashed names change with their content: a year, never revalidated. Everything else
    // (index.html above all, which names the current hashes) is revalidated every time.
    response.set("Cache-Control", relativePath.rfind("assets/", 0) == 0
                                      ? "public, max-age=31536000, immutable"
                                      : "no-cache");
    response.set("ETag", etag);
    if (!file.gzip.empty()) response.set("Vary", "Accept-Encoding");
    bool html = file.mediaType.rfind("text/html", 0) == 0;
    if (html) setHtmlSecurityHeaders(response);
    if (notModified(ex.request, etag)) {
        response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NOT_MODIFIED);
        response.setContentLength(0);
        response.send();
        return;
    }
    const std::string& body = gzip ? file.gzip : file.bytes;
    if (gzip) response.set("Content-Encoding", "gzip");
    response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_OK);
    response.setContentType(file.mediaType);
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    response.sendBuffer(body.data(), body.size());
}

void setHtmlSecurityHeaders(Poco::Net::HTTPServerResponse& response) {
    // Only the console's own files: no inline script or style, no eval, no plugins, no
    // framing by any site (clickjacking), forms and <base> only to this origin. Vite's build
    // emits external module scripts and stylesheets only; Vue and Element Plus set dynamic
    // styles through the CSSOM, which style-src does not govern. data: images are the tiny
    // icons CSS inlines. Frames only of this origin: the book's PDF previewed in the page
    // (the PDF outputs allow being framed by this origin alone).
    response.set("Content-Security-Policy",
                 "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: "
                 "blob:; font-src 'self' data:; connect-src 'self'; frame-src 'self'; "
                 "object-src 'none'; "
                 "base-uri 'self'; form-action 'self'; frame-ancestors 'none'");
    response.set("X-Content-Type-Options", "nosniff");
    response.set("X-Frame-Options", "DENY");
    response.set("Referrer-Policy", "same-origin");
}

}  // namespace dossier::http

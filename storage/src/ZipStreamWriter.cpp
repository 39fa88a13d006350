#include "dossier/storage/ZipStreamWriter.h"

#include <zlib.h>

#include <algorithm>
#include <ostream>
#include <stdexcept>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/Utf8.h"

namespace dossier::storage {
namespace {

constexpr std::size_t kChunk = 64 * 1024;

/// A name the writer refuses outright: ZipEntryNames makes names safe; this is the last line
/// against a caller that skipped it (a path that unpacks outside the target directory).
void requireSafeName(std::string_view name) {
    auto refuse = [&](const char* why) {
        throw std::invalid_argument(std::string("ZIP entry name ") + why);
    };
    if (name.empty()) refuse("is empty");
    if (name.size() > zip::kMax16) refuse("is longer than 65535 bytes");
    if (!utf8::isValid(name)) refuse("is not UTF-8");
    if (name.front() == '/' || name.back() == '/') refuse("starts or ends with '/'");
    if (name.size() >= 2 && name[1] == ':') refuse("starts with a drive letter");
    for (unsigned char c : name) {
        if (c < 0x20 || c == 0x7F) refuse("holds a control character");
        if (c == '\\') refuse("holds '\\'");
    }
    std::size_t start = 0;
    while (start <= name.size()) {
        std::size_t end = name.find('/', start);
        if (end == std::string_view::npos) end = name.size();
        std::string_view part = name.substr(start, end - start);
        if (part.empty() || part == "." || part == "..") refuse("has an empty, . or .. part");
        start = end + 1;
    }
}

std::string lowerAscii(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

[[noreturn]] void tooLarge(const std::string& name) {
    throw Error(codes::kArchiveWriteFailed, "The archive could not be written.",
                "entry " + name + " reached 4 GiB without a declared size (no ZIP64 header)");
}

}  // namespace

struct ZipStreamWriter::Deflater {
    z_stream z{};
    bool ready = false;
    ~Deflater() {
        if (ready) deflateEnd(&z);
    }
};

ZipStreamWriter::ZipStreamWriter(std::ostream& out, zip::DosDateTime modified)
    : ZipStreamWriter(out, modified, Options{}) {}

ZipStreamWriter::ZipStreamWriter(std::ostream& out, zip::DosDateTime modified, Options options)
    : out_(out),
      modified_(modified),
      options_(options),
      deflater_(std::make_unique<Deflater>()),
      outBuffer_(kChunk) {
    options_.deflateLevel = std::clamp(options_.deflateLevel, 1, 9);
}

ZipStreamWriter::~ZipStreamWriter() = default;

zip::Method ZipStreamWriter::methodFor(std::string_view mediaType) {
    std::string type = lowerAscii(mediaType.substr(0, mediaType.find(';')));
    while (!type.empty() && type.back() == ' ') type.pop_back();
    auto endsWith = [&](std::string_view suffix) {
        return type.size() >= suffix.size() &&
               type.compare(type.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    if (type.rfind("text/", 0) == 0 || type == "application/json" || type == "application/xml" ||
        endsWith("+json") || endsWith("+xml")) {
        return zip::Method::Deflate;
    }
    return zip::Method::Store;
}

void ZipStreamWriter::requireUsable(const char* call) const {
    if (failed_) throw std::logic_error(std::string(call) + " after the archive failed");
    if (finished_) throw std::logic_error(std::string(call) + " after finish()");
}

void ZipStreamWriter::emit(const void* data, std::size_t n) {
    if (n == 0) return;
    out_.write(static_cast<const char*>(data), static_cast<std::streamsize>(n));
    if (!out_) {
        failed_ = true;
        throw Error(codes::kArchiveWriteFailed, "The archive could not be written.",
                    "the output stream refused bytes at offset " + std::to_string(offset_));
    }
    offset_ += n;
}

void ZipStreamWriter::beginEntry(std::string name, zip::Method method, std::uint64_t expectedSize) {
    requireUsable("beginEntry");
    if (inEntry_) throw std::logic_error("beginEntry before endEntry");
    requireSafeName(name);
    if (!names_.insert(name).second) {
        throw std::invalid_argument("ZIP entry name repeated: " + name);
    }
    try {
        EntryInfo e;
        e.name = std::move(name);
        e.method = method;
        e.offset = offset_;
        e.zip64 = options_.forceZip64 || zip::entryNeedsZip64(expectedSize, method);
        if (method == zip::Method::Deflate) {
            z_stream& z = deflater_->z;
            int rc = deflater_->ready
                         ? deflateReset(&z)
                         // Raw deflate (negative window bits): ZIP frames the data itself.
                         : deflateInit2(&z, options_.deflateLevel, Z_DEFLATED, -MAX_WBITS, 8,
                                        Z_DEFAULT_STRATEGY);
            if (rc != Z_OK) throw std::bad_alloc();
            deflater_->ready = true;
        }
        entries_.push_back(std::move(e));
        const EntryInfo& added = entries_.back();
        emit(zip::localHeader(added.name, method, modified_, added.zip64));
        inEntry_ = true;
    } catch (...) {
        failed_ = true;
        throw;
    }
}

void ZipStreamWriter::deflateChunk(const void* data, std::size_t n) {
    z_stream& z = deflater_->z;
    EntryInfo& e = entries_.back();
    z.next_in = static_cast<Bytef*>(const_cast<void*>(data));
    z.avail_in = static_cast<uInt>(n);
    // zlib has taken all input once it leaves output space unused.
    do {
        z.next_out = reinterpret_cast<Bytef*>(outBuffer_.data());
        z.avail_out = static_cast<uInt>(outBuffer_.size());
        if (deflate(&z, Z_NO_FLUSH) == Z_STREAM_ERROR) {
            throw std::logic_error("zlib deflate state corrupted");
        }
        std::size_t produced = outBuffer_.size() - z.avail_out;
        emit(outBuffer_.data(), produced);
        e.compressedSize += produced;
    } while (z.avail_out == 0);
}

void ZipStreamWriter::write(const void* data, std::size_t n) {
    requireUsable("write");
    if (!inEntry_) throw std::logic_error("write outside an entry");
    try {
        EntryInfo& e = entries_.back();
        const auto* p = static_cast<const unsigned char*>(data);
        while (n > 0) {
            std::size_t piece = std::min(n, kChunk);
            e.crc32 = static_cast<std::uint32_t>(crc32_z(e.crc32, p, piece));
            e.size += piece;
            if (e.method == zip::Method::Deflate) {
                deflateChunk(p, piece);
            } else {
                emit(p, piece);
                e.compressedSize += piece;
            }
            if (!e.zip64 && (e.size >= zip::kMax32 || e.compressedSize >= zip::kMax32)) {
                tooLarge(e.name);
            }
            p += piece;
            n -= piece;
        }
    } catch (...) {
        failed_ = true;
        throw;
    }
}

const ZipStreamWriter::EntryInfo& ZipStreamWriter::endEntry() {
    requireUsable("endEntry");
    if (!inEntry_) throw std::logic_error("endEntry without beginEntry");
    try {
        EntryInfo& e = entries_.back();
        if (e.method == zip::Method::Deflate) {
            // Z_FINISH until zlib reports the end: it may need several output buffers.
            z_stream& z = deflater_->z;
            z.next_in = nullptr;
            z.avail_in = 0;
            for (;;) {
                z.next_out = reinterpret_cast<Bytef*>(outBuffer_.data());
                z.avail_out = static_cast<uInt>(outBuffer_.size());
                int rc = deflate(&z, Z_FINISH);
                if (rc == Z_STREAM_ERROR) throw std::logic_error("zlib deflate state corrupted");
                std::size_t produced = outBuffer_.size() - z.avail_out;
                emit(outBuffer_.data(), produced);
                e.compressedSize += produced;
                if (rc == Z_STREAM_END) break;
            }
            if (!e.zip64 && e.compressedSize >= zip::kMax32) tooLarge(e.name);
        }
        emit(zip::dataDescriptor(e.crc32, e.compressedSize, e.size, e.zip64));
        inEntry_ = false;
        return e;
    } catch (...) {
        failed_ = true;
        throw;
    }
}

const ZipStreamWriter::EntryInfo& ZipStreamWriter::addEntry(std::string name, zip::Method method,
                                                            const ByteSource& source,
                                                            const ChunkObserver& onData) {
    std::uint64_t size = source.size();
    beginEntry(std::move(name), method, size);
    try {
        std::vector<char> buffer(kChunk);
        for (std::uint64_t at = 0; at < size;) {
            auto want = static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, size - at));
            std::size_t got = source.readAt(at, buffer.data(), want);
            if (got == 0) {
                throw Error(codes::kBlobCorrupt, "A stored file could not be read whole.",
                            "entry " + entries_.back().name + " ended at " + std::to_string(at) +
                                " of " + std::to_string(size) + " bytes");
            }
            if (onData) onData(buffer.data(), got);
            write(buffer.data(), got);
            at += got;
        }
        return endEntry();
    } catch (...) {
        failed_ = true;
        throw;
    }
}

void ZipStreamWriter::finish() {
    requireUsable("finish");
    if (inEntry_) throw std::logic_error("finish inside an entry");
    try {
        std::uint64_t centralOffset = offset_;
        for (const EntryInfo& e : entries_) {
            zip::CentralEntry c;
            c.name = e.name;
            c.method = e.method;
            c.modified = modified_;
            c.crc32 = e.crc32;
            c.compressedSize = e.compressedSize;
            c.uncompressedSize = e.size;
            c.localHeaderOffset = e.offset;
            c.localZip64 = e.zip64;
            emit(zip::centralHeader(c));
        }
        emit(zip::endOfArchive(entries_.size(), centralOffset, offset_ - centralOffset));
        out_.flush();
        if (!out_) {
            throw Error(codes::kArchiveWriteFailed, "The archive could not be written.",
                        "flushing the output stream failed");
        }
        finished_ = true;
    } catch (...) {
        failed_ = true;
        throw;
    }
}

}  // namespace dossier::storage

#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "dossier/core/ByteSource.h"
#include "dossier/storage/ZipRecords.h"

namespace dossier::storage {

/// Writes a ZIP archive front to back into a stream that cannot seek (an HTTP chunked
/// response), each entry as it is added: a local header, the data read and written in 64 KiB
/// chunks (never an entry whole in memory), then a data descriptor with the CRC-32 and sizes
/// counted on the way; the central directory at finish(). Memory: ~330 KiB (buffers and one
/// zlib deflate state) plus ~100 bytes and the name per entry.
///
/// Names are written as given, UTF-8 with the UTF-8 flag (bit 11) in both headers and the
/// entry made by Unix with mode 0644, so Info-ZIP unzip and Python's zipfile show Chinese
/// names as they are; the caller makes them safe first (ZipEntryNames). ZIP64 is used when
/// needed: for an entry whose declared size (or deflate's worst case) reaches 4 GiB, for
/// offsets past 4 GiB and for 65535 or more entries. The same entries and timestamp give the
/// same bytes.
///
/// Why not Poco::Zip: its Compress sets the UTF-8 flag but records every entry as made by
/// MS-DOS with no Unix mode, and its host setter is private (the garbled names of
/// STACK_NOTES); it also takes entry names as Poco::Path, which parses `\` and `/`. This
/// writer is the record layout (ZipRecords) over zlib's raw deflate.
///
/// Not thread-safe. Errors: dossier::Error archive.write_failed when the stream stops
/// taking bytes (the client went away), storage.blob_corrupt when a source ends before its
/// size; std::invalid_argument for a name that is empty, not UTF-8, a path (`/`, `\`,
/// `..`) or a repeat (nothing is written; the archive goes on), and std::logic_error for
/// calls out of order. After any other exception the archive is unfinished and stays so:
/// finish() refuses, no central directory is written.
class ZipStreamWriter {
  public:
    struct Options {
        /// Write every entry with ZIP64 sizes (tests: read back by unzip and Python).
        bool forceZip64 = false;
        /// zlib level for deflated entries, 1 (fast) to 9. 1: 20 MB of JSON deflates at
        /// ~170 MB/s into 18% of its size; level 6 takes 4x as long for 15% (bundle_bench).
        /// Text is the small part of a bundle; throughput is what a download waits for.
        int deflateLevel = 1;
    };

    /// What was written for one entry.
    struct EntryInfo {
        std::string name;
        zip::Method method = zip::Method::Store;
        std::uint64_t size = 0;            // bytes before compression
        std::uint64_t compressedSize = 0;  // bytes in the archive
        std::uint32_t crc32 = 0;
        std::uint64_t offset = 0;  // of the local header
        bool zip64 = false;        // sizes in ZIP64 form in the local header and descriptor
    };

    /// `out` is not owned and must outlive the writer; `modified` is every entry's time.
    ZipStreamWriter(std::ostream& out, zip::DosDateTime modified);
    ZipStreamWriter(std::ostream& out, zip::DosDateTime modified, Options options);
    ~ZipStreamWriter();
    ZipStreamWriter(const ZipStreamWriter&) = delete;
    ZipStreamWriter& operator=(const ZipStreamWriter&) = delete;

    /// Store for content that is already compressed (JPEG, PNG, PDF, DOCX/XLSX/ZIP, and
    /// anything unknown), deflate for text (text/*, JSON, XML). `mediaType` is IANA, e.g.
    /// "application/json"; parameters after ';' are ignored.
    static zip::Method methodFor(std::string_view mediaType);

    /// Starts an entry. `expectedSize` is its uncompressed size when known: at 4 GiB and
    /// beyond the entry is written with ZIP64 sizes. An entry begun without one that grows
    /// to 4 GiB is refused (archive.write_failed) rather than written with wrong sizes.
    void beginEntry(std::string name, zip::Method method, std::uint64_t expectedSize = 0);
    /// Appends uncompressed bytes to the entry begun last.
    void write(const void* data, std::size_t n);
    /// Ends the entry: flushes deflate, writes the data descriptor.
    const EntryInfo& endEntry();

    /// Sees each chunk of an entry's bytes as it is written (to hash them on the way).
    using ChunkObserver = std::function<void(const void* data, std::size_t n)>;

    /// One whole entry from `source`, read in chunks from offset 0 to its size(); `onData`
    /// (if any) sees every chunk before it is written.
    const EntryInfo& addEntry(std::string name, zip::Method method, const ByteSource& source,
                              const ChunkObserver& onData = {});

    /// Writes the central directory and the end records and flushes the stream. Once only.
    void finish();

    /// Bytes written to the stream so far.
    std::uint64_t bytesWritten() const { return offset_; }
    const std::vector<EntryInfo>& entries() const { return entries_; }

  private:
    void emit(const void* data, std::size_t n);
    void emit(const std::string& bytes) { emit(bytes.data(), bytes.size()); }
    void deflateChunk(const void* data, std::size_t n);
    void requireUsable(const char* call) const;

    struct Deflater;

    std::ostream& out_;
    zip::DosDateTime modified_;
    Options options_;
    std::unique_ptr<Deflater> deflater_;
    std::vector<EntryInfo> entries_;
    std::unordered_set<std::string> names_;
    std::vector<char> outBuffer_;
    std::uint64_t offset_ = 0;
    bool inEntry_ = false;
    bool finished_ = false;
    bool failed_ = false;
};

}  // namespace dossier::storage

#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace dossier::http {

/// The headers of one multipart part that an upload needs (RFC 7578 §4.2, §4.4).
struct FormPartHeader {
    std::string disposition;  // the Content-Disposition value, "" if absent
    std::string contentType;  // the Content-Type value, "" if absent
};

/// Streams a multipart/form-data body (RFC 7578, RFC 2046 §5.1) part by part. A part's
/// bytes are handed out as views into one fixed buffer, so a 20 MB file costs the buffer,
/// not 20 MB, and no byte is copied on its way from the socket to the caller.
///
/// Poco's MultipartReader is not used: it reads the body one byte at a time through
/// istream::get/peek (about a third of a 10 MB upload's time on the request thread), and it
/// treats a body that ends without its close delimiter as complete, so a client that drops
/// the connection half-way would have its cut file stored.
///
/// Strict where it matters: a part ends only at "CRLF--boundary"; the body must end with the
/// close delimiter ("--boundary--"); a header block is at most kMaxHeaderBytes. A preamble
/// before the first delimiter and an epilogue after the last are ignored, as RFC 2046 says.
/// Errors throw dossier::Error request.malformed; errors of the underlying stream propagate.
/// Not thread-safe; one per request. `body` must outlive the reader.
class FormDataReader {
  public:
    static constexpr std::size_t kDefaultBufferBytes = 256 * 1024;
    static constexpr std::size_t kMaxHeaderBytes = 16 * 1024;
    static constexpr std::size_t kMaxBoundaryBytes = 200;  // RFC 2046 allows 70; be lenient
    static constexpr std::size_t kMinBufferBytes = kMaxHeaderBytes + 2 * kMaxBoundaryBytes + 64;

    /// `boundary` as given in the Content-Type (without the leading "--"). `bufferBytes`
    /// (raised to kMinBufferBytes) is the most a chunk can hold; tests use small ones to make
    /// delimiters straddle reads. Throws request.malformed for a bad boundary.
    FormDataReader(std::istream& body, std::string boundary,
                   std::size_t bufferBytes = kDefaultBufferBytes);
    FormDataReader(const FormDataReader&) = delete;
    FormDataReader& operator=(const FormDataReader&) = delete;

    /// Moves to the next part (skipping what is left of the current one) and reads its
    /// headers. False once the close delimiter has been read; an epilogue after it (clients
    /// send none) is read and dropped up to kMaxHeaderBytes.
    bool nextPart(FormPartHeader& header);

    /// The next bytes of the current part's body; empty at its end. The view is valid until
    /// the next call on the reader.
    std::string_view nextChunk();

  private:
    enum class State { Start, InPart, AtDelimiter, Done };

    /// Makes at least `n` bytes available from the current position if the body has them;
    /// returns the number available.
    std::size_t fill(std::size_t n);
    std::size_t available() const { return end_ - begin_; }
    const char* data() const { return buffer_.data() + begin_; }
    /// Finds the delimiter from the current position; npos if not in the buffer.
    std::size_t findDelimiter() const;
    /// Just past a delimiter: "--" (close) or transport padding and CRLF (another part).
    bool readAfterDelimiter();
    void readHeaders(FormPartHeader& header);
    void drain();

    std::istream& body_;
    std::string delimiter_;  // CRLF "--" boundary
    std::vector<char> buffer_;
    std::size_t begin_ = 0, end_ = 0;
    bool eof_ = false;
    State state_ = State::Start;
};

}  // namespace dossier::http

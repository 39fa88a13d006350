#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "dossier/core/Error.h"
#include "dossier/http/FormDataReader.h"

using namespace dossier;
using namespace dossier::http;

namespace {

constexpr const char* kBoundary = "----DossierBoundary7MA1XK7Q2";

struct Part {
    FormPartHeader header;
    std::string body;
};

std::vector<Part> readAll(const std::string& body, std::size_t bufferBytes = 0) {
    std::istringstream in(body);
    FormDataReader reader(in, kBoundary,
                          bufferBytes ? bufferBytes : FormDataReader::kDefaultBufferBytes);
    std::vector<Part> parts;
    FormPartHeader header;
    while (reader.nextPart(header)) {
        Part p{header, {}};
        for (auto chunk = reader.nextChunk(); !chunk.empty(); chunk = reader.nextChunk()) {
            p.body += chunk;
        }
        parts.push_back(std::move(p));
    }
    return parts;
}

std::string part(const std::string& disposition, const std::string& body,
                 const std::string& type = "") {
    std::string s =
        std::string("--") + kBoundary + "\r\nContent-Disposition: " + disposition + "\r\n";
    if (!type.empty()) s += "Content-Type: " + type + "\r\n";
    return s + "\r\n" + body + "\r\n";
}

std::string closing() { return std::string("--") + kBoundary + "--\r\n"; }

/// Bytes that look like the start of a delimiter everywhere: CRLF, "--", prefixes of the
/// boundary — a file may hold any of them except the whole delimiter.
std::string nastyBytes(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::string boundary = std::string("\r\n--") + kBoundary;
    std::string s;
    while (s.size() < n) {
        switch (rng() % 4) {
            case 0:
                s += boundary.substr(0, rng() % boundary.size());  // never the whole of it
                break;
            case 1:
                s += std::string("--") + kBoundary;  // a boundary not after CRLF
                break;
            default:
                s += static_cast<char>(rng());
        }
    }
    s.resize(n);
    // Cutting may have left a whole delimiter at the very end with the next piece: make sure
    // no delimiter remains anywhere.
    for (auto at = s.find(boundary); at != std::string::npos; at = s.find(boundary)) s[at] = 'x';
    return s;
}

std::string codeOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return std::string(e.code().text());
    }
    return "none";
}

}  // namespace

TEST(FormDataReader, ReadsFieldsAndAFile) {
    std::string file = nastyBytes(100'000, 1);
    std::string body =
        part("form-data; name=\"kind\"", "license") +
        part("form-data; name=\"file\"; filename=\"a.pdf\"", file, "application/pdf") +
        part("form-data; name=\"empty\"", "") + closing();
    auto parts = readAll(body);
    ASSERT_EQ(parts.size(), 3u);
    EXPECT_EQ(parts[0].header.disposition, "form-data; name=\"kind\"");
    EXPECT_EQ(parts[0].body, "license");
    EXPECT_EQ(parts[1].header.contentType, "application/pdf");
    EXPECT_EQ(parts[1].body.size(), file.size());
    EXPECT_TRUE(parts[1].body == file);
    EXPECT_EQ(parts[2].body, "");
}

// Delimiters and header blocks that straddle the end of the reader's buffer: every offset
// around one buffer's worth, with the smallest buffer the reader takes.
TEST(FormDataReader, DelimitersAcrossBufferEnds) {
    std::size_t buffer = FormDataReader::kMinBufferBytes;
    for (std::size_t size = buffer - 300; size < buffer + 100; size += 7) {
        std::string file = nastyBytes(size, static_cast<unsigned>(size));
        std::string body = part("form-data; name=\"file\"; filename=\"x\"", file) +
                           part("form-data; name=\"kind\"", "evidence") + closing();
        auto parts = readAll(body, buffer);
        ASSERT_EQ(parts.size(), 2u) << size;
        EXPECT_TRUE(parts[0].body == file) << size;
        EXPECT_EQ(parts[1].body, "evidence") << size;
    }
}

TEST(FormDataReader, PreambleEpilogueAndPadding) {
    std::string body = "This is a preamble.\r\n" + part("form-data; name=\"a\"", "1");
    body += std::string("--") + kBoundary +
            " \t\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\n2\r\n";
    body += closing() + "an epilogue";
    auto parts = readAll(body);
    ASSERT_EQ(parts.size(), 2u);
    EXPECT_EQ(parts[0].body, "1");
    EXPECT_EQ(parts[1].body, "2");
}

// A body cut off before its close delimiter ("--boundary--"; the CRLF after it is optional)
// is a cut-off upload, never a complete file (Poco's MultipartReader handed the cut file on
// as if it were whole).
TEST(FormDataReader, ACutBodyIsRefused) {
    std::string file = nastyBytes(50'000, 7);
    std::string whole = part("form-data; name=\"file\"; filename=\"x\"", file) + closing();
    for (std::size_t cut :
         {whole.size() - 3, whole.size() - closing().size(), whole.size() - closing().size() - 2,
          std::size_t(60), std::size_t(10)}) {
        EXPECT_EQ(codeOf([&] { readAll(whole.substr(0, cut)); }), "request.malformed") << cut;
    }
    EXPECT_EQ(codeOf([&] { readAll(""); }), "request.malformed");
    EXPECT_EQ(codeOf([&] { readAll("garbage without boundary"); }), "request.malformed");
}

TEST(FormDataReader, MalformedFraming) {
    // Something other than CRLF or "--" after a delimiter.
    std::string body = std::string("--") + kBoundary + "X\r\n\r\nv\r\n" + closing();
    EXPECT_EQ(codeOf([&] { readAll(body); }), "request.malformed");
    // A header block larger than the limit.
    body = std::string("--") + kBoundary +
           "\r\nX-Long: " + std::string(FormDataReader::kMaxHeaderBytes, 'a') + "\r\n\r\nv\r\n" +
           closing();
    EXPECT_EQ(codeOf([&] { readAll(body); }), "request.malformed");
    // An empty or absurd boundary.
    std::istringstream in("x");
    EXPECT_EQ(codeOf([&] { FormDataReader r(in, ""); }), "request.malformed");
    EXPECT_EQ(codeOf([&] { FormDataReader r(in, std::string(201, 'b')); }), "request.malformed");
}

// A part's bytes come out in chunks no larger than the buffer, whatever the part's size:
// memory stays bounded by the buffer, not the file.
TEST(FormDataReader, ChunksAreBoundedByTheBuffer) {
    std::string file(3'000'000, 'z');
    std::string body = part("form-data; name=\"file\"; filename=\"x\"", file) + closing();
    std::istringstream in(body);
    FormDataReader reader(in, kBoundary, 64 * 1024);
    FormPartHeader header;
    ASSERT_TRUE(reader.nextPart(header));
    std::size_t total = 0, largest = 0, chunks = 0;
    for (auto chunk = reader.nextChunk(); !chunk.empty(); chunk = reader.nextChunk()) {
        total += chunk.size();
        largest = std::max(largest, chunk.size());
        ++chunks;
    }
    EXPECT_EQ(total, file.size());
    EXPECT_LE(largest, 64u * 1024);
    EXPECT_GE(chunks, file.size() / (64 * 1024));
    EXPECT_FALSE(reader.nextPart(header));
}

#pragma once

#include <string>

#include "dossier/core/ByteSource.h"
#include "dossier/core/MediaType.h"

namespace dossier::evidence {

enum class Integrity { Intact, Truncated, Corrupt };

struct SniffResult {
    MediaType type = MediaType::Unknown;
    Integrity integrity = Integrity::Intact;
    /// Why the file is truncated/corrupt or what it looks like when Unknown; client-safe.
    std::string note;
};

/// Decides a file's type from its bytes alone, never from its name or declared type.
///
/// JPEG: the marker structure is walked to the EOI marker; PNG: chunks are walked to IEND;
/// PDF: `%PDF-` header and `%%EOF` trailer; ZIP: the central directory is read and the
/// OOXML `[Content_Types].xml` (inflated with a 1 MiB cap, so a zip bomb costs nothing)
/// tells DOCX and XLSX from any other ZIP. A file that ends early is `Truncated`.
/// Reads are bounded: a few KiB plus one linear pass over a JPEG's entropy data.
class TypeSniffer {
  public:
    static SniffResult sniff(const ByteSource& source);
};

}  // namespace dossier::evidence

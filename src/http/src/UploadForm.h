#pragma once

#include <istream>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "dossier/core/DocumentKind.h"
#include "dossier/filing/Upload.h"

namespace dossier::filing {
class DocumentService;
}

namespace dossier::http {

/// Reads an upload's multipart/form-data body. The part named `file` is the file, whatever
/// its parameters (clients name it with `filename`, `filename*` or both), and is streamed
/// into an Upload (FormDataReader); every other part is a short text field. Poco's HTMLForm is not
/// used: it takes only parts with a plain `filename` for files and reads any other part, such as a
/// file named only by `filename*`, into memory as a field. Not thread-safe; one per request.
class FormDataReader;

class UploadForm {
  public:
    static constexpr int kMaxParts = 16;
    static constexpr std::size_t kMaxFieldBytes = 1024;

    /// `service` must outlive the form.
    explicit UploadForm(filing::DocumentService& service) : service_(service) {}
    /// A form whose file is of `kind` whatever its fields say (the QC import): the stream is
    /// held to that kind's limit from its first byte.
    UploadForm(filing::DocumentService& service, DocumentKind kind)
        : service_(service), fixedKind_(kind) {}

    /// Reads the whole body. Throws dossier::Error: upload.file_name_missing (a file part
    /// with no name at all), upload.file_name_invalid (a `filename*` that cannot be
    /// decoded), request.malformed (a second file, a file in another field, too many or too
    /// long fields, a body that is not multipart or ends before its closing boundary),
    /// upload.too_large while streaming.
    void read(std::istream& body, const std::string& boundary);

    /// The file part, or null if there was none. Ownership passes to the caller.
    std::unique_ptr<filing::Upload> takeUpload() { return std::move(upload_); }
    /// The file's name as sent (decoded, not sanitized) and its declared Content-Type.
    const std::string& fileName() const { return fileName_; }
    const std::string& declaredType() const { return declaredType_; }
    /// The first value of a text field, "" if absent.
    std::string field(const std::string& name) const;

  private:
    void readFile(const std::string& disposition, const std::string& contentType,
                  FormDataReader& reader);

    filing::DocumentService& service_;
    std::unique_ptr<filing::Upload> upload_;
    std::string fileName_;
    std::string declaredType_;
    std::multimap<std::string, std::string> fields_;
    std::optional<DocumentKind> fixedKind_;
};

}  // namespace dossier::http

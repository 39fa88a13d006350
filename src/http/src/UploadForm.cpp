#include "UploadForm.h"

#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/MultipartReader.h>
#include <Poco/Net/NameValueCollection.h>

#include <vector>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/filing/DocumentService.h"
#include "dossier/http/HttpSemantics.h"

namespace dossier::http {
namespace {

constexpr std::size_t kIoChunk = 256 * 1024;

}  // namespace

std::string UploadForm::field(const std::string& name) const {
    auto it = fields_.find(name);
    return it == fields_.end() ? std::string() : it->second;
}

void UploadForm::read(std::istream& body, const std::string& boundary) {
    Poco::Net::MultipartReader reader(body, boundary);
    int parts = 0;
    while (reader.hasNextPart()) {
        if (++parts > kMaxParts) {
            throw Error(codes::kRequestMalformed,
                        "The form has more than " + std::to_string(kMaxParts) + " parts.");
        }
        Poco::Net::MessageHeader header;
        reader.nextPart(header);
        std::string disposition = header.get("Content-Disposition", "");
        std::string type;
        Poco::Net::NameValueCollection params;
        Poco::Net::MessageHeader::splitParameters(disposition, type, params);
        std::string name = params.get("name", "");
        std::istream& stream = reader.stream();
        if (name == "file") {
            readFile(disposition, header.get("Content-Type", ""), stream);
        } else if (params.has("filename") || params.has("filename*")) {
            throw Error(codes::kRequestMalformed, "Unexpected file part '" + name +
                                                      "': send exactly one file, in the "
                                                      "form field 'file'.");
        } else {
            std::string value;
            char c;
            while (stream.get(c)) {
                if (value.size() == kMaxFieldBytes) {
                    throw Error(codes::kRequestMalformed,
                                "The form field '" + name + "' is longer than " +
                                    std::to_string(kMaxFieldBytes) + " bytes.");
                }
                value += c;
            }
            fields_.emplace(name, std::move(value));
        }
    }
}

void UploadForm::readFile(const std::string& disposition, const std::string& contentType,
                          std::istream& stream) {
    if (upload_) throw Error(codes::kRequestMalformed, "Send exactly one file per upload.");
    // The name is judged before a byte is staged: a refused name stores nothing.
    PartFileName name = partFileName(disposition);
    if (name.status == PartFileName::Status::Absent) {
        throw Error(codes::kUploadFileNameMissing,
                    "The file part has no file name: send it as "
                    "Content-Disposition: form-data; name=\"file\"; filename=\"…\" (or "
                    "filename*=UTF-8''… for a percent-encoded name).");
    }
    if (name.status == PartFileName::Status::Invalid) {
        throw Error(codes::kUploadFileNameInvalid, name.problem, disposition);
    }
    fileName_ = name.name;
    declaredType_ = contentType;
    upload_ = service_.beginUpload();
    // When `kind` came before the file, hold the stream to that kind's own limit.
    if (auto kind = parseDocumentKind(field("kind"))) {
        upload_->lowerCap(service_.limits().limitOf(*kind));
    }
    std::vector<char> buf(kIoChunk);
    while (stream) {
        stream.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        auto n = static_cast<std::size_t>(stream.gcount());
        if (n > 0) upload_->write(buf.data(), n);
    }
}

}  // namespace dossier::http

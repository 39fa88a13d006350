#include "UploadForm.h"

#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/NameValueCollection.h>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/filing/DocumentService.h"
#include "dossier/http/FormDataReader.h"
#include "dossier/http/HttpSemantics.h"

namespace dossier::http {

std::string UploadForm::field(const std::string& name) const {
    auto it = fields_.find(name);
    return it == fields_.end() ? std::string() : it->second;
}

void UploadForm::read(std::istream& body, const std::string& boundary) {
    FormDataReader reader(body, boundary);
    int parts = 0;
    FormPartHeader header;
    while (reader.nextPart(header)) {
        if (++parts > kMaxParts) {
            throw Error(codes::kRequestMalformed,
                        "The form has more than " + std::to_string(kMaxParts) + " parts.");
        }
        std::string type;
        Poco::Net::NameValueCollection params;
        Poco::Net::MessageHeader::splitParameters(header.disposition, type, params);
        std::string name = params.get("name", "");
        if (name == "file") {
            readFile(header.disposition, header.contentType, reader);
        } else if (params.has("filename") || params.has("filename*")) {
            throw Error(codes::kRequestMalformed, "Unexpected file part '" + name +
                                                      "': send exactly one file, in the "
                                                      "form field 'file'.");
        } else {
            std::string value;
            for (auto chunk = reader.nextChunk(); !chunk.empty(); chunk = reader.nextChunk()) {
                if (value.size() + chunk.size() > kMaxFieldBytes) {
                    throw Error(codes::kRequestMalformed,
                                "The form field '" + name + "' is longer than " +
                                    std::to_string(kMaxFieldBytes) + " bytes.");
                }
                value += chunk;
            }
            fields_.emplace(name, std::move(value));
        }
    }
}

void UploadForm::readFile(const std::string& disposition, const std::string& contentType,
                          FormDataReader& reader) {
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
    if (fixedKind_) {
        upload_->lowerCap(service_.limits().limitOf(*fixedKind_));
    } else if (auto kind = parseDocumentKind(field("kind"))) {
        upload_->lowerCap(service_.limits().limitOf(*kind));
    }
    // Straight from the reader's buffer to the staged file and its hash: no copy between.
    for (auto chunk = reader.nextChunk(); !chunk.empty(); chunk = reader.nextChunk()) {
        upload_->write(chunk.data(), chunk.size());
    }
}

}  // namespace dossier::http

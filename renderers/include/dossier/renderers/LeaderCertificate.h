#pragma once

#include <cstdint>
#include <string>

namespace dossier::renderers {

/// 企业标准"领跑者"证书 (seed 003): issued after the 14-day public notice, first unstamped,
/// then stamped once the evaluation body returns its seal.
struct LeaderCertificate {
    std::string certificateNumber;
    std::string enterpriseName;
    std::string creditCode;
    std::string domain;  // 重点领域产品
    std::string productName;
    std::string standardNumber;
    std::string standardName;
    std::string evaluationBody;
    int starLevel = 5;
    std::string issuedOn;    // YYYY-MM-DD
    std::string validUntil;  // YYYY-MM-DD
    std::string verifyUrl;   // public verification page, encoded in the QR code

    /// From the JSON of templates/samples/leader-certificate.json, checked against
    /// templates/schemas/leader-certificate.json (compiled in) and valid_until after issued_on;
    /// throws dossier::ValidationError listing every problem (a missing field, a value of the
    /// wrong JSON type, too long, an invalid credit code, a star level outside 3–5, a date, a
    /// URL that is not https:// or too long for the QR code, an unknown field),
    /// request.number_out_of_range or request.malformed for JSON that cannot be read.
    static LeaderCertificate fromJson(const std::string& json);
    /// The same rules on the struct; throws ValidationError with every problem at once.
    void validate() const;
};

/// Renders a certificate: A4 landscape, border, title, fields, stars, a QR code of the
/// verification URL (libqrencode, drawn as vector squares), and the evaluation body's seal
/// box — with the seal PNG laid over it for the stamped variant. Deterministic for a given
/// `createdMicros`.
std::string renderLeaderCertificate(const LeaderCertificate& certificate,
                                    const std::string& sealPng = {},
                                    std::int64_t createdMicros = 0);

}  // namespace dossier::renderers

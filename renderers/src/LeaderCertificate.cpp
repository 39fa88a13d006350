#include "dossier/renderers/LeaderCertificate.h"

#include <Poco/JSON/Object.h>

#include "FixedLayoutSchema.h"
#include "TemplateJson.h"
#include "dossier/core/CreditCode.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/ValidationError.h"
#include "dossier/renderers/PdfComposer.h"

namespace dossier::renderers {
namespace {

/// What the schema cannot say: the certificate ends after it is issued.
void addOrderProblem(const std::string& issuedOn, const std::string& validUntil,
                     std::vector<FieldProblem>& problems) {
    if (chineseDate(issuedOn) && chineseDate(validUntil) && validUntil <= issuedOn) {
        problems.push_back(
            {"valid_until", codes::kFieldOrder, "The certificate must end after it is issued."});
    }
}

void throwIfAny(std::vector<FieldProblem> problems) {
    if (!problems.empty()) throw ValidationError(std::move(problems));
}

}  // namespace

LeaderCertificate LeaderCertificate::fromJson(const std::string& json) {
    Poco::Dynamic::Var data = parseRequestData(json, "certificate data");
    auto problems = leaderCertificateSchema().problems(data, false);
    Poco::JSON::Object::Ptr o = asObject(data);
    addOrderProblem(schemaText(o, "issued_on"), schemaText(o, "valid_until"), problems);
    throwIfAny(std::move(problems));
    // Accepted by the schema: every value below is present, of its type and in its range.
    LeaderCertificate c;
    c.certificateNumber = schemaText(o, "certificate_number");
    c.enterpriseName = schemaText(o, "enterprise_name");
    c.creditCode = schemaText(o, "credit_code");
    c.domain = schemaText(o, "domain");
    Poco::JSON::Object::Ptr product = asObject(o->get("product"));
    c.productName = schemaText(product, "name");
    c.standardNumber = schemaText(product, "standard_number");
    c.standardName = schemaText(product, "standard_name");
    c.evaluationBody = schemaText(o, "evaluation_body");
    c.starLevel = static_cast<int>(o->get("star_level").convert<double>());
    c.issuedOn = schemaText(o, "issued_on");
    c.validUntil = schemaText(o, "valid_until");
    c.verifyUrl = schemaText(o, "verify_url");
    return c;
}

void LeaderCertificate::validate() const {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(true);
    o->set("certificate_number", certificateNumber);
    o->set("enterprise_name", enterpriseName);
    o->set("credit_code", creditCode);
    o->set("domain", domain);
    Poco::JSON::Object::Ptr product = new Poco::JSON::Object(true);
    product->set("name", productName);
    product->set("standard_number", standardNumber);
    product->set("standard_name", standardName);
    o->set("product", product);
    o->set("evaluation_body", evaluationBody);
    o->set("star_level", starLevel);
    o->set("issued_on", issuedOn);
    o->set("valid_until", validUntil);
    o->set("verify_url", verifyUrl);
    auto problems = leaderCertificateSchema().problems(Poco::Dynamic::Var(o), false);
    addOrderProblem(issuedOn, validUntil, problems);
    throwIfAny(std::move(problems));
}

std::string renderLeaderCertificate(const LeaderCertificate& c, const std::string& sealPng,
                                    std::int64_t createdMicros) {
    c.validate();
    PageSetup landscape;
    landscape.width = 841.89;
    landscape.height = 595.28;
    landscape.pageNumbers = false;
    PdfComposer pdf(landscape, {"企业标准“领跑者”证书 " + c.certificateNumber, c.evaluationBody,
                                createdMicros});
    const double w = landscape.width, h = landscape.height;
    pdf.strokeRect(28, 28, w - 56, h - 56, 3);
    pdf.strokeRect(38, 38, w - 76, h - 76, 0.8);
    TextStyle title{Face::Hei, 32, 1.2, TextStyle::Align::Center, 0};
    pdf.textAt(w / 2, h - 110, "企业标准“领跑者”证书", title);
    pdf.textAt(w / 2, h - 140, "证书编号：" + c.certificateNumber,
               {Face::Song, 12, 1.2, TextStyle::Align::Center, 0});

    TextStyle label{Face::Hei, 14, 1.2, TextStyle::Align::Left, 0};
    TextStyle value{Face::Song, 14, 1.2, TextStyle::Align::Left, 0};
    const double left = 110, valueX = 250;
    double y = h - 200;
    auto field = [&](const std::string& name, const std::string& v) {
        pdf.textAt(left, y, name, label);
        pdf.textAt(valueX, y, v, value);
        y -= 32;
    };
    field("企业名称", c.enterpriseName);
    field("统一社会信用代码", CreditCode::normalize(c.creditCode));
    field("重点领域产品", c.domain);
    field("产品名称", c.productName);
    field("企业标准", c.standardNumber + "《" + c.standardName + "》");
    field("评估机构", c.evaluationBody);
    std::string stars;
    for (int i = 0; i < c.starLevel; ++i) stars += "★";
    field("星级", stars + "（" + std::to_string(c.starLevel) + "星级）");
    field("有效期", c.issuedOn + " 至 " + c.validUntil);

    // QR code of the public verification page, as vector modules.
    const double qrSize = 100, qrX = w - 60 - qrSize, qrY = 72;
    pdf.qrCode(c.verifyUrl, qrX, qrY, qrSize, 4);
    pdf.textAt(qrX + qrSize / 2, qrY - 14, "扫码验证",
               {Face::Song, 10.5, 1.2, TextStyle::Align::Center, 0});

    // The evaluation body's seal box, with the seal laid over it when stamped.
    const double sealX = w - 320, sealY = 64, sealSize = 120;
    pdf.textAt(sealX + sealSize / 2, sealY + sealSize + 18, c.evaluationBody + "（盖章）",
               {Face::Song, 12, 1.2, TextStyle::Align::Center, 0});
    pdf.textAt(sealX + sealSize / 2, sealY - 8, c.issuedOn,
               {Face::Song, 12, 1.2, TextStyle::Align::Center, 0});
    if (!sealPng.empty()) pdf.pngImage(sealPng, sealX, sealY, sealSize, sealSize);
    return pdf.finish();
}

}  // namespace dossier::renderers

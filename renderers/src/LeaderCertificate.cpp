#include "dossier/renderers/LeaderCertificate.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <memory>
#include <regex>

#include "JsonFields.h"
#include "dossier/core/CreditCode.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/Utf8.h"
#include "dossier/core/ValidationError.h"
#include "dossier/renderers/PdfComposer.h"

namespace dossier::renderers {
namespace {

bool isDate(const std::string& s) {
    static const std::regex date(R"(^(19|20)\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$)");
    return std::regex_match(s, date);
}

}  // namespace

LeaderCertificate LeaderCertificate::fromJson(const std::string& json) {
    Poco::JSON::Object::Ptr o = parseJsonObject(json, "certificate");
    LeaderCertificate c;
    c.certificateNumber = textField(o, "certificate_number");
    c.enterpriseName = textField(o, "enterprise_name");
    c.creditCode = textField(o, "credit_code");
    c.domain = textField(o, "domain");
    Poco::JSON::Object::Ptr product = o->has("product") ? o->getObject("product") : nullptr;
    c.productName = textField(product, "name");
    c.standardNumber = textField(product, "standard_number");
    c.standardName = textField(product, "standard_name");
    c.evaluationBody = textField(o, "evaluation_body");
    c.starLevel = o->has("star_level") && o->get("star_level").isInteger()
                      ? o->getValue<int>("star_level")
                      : 0;
    c.issuedOn = textField(o, "issued_on");
    c.validUntil = textField(o, "valid_until");
    c.verifyUrl = textField(o, "verify_url");
    c.validate();
    return c;
}

void LeaderCertificate::validate() const {
    std::vector<FieldProblem> problems;
    auto required = [&](const std::string& value, const char* path, const char* label) {
        if (value.empty())
            problems.push_back({path, codes::kFieldRequired, std::string(label) + " is required."});
    };
    required(certificateNumber, "certificate_number", "The certificate number");
    required(enterpriseName, "enterprise_name", "The enterprise name");
    required(domain, "domain", "The key product domain (重点领域产品)");
    required(productName, "product.name", "The product name");
    required(standardNumber, "product.standard_number", "The standard number");
    required(standardName, "product.standard_name", "The standard name");
    required(evaluationBody, "evaluation_body", "The evaluation body");
    required(verifyUrl, "verify_url", "The verification URL");
    auto code = CreditCode::check(creditCode);
    if (creditCode.empty()) {
        problems.push_back({"credit_code", codes::kFieldRequired, "The credit code is required."});
    } else if (!code.valid) {
        problems.push_back({"credit_code", codes::kFieldCreditCode,
                            "Not a valid 统一社会信用代码 (" +
                                std::string(CreditCode::problemName(code.problem)) + ")."});
    }
    if (starLevel < 3 || starLevel > 5) {
        problems.push_back({"star_level", codes::kFieldRange, "The star level must be 3, 4 or 5."});
    }
    if (!isDate(issuedOn))
        problems.push_back({"issued_on", codes::kFieldDate, "Use a date as YYYY-MM-DD."});
    if (!isDate(validUntil))
        problems.push_back({"valid_until", codes::kFieldDate, "Use a date as YYYY-MM-DD."});
    if (isDate(issuedOn) && isDate(validUntil) && validUntil <= issuedOn) {
        problems.push_back(
            {"valid_until", codes::kFieldOrder, "The certificate must end after it is issued."});
    }
    if (utf8::decode(enterpriseName).size() > 60) {
        problems.push_back({"enterprise_name", codes::kFieldTooLong, "At most 60 characters."});
    }
    if (!verifyUrl.empty() && verifyUrl.rfind("https://", 0) != 0 &&
        verifyUrl.rfind("http://", 0) != 0) {
        problems.push_back(
            {"verify_url", codes::kFieldUrl, "The verification URL must start with https://."});
    }
    if (!problems.empty()) throw ValidationError(std::move(problems));
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

#include <gtest/gtest.h>

#include <cstdio>
#include <memory>

#include "GoldenFiles.h"
#include "TestSupport.h"
#include "dossier/core/ValidationError.h"
#include "dossier/renderers/LeaderCertificate.h"

using namespace dossier;
using namespace dossier::renderers;
using namespace dossier::test;

namespace {

std::string sampleJson() {
    return readFile(std::string(DOSSIER_SOURCE_DIR) + "/templates/samples/leader-certificate.json");
}

constexpr std::int64_t kFixedTime = 1'751'241'600'000'000;  // 2025-06-30

}  // namespace

TEST(LeaderCertificate, SampleRendersWithEveryFieldExtractable) {
    auto cert = LeaderCertificate::fromJson(sampleJson());
    std::string pdf = renderLeaderCertificate(cert, {}, kFixedTime);
    EXPECT_LT(pdf.size(), 100u * 1024) << "target: <= 100 KB";
    TempDir dir;
    writeFile(dir.path() + "/c.pdf", pdf);
    std::string text = runCommand("pdftotext " + dir.path() + "/c.pdf - 2>/dev/null");
    for (const std::string& v :
         {cert.certificateNumber, cert.enterpriseName, cert.creditCode, cert.domain,
          cert.productName, cert.standardNumber, cert.evaluationBody, cert.issuedOn,
          cert.validUntil, std::string("★★★★★")}) {
        EXPECT_NE(text.find(v), std::string::npos) << v << " missing from:\n" << text;
    }
    std::string check = runCommand("qpdf --check " + dir.path() + "/c.pdf 2>&1");
    EXPECT_NE(check.find("No syntax or stream encoding errors"), std::string::npos) << check;
    std::string info = runCommand("pdfinfo " + dir.path() + "/c.pdf 2>/dev/null");
    EXPECT_NE(info.find("841.89 x 595.28 pts (A4)"), std::string::npos) << info;  // A4 landscape
    EXPECT_EQ(pdf, renderLeaderCertificate(cert, {}, kFixedTime)) << "not deterministic";
    expectMatchesGolden("leader-certificate", pdf, 1);
}

TEST(LeaderCertificate, StampedVariantCarriesTheSealImage) {
    auto cert = LeaderCertificate::fromJson(sampleJson());
    std::string seal = readFile(fixturePath("real/getseal_source_beijing_zhongdao.png"));
    TempDir dir;
    writeFile(dir.path() + "/plain.pdf", renderLeaderCertificate(cert, {}, kFixedTime));
    writeFile(dir.path() + "/stamped.pdf", renderLeaderCertificate(cert, seal, kFixedTime));
    auto images = [&](const std::string& f) {
        std::string list = runCommand("pdfimages -list " + dir.path() + "/" + f + " 2>/dev/null");
        int lines = 0;
        for (char c : list) lines += c == '\n';
        return lines - 2;  // minus the two header lines
    };
    EXPECT_EQ(images("plain.pdf"), 0);
    EXPECT_GE(images("stamped.pdf"), 1);
    EXPECT_THROW(renderLeaderCertificate(cert, "GIF89a not a png", kFixedTime), Error);
}

TEST(LeaderCertificate, EveryProblemIsListedAtOnce) {
    std::string bad =
        R"({"certificate_number": "", "enterprise_name": "示例", "credit_code": "91330000MA2H7K3R9N",
                          "domain": "低压电器", "product": {"name": "断路器"}, "evaluation_body": "机构",
                          "star_level": 7, "issued_on": "2025-13-01", "valid_until": "2024-01-01",
                          "verify_url": "ftp://x"})";
    try {
        LeaderCertificate::fromJson(bad);
        FAIL();
    } catch (const ValidationError& e) {
        std::vector<std::string> paths;
        for (const auto& p : e.problems()) {
            paths.push_back(p.path);
            // The code every other form uses for a bad credit code (was credit_code.invalid).
            if (p.path == "credit_code") {
                EXPECT_EQ(p.code, "field.credit_code");
            }
        }
        for (const char* want :
             {"certificate_number", "credit_code", "product.standard_number",
              "product.standard_name", "star_level", "issued_on", "verify_url"}) {
            EXPECT_NE(std::find(paths.begin(), paths.end(), want), paths.end()) << want;
        }
        EXPECT_EQ(e.code(), "validation.failed");
    }
    EXPECT_THROW(LeaderCertificate::fromJson("{not json"), Error);
}

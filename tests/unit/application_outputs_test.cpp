// The printed outputs of an application (issue 12, "Outputs"): the book with its 草稿 mark or
// its submitted footer, the same bytes every time; the submission receipt with every file's
// digest; the forms and a new application's book pre-filled from the organization's approved
// filing. Through RenderService, as the routes call it; no database.
#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <regex>

#include "FilingRules.h"  // filingDataJson: the approved filing's stored shape
#include "TestSupport.h"
#include "dossier/core/Clock.h"
#include "dossier/core/Error.h"
#include "dossier/core/ValidationError.h"
#include "dossier/filing/ApplicationOutputs.h"
#include "dossier/filing/RenderService.h"
#include "dossier/renderers/DocumentTemplate.h"
#include "dossier/storage/Sha256.h"

namespace dossier::filing {
namespace {

using test::readFile;
using test::runCommand;
using test::TempDir;
using test::writeFile;

const std::string kTemplates = std::string(DOSSIER_SOURCE_DIR) + "/templates";
// 2025-04-15 10:23:45 in Beijing (UTC+8), the instant of the issue's example.
constexpr std::int64_t kSubmitted = 1744683825LL * 1000000;
const std::string kRare = "\xF0\xA0\xAE\xB7";  // 𠮷 U+20BB7, outside the BMP

std::string squeeze(std::string s) {
    for (std::size_t at; (at = s.find("\u3000")) != std::string::npos;) s.erase(at, 3);
    std::string r;
    for (char c : s) {
        if (c != ' ' && c != '\n' && c != '\t' && c != '\r' && c != '\f') r += c;
    }
    return r;
}

int pageCount(const std::string& path) {
    std::smatch m;
    std::string info = runCommand("pdfinfo " + path + " 2>/dev/null");
    return std::regex_search(info, m, std::regex(R"(Pages:\s+(\d+))")) ? std::stoi(m[1]) : 0;
}

std::vector<std::string> pagesText(const std::string& path) {
    std::vector<std::string> pages;
    for (int p = 1, n = pageCount(path); p <= n; ++p) {
        pages.push_back(runCommand("pdftotext -f " + std::to_string(p) + " -l " +
                                   std::to_string(p) + " " + path + " - 2>/dev/null"));
    }
    return pages;
}

Poco::JSON::Object::Ptr parse(const std::string& json) {
    Poco::JSON::Parser parser;
    return parser.parse(json).extract<Poco::JSON::Object::Ptr>();
}

std::string sha256Hex(const std::string& bytes) { return storage::Sha256::of(bytes); }

class ApplicationOutputs : public ::testing::Test {
  protected:
    FixedClock clock_{1'800'000'000'000'000};  // "now": never what the outputs are dated
    RenderService render_{clock_, kTemplates};
};

ApplicationBook submittedSample() {
    ApplicationBook book;
    book.templateId = "benchmark-2022";
    book.dataJson = readFile(kTemplates + "/samples/benchmark-2022-book.json");
    book.applicationNumber = "B2025-000123";
    book.submittedAtMicros = kSubmitted;
    book.updatedAtMicros = kSubmitted - 60'000'000;
    return book;
}

}  // namespace

TEST(ApplicationOutputText, BeijingTimeToTheSecond) {
    EXPECT_EQ(beijingSecond(kSubmitted), "2025-04-15 10:23:45");
    EXPECT_EQ(beijingSecond(kSubmitted + 999'999), "2025-04-15 10:23:45");  // not rounded up
    // 16:00 UTC is the next day in Beijing.
    EXPECT_EQ(beijingSecond(1735747200LL * 1000000), "2025-01-02 00:00:00");  // 01-01T16:00Z
    EXPECT_EQ(submittedBookFooter("B2025-000123", kSubmitted),
              "申报编号 B2025-000123\u3000提交时间 2025-04-15 10:23:45 北京时间");
}

// A submitted book: its number and the submission instant at the foot of every page, dated
// its submission, the same bytes on every request whatever the clock says.
TEST_F(ApplicationOutputs, SubmittedBookIsTheSameBytesWithItsFooterOnEveryPage) {
    auto first = render_.renderBook(submittedSample());
    clock_.set(1'900'000'000'000'000);
    auto again = render_.renderBook(submittedSample());
    ASSERT_EQ(first.bytes, again.bytes) << "not deterministic";
    EXPECT_EQ(first.mediaType, "application/pdf");
    TempDir dir;
    writeFile(dir.path() + "/book.pdf", first.bytes);
    auto pages = pagesText(dir.path() + "/book.pdf");
    ASSERT_EQ(pages.size(), 8u);
    for (std::size_t p = 0; p < pages.size(); ++p) {
        std::string text = squeeze(pages[p]);
        EXPECT_NE(text.find("申报编号B2025-000123提交时间2025-04-1510:23:45北京时间"),
                  std::string::npos)
            << "page " << p + 1 << ": " << pages[p];
        EXPECT_EQ(text.find("草稿"), std::string::npos) << "page " << p + 1;
    }
    EXPECT_NE(runCommand("pdfinfo " + dir.path() + "/book.pdf").find("Apr 15 02:23:45 2025"),
              std::string::npos)
        << runCommand("pdfinfo " + dir.path() + "/book.pdf");
    // Another application number or instant is another footer, and other bytes.
    auto other = submittedSample();
    other.applicationNumber = "B2025-000124";
    EXPECT_NE(render_.renderBook(other).bytes, first.bytes);
}

// A draft's book: 草稿 on every page, no footer, blanks where data is missing; dated its
// last save, so an unchanged draft prints the same bytes too.
TEST_F(ApplicationOutputs, DraftBookIsMarkedOnEveryPage) {
    auto draft = submittedSample();
    draft.submittedAtMicros = 0;
    draft.dataJson = R"({"enterprise": {"name": ")" + kRare + R"(野家（上海）餐饮管理有限公司"}})";
    auto pdf = render_.renderBook(draft);
    EXPECT_EQ(pdf.bytes, render_.renderBook(draft).bytes);
    TempDir dir;
    writeFile(dir.path() + "/draft.pdf", pdf.bytes);
    auto pages = pagesText(dir.path() + "/draft.pdf");
    ASSERT_GE(pages.size(), 8u);
    for (std::size_t p = 0; p < pages.size(); ++p) {
        EXPECT_NE(pages[p].find("草稿"), std::string::npos) << "page " << p + 1;
        EXPECT_EQ(squeeze(pages[p]).find("申报编号B2025"), std::string::npos) << "page " << p + 1;
    }
    EXPECT_NE(squeeze(runCommand("pdftotext " + dir.path() + "/draft.pdf - 2>/dev/null"))
                  .find(kRare + "野家（上海）餐饮管理有限公司"),
              std::string::npos);
    // Wrong values are still refused, all at once; unknown templates are unknown.
    draft.dataJson = R"({"enterprise": {"credit_code": "123"}, "contact": {"mobile": "1"}})";
    try {
        render_.renderBook(draft);
        ADD_FAILURE() << "rendered";
    } catch (const ValidationError& e) {
        EXPECT_EQ(e.problems().size(), 2u);
    }
    draft.templateId = "form-proof";
    EXPECT_THROW(render_.renderBook(draft), Error);
}

namespace {

ReceiptFile file(const std::string& role, const std::string& name, std::uint64_t size) {
    return {role, name, size, sha256Hex(name)};
}

SubmissionReceipt receiptOf(std::size_t files) {
    SubmissionReceipt r;
    r.applicationNumber = "B2025-000123";
    r.organizationName = kRare + "野家（上海）餐饮管理有限公司";
    r.creditCode = "91330000MA2H7K3R9M";
    r.activityTitle = "2025 年全国质量标杆";
    r.projectName = "门店服务质量数字化管控";
    r.submittedAtMicros = kSubmitted;
    r.files.push_back(file("承诺书", "申报承诺书（盖章）.pdf", 1834567));
    for (std::size_t i = 1; i < files; ++i) {
        r.files.push_back(file("证实性材料",
                               "证实性材料第" + std::to_string(i) + "号 " + kRare + "野家.pdf",
                               i * 104729));
    }
    return r;
}

}  // namespace

// The receipt: every fact, every file with its digest exactly once and unbroken, 𠮷 in the
// organization's and the files' names, and the total; deterministic.
TEST_F(ApplicationOutputs, ReceiptListsEveryFileAndItsDigestOnce) {
    auto receipt = receiptOf(3);
    auto pdf = render_.renderReceipt(receipt);
    EXPECT_EQ(pdf.bytes, render_.renderReceipt(receipt).bytes);
    TempDir dir;
    writeFile(dir.path() + "/r.pdf", pdf.bytes);
    std::string text = runCommand("pdftotext " + dir.path() + "/r.pdf - 2>/dev/null");
    for (const auto& f : receipt.files) {
        auto at = text.find(f.sha256);
        ASSERT_NE(at, std::string::npos) << f.sha256 << "\n" << text;
        EXPECT_EQ(text.find(f.sha256, at + 1), std::string::npos) << "twice: " << f.sha256;
    }
    std::string flat = squeeze(text);
    for (const std::string& want :
         {std::string("B2025-000123"), kRare + "野家（上海）餐饮管理有限公司",
          std::string("91330000MA2H7K3R9M"), std::string("2025年全国质量标杆"),
          std::string("门店服务质量数字化管控"), std::string("2025-04-1510:23:45（北京时间）"),
          "证实性材料第2号" + kRare + "野家.pdf", std::string("1,834,567字节（1.7MB）"),
          std::string("209,458字节（205KB）"), std::string("3个文件"),
          std::string("2,148,754字节（2.0MB）")}) {
        EXPECT_NE(flat.find(want), std::string::npos) << want << "\n" << text;
    }
    EXPECT_NE(runCommand("pdffonts " + dir.path() + "/r.pdf").find("HanaMin"), std::string::npos);
    // The receipt data itself: totals computed, the instant in Beijing time.
    auto data = parse(receiptData(receipt));
    EXPECT_EQ(data->getValue<std::string>("submitted_at"), "2025-04-15 10:23:45");
    EXPECT_EQ(data->getObject("total")->getValue<std::uint64_t>("size"), 2148754u);
    EXPECT_EQ(data->getObject("total")->getValue<std::uint64_t>("count"), 3u);
}

// 200 files run over pages: the header on each, each file's two rows together, each digest
// once.
TEST_F(ApplicationOutputs, ReceiptOfTwoHundredFilesPaginates) {
    auto receipt = receiptOf(200);
    TempDir dir;
    writeFile(dir.path() + "/r.pdf", render_.renderReceipt(receipt).bytes);
    auto pages = pagesText(dir.path() + "/r.pdf");
    ASSERT_GE(pages.size(), 8u);
    std::string all;
    for (std::size_t p = 0; p < pages.size(); ++p) {
        EXPECT_NE(pages[p].find("文件名 / SHA-256"), std::string::npos) << "page " << p + 1;
        all += pages[p];
    }
    for (const auto& f : receipt.files) {
        auto at = all.find(f.sha256);
        ASSERT_NE(at, std::string::npos) << f.name;
        EXPECT_EQ(all.find(f.sha256, at + 1), std::string::npos) << f.name;
    }
    // A file's name and its digest are on the same page.
    for (std::size_t p = 0; p < pages.size(); ++p) {
        std::string text = squeeze(pages[p]);
        for (const auto& f : receipt.files) {
            bool name = text.find(squeeze(f.name)) != std::string::npos;
            bool digest = text.find(f.sha256) != std::string::npos;
            if (digest) {
                EXPECT_TRUE(name) << f.name << " apart from its digest on page " << p + 1;
            }
        }
    }
    EXPECT_NE(squeeze(all).find("200个文件"), std::string::npos);
}

TEST_F(ApplicationOutputs, ReceiptRefusesWhatItCannotPrint) {
    auto receipt = receiptOf(2);
    receipt.files[1].name = std::string(256, 'a');
    receipt.files[1].role = "";
    try {
        render_.renderReceipt(receipt);
        ADD_FAILURE() << "rendered";
    } catch (const ValidationError& e) {
        ASSERT_EQ(e.problems().size(), 2u);
        EXPECT_EQ(e.problems()[0].path, "files.1.role");
        EXPECT_EQ(e.problems()[1].path, "files.1.name");
    }
}

namespace {

/// An approved filing as FilingService stores it (filingDataJson), 𠮷 in its name.
std::string approvedFiling(bool complete) {
    FilingData d;
    d.name = kRare + "野家（上海）餐饮管理有限公司";
    d.creditCode = "91330000MA2H7K3R9M";
    if (complete) {
        d.economicType = "有限责任公司";
        d.province = "31";
        d.city = "3101";  // 市辖区: no name to print
        d.address = "徐汇区漕溪北路 88 号";
        d.industry = "62";
        d.qualityManagerName = "钱" + kRare;
        d.qualityManagerPhone = "13816012345";
        d.organizationSize = "中型";
        for (int year : {2020, 2021, 2022}) {
            EconomicsRow row;
            row.year = year;
            row.totalAssets = 1'523'004 + year;  // hundredths of 万元
            row.revenue = 865'305 + year;
            row.profit = -12'050;
            row.employees = 300;
            d.economics.push_back(row);
        }
    }
    return filingDataJson(d);
}

OrganizationFacts facts(bool filed, bool complete = true) {
    OrganizationFacts org;
    org.name = "吉野家（上海）餐饮管理有限公司";  // as registered, before the filing corrected it
    org.creditCode = "91330000MA2H7K3R9M";
    org.adminName = "赵" + kRare;
    org.adminPhone = "13905712345";
    if (filed) org.approvedFilingJson = approvedFiling(complete);
    return org;
}

}  // namespace

// The forms' profile: the filed name (the one on the seal), the admin, the activity, the
// organization as the first completing unit and blanks for the others.
TEST(FormProfile, MapsTheOrganizationAndLeavesTheRestBlank) {
    auto p = parse(formProfileData(facts(true), {"2025 年度质量技术奖", "", 3, ""}));
    EXPECT_EQ(p->getObject("organization")->getValue<std::string>("name"),
              kRare + "野家（上海）餐饮管理有限公司");
    EXPECT_EQ(p->getObject("organization")->getValue<std::string>("credit_code"),
              "91330000MA2H7K3R9M");
    EXPECT_EQ(p->getValue<std::string>("activity"), "2025 年度质量技术奖");
    EXPECT_FALSE(p->getObject("project")->has("name"));
    EXPECT_FALSE(p->has("recommending_unit"));
    auto units = p->getArray("units");
    ASSERT_EQ(units->size(), 3u);
    EXPECT_EQ(units->getObject(0)->getValue<std::string>("name"),
              kRare + "野家（上海）餐饮管理有限公司");
    EXPECT_EQ(units->getObject(1)->size(), 0u);
    EXPECT_EQ(p->getObject("admin")->getValue<std::string>("name"), "赵" + kRare);
    EXPECT_EQ(p->getObject("admin")->getValue<std::string>("mobile"), "13905712345");
    // Without an approved filing: the registered name; no admin: blanks; units clamped.
    OrganizationFacts bare = facts(false);
    bare.adminName.clear();
    bare.adminPhone.clear();
    p = parse(formProfileData(bare, {"活动", "项目", 7, "浙江省经济和信息化厅"}));
    EXPECT_EQ(p->getObject("organization")->getValue<std::string>("name"),
              "吉野家（上海）餐饮管理有限公司");
    EXPECT_EQ(p->getArray("units")->size(), 3u);
    EXPECT_EQ(p->getObject("admin")->size(), 0u);
    EXPECT_EQ(p->getObject("project")->getValue<std::string>("name"), "项目");
    EXPECT_EQ(p->getValue<std::string>("recommending_unit"), "浙江省经济和信息化厅");
    // A filing that cannot be read counts as none.
    bare.approvedFilingJson = "not json";
    p = parse(formProfileData(bare, {}));
    EXPECT_EQ(p->getArray("units")->size(), 1u);
    EXPECT_EQ(p->getObject("organization")->getValue<std::string>("name"),
              "吉野家（上海）餐饮管理有限公司");
}

// The three forms print what they know of the organization, and blank lines for the rest;
// a value a form cannot hold (a landline as the admin's mobile) is a blank, not a refusal.
TEST_F(ApplicationOutputs, FormsPrintTheOrganization) {
    OrganizationFacts org = facts(true);
    org.adminPhone = "021-64871234";
    FormContext context{"2025 年度质量技术奖", "门店服务质量数字化管控", 2, ""};
    TempDir dir;
    for (const std::string form : {"commitment", "recommendation", "proof"}) {
        auto pdf = render_.renderForm(form, org, context, kSubmitted);
        EXPECT_EQ(pdf.bytes, render_.renderForm(form, org, context, kSubmitted).bytes) << form;
        writeFile(dir.path() + "/" + form + ".pdf", pdf.bytes);
        std::string text =
            squeeze(runCommand("pdftotext " + dir.path() + "/" + form + ".pdf - 2>/dev/null"));
        EXPECT_NE(text.find(kRare + "野家（上海）餐饮管理有限公司"), std::string::npos)
            << form << ": " << text;
        EXPECT_EQ(text.find("021-64871234"), std::string::npos) << form;
        if (form == "proof") {
            EXPECT_NE(text.find("兹证明赵" + kRare + "（手机号码：__________）"), std::string::npos)
                << text;
        }
        if (form == "commitment") {
            EXPECT_EQ(pageCount(dir.path() + "/" + form + ".pdf"), 2) << "one per unit";
            EXPECT_NE(text.find("门店服务质量数字化管控"), std::string::npos) << text;
        }
    }
    EXPECT_THROW(render_.renderForm("book", org, context, kSubmitted), Error);
}

// A new application's book starts filled in from the approved filing and the project, and
// saves as a draft whatever the filing holds.
TEST_F(ApplicationOutputs, BookIsPrefilledFromTheFilingAndTheProject) {
    std::string json = render_.prefillBook("benchmark-2022", facts(true), "门店服务质量数字化管控");
    auto t = renderers::DocumentTemplate::load(kTemplates, "benchmark-2022");
    EXPECT_NO_THROW(t->validate(json, true)) << json;
    auto b = parse(json);
    auto enterprise = b->getObject("enterprise");
    EXPECT_EQ(enterprise->getValue<std::string>("name"), kRare + "野家（上海）餐饮管理有限公司");
    EXPECT_EQ(enterprise->getValue<std::string>("credit_code"), "91330000MA2H7K3R9M");
    EXPECT_EQ(enterprise->getValue<std::string>("type"), "有限责任公司");
    EXPECT_EQ(enterprise->getValue<std::string>("industry"), "62");
    EXPECT_EQ(enterprise->getValue<std::string>("size"), "中型");
    EXPECT_EQ(b->getValue<std::string>("experience_name"), "门店服务质量数字化管控");
    auto contact = b->getObject("contact");
    EXPECT_EQ(contact->getValue<std::string>("name"), "钱" + kRare);
    EXPECT_EQ(contact->getValue<std::string>("mobile"), "13816012345");
    EXPECT_EQ(contact->getValue<std::string>("address"), "上海市徐汇区漕溪北路 88 号");
    // The template asks for 2019–2021: the filing's 2020 and 2021 are kept, 2022 left out;
    // amounts in 万元 exactly as filed.
    auto revenue = b->getObject("revenue");
    EXPECT_EQ(revenue->size(), 2u) << json;
    EXPECT_EQ(revenue->get("2021").toString(), "8673.26");
    EXPECT_EQ(b->getObject("profit")->get("2020").toString(), "-120.5");
    auto assets = b->getObject("economic")->getObject("indicators")->getObject("total_assets");
    EXPECT_EQ(assets->getObject("years")->get("2020").toString(), "15250.24");
    // It prints, 𠮷 included.
    TempDir dir;
    ApplicationBook book{"benchmark-2022", json, "", 0, kSubmitted};
    writeFile(dir.path() + "/b.pdf", render_.renderBook(book).bytes);
    EXPECT_NE(
        squeeze(runCommand("pdftotext " + dir.path() + "/b.pdf - 2>/dev/null")).find("钱" + kRare),
        std::string::npos);

    // A project name longer than the 30 characters of 经验名称 is left for the applicant.
    std::string longName;
    for (int i = 0; i < 31; ++i) longName += "质";
    EXPECT_FALSE(parse(render_.prefillBook("benchmark-2022", facts(true), longName))
                     ->has("experience_name"));
    EXPECT_THROW(render_.prefillBook("../etc", facts(true), ""), Error);
}

// Optional filing fields missing (no contact, no address, no economics) or no approved
// filing at all: what is known, nothing invented.
TEST_F(ApplicationOutputs, BookPrefillWithMissingFilingFields) {
    auto b = parse(render_.prefillBook("benchmark-2022", facts(true, false), ""));
    EXPECT_EQ(b->getObject("enterprise")->getValue<std::string>("name"),
              kRare + "野家（上海）餐饮管理有限公司");
    EXPECT_FALSE(b->getObject("enterprise")->has("type"));
    EXPECT_FALSE(b->has("contact"));
    EXPECT_FALSE(b->has("revenue"));
    EXPECT_FALSE(b->has("economic"));
    EXPECT_FALSE(b->has("experience_name"));
    b = parse(render_.prefillBook("benchmark-2022", facts(false), "项目"));
    EXPECT_EQ(b->getObject("enterprise")->getValue<std::string>("name"),
              "吉野家（上海）餐饮管理有限公司");
    EXPECT_EQ(b->getObject("enterprise")->size(), 2u);
    // A filed landline goes to the telephone, a province without its city prefix is added
    // once, a city that has a name is printed.
    OrganizationFacts org = facts(true);
    auto filing = parse(org.approvedFilingJson);
    filing->getObject("quality_manager")->set("phone", "0571-86031234");
    filing->set("province", "33");
    filing->set("city", "3301");
    filing->set("address", "滨江区江陵路 1880 号");
    std::ostringstream out;
    filing->stringify(out);
    org.approvedFilingJson = out.str();
    auto contact = parse(bookPrefillData(org, "", kTemplates + "/lists"))->getObject("contact");
    EXPECT_EQ(contact->getValue<std::string>("telephone"), "0571-86031234");
    EXPECT_FALSE(contact->has("mobile"));
    EXPECT_EQ(contact->getValue<std::string>("address"), "浙江省杭州市滨江区江陵路 1880 号");
    filing->set("address", "浙江省杭州市滨江区江陵路 1880 号");
    out.str("");
    filing->stringify(out);
    org.approvedFilingJson = out.str();
    EXPECT_EQ(parse(bookPrefillData(org, "", kTemplates + "/lists"))
                  ->getObject("contact")
                  ->getValue<std::string>("address"),
              "浙江省杭州市滨江区江陵路 1880 号");
}

}  // namespace dossier::filing

// The experience material's data from a book's: the name, the enterprise as filed, the four
// parts; blank and non-text values left out (to print blank), anything but an object "{}".
TEST(ApplicationOutputText, ExperienceDataComesFromTheBook) {
    auto data = Poco::JSON::Parser()
                    .parse(dossier::filing::experienceData(
                        R"({"experience_name":"实施𠮷的经验","enterprise":{"name":"某某公司"},)"
                        R"("experience":{"overview":"概况\n第二段","background":"  ",)"
                        R"("process":42,"results":"成效"},"revenue":{"2021":1}})"))
                    .extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(data->getValue<std::string>("experience_name"), "实施𠮷的经验");
    EXPECT_EQ(data->getValue<std::string>("enterprise_name"), "某某公司");
    EXPECT_EQ(data->getValue<std::string>("overview"), "概况\n第二段");
    EXPECT_EQ(data->getValue<std::string>("results"), "成效");
    EXPECT_FALSE(data->has("background"));
    EXPECT_FALSE(data->has("process"));
    EXPECT_FALSE(data->has("revenue"));
    EXPECT_EQ(data->size(), 4u);
    EXPECT_EQ(dossier::filing::experienceData("[1]"), "{}");
    EXPECT_EQ(dossier::filing::experienceData("not json"), "{}");
    EXPECT_EQ(dossier::filing::experienceData(R"({"experience":"text"})"), "{}");
}

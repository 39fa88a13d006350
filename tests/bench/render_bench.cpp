// Rendering speed of the flow layout (issue 4 targets: the full sample application book
// <= 50 ms and <= 300 KB on one core). Until the book template exists, a book-shaped
// document: title, four tables with merged headers, and an 8000-character 实施过程.
// The full sample book itself (and LibreOffice on the same content): book_bench.cpp.
// An application's book and receipt as the routes render them (issue 12: book.pdf of a full
// application <= 50 ms on one core, with its marks): RenderService::renderBook on the full
// sample book, submitted (footer on every page) and as a draft (草稿 on every page), and
// renderReceipt of 200 files. The Word versions (issue 12): the full sample book and
// experience material as .docx (DocumentTemplate::renderDocx, what ?format=docx serves).
//   taskset -c 0 build/bench/tests/bench/render_bench [--smoke] [--benchmark_* flags]
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "BenchMain.h"
#include "dossier/core/Clock.h"
#include "dossier/filing/RenderService.h"
#include "dossier/renderers/DocumentTemplate.h"

#include "dossier/renderers/LeaderCertificate.h"
#include "dossier/renderers/PdfComposer.h"

namespace {

using namespace dossier::renderers;

/// A benchmark that produces no PDF has measured nothing: fail it.
void requirePdf(const std::string& bytes) {
    if (bytes.rfind("%PDF-", 0) != 0 || bytes.find("%%EOF") == std::string::npos) {
        throw std::runtime_error("the renderer did not produce a PDF");
    }
}

std::string bookShaped(std::size_t* size = nullptr) {
    PdfComposer pdf({}, {"2022年全国质量标杆申报书", "Dossier", 1'700'000'000'000'000});
    pdf.paragraph("2022年全国质量标杆申报书", {Face::Hei, 22, 1.5, TextStyle::Align::Center, 0});
    pdf.paragraph("企业名称（盖章）：中山市旭日商贸有限公司",
                  {Face::Song, 16, 2, TextStyle::Align::Left, 0});
    pdf.pageBreak();
    for (int table = 0; table < 4; ++table) {
        pdf.paragraph("经济效益统计表", {Face::Hei, 15, 1.5, TextStyle::Align::Center, 0});
        Table t;
        t.columns = {3, 1.5, 1.5, 1.5, 1.5, 1.5, 1};
        t.headerRows = 2;
        t.rows.push_back(
            {{"指标", 1, 2, true}, {"企业数据", 3, 1, true}, {"行业数据", 3, 1, true}});
        t.rows.push_back({{"2019年", 1, 1, true},
                          {"2020年", 1, 1, true},
                          {"2021年", 1, 1, true},
                          {"平均值", 1, 1, true},
                          {"最好值", 1, 1, true},
                          {"排名", 1, 1, true}});
        for (int i = 0; i < 10; ++i) {
            t.rows.push_back({{"营业收入（万元）"},
                              {"12345.6"},
                              {"13456.7"},
                              {"14567.8"},
                              {"9000"},
                              {"20000"},
                              {"3"}});
        }
        pdf.table(t);
    }
    std::string process;
    for (int i = 0; i < 400; ++i) process += "围绕卓越绩效模式建立质量管理体系并持续改进，";
    pdf.paragraph("实施过程", {Face::Hei, 16, 1.5, TextStyle::Align::Left, 0});
    pdf.paragraph(process, {Face::Song, 14, 1.5, TextStyle::Align::Left, 2});
    std::string out = pdf.finish();
    if (size) *size = out.size();
    return out;
}

void BM_BookShapedDocument(benchmark::State& state) {
    std::size_t size = 0;
    for (auto _ : state) {
        auto out = bookShaped(&size);
        benchmark::DoNotOptimize(out.data());
        requirePdf(out);
    }
    state.counters["KB"] = static_cast<double>(size) / 1024.0;
}

/// Target: <= 20 ms and <= 100 KB (unstamped).
void BM_LeaderCertificate(benchmark::State& state) {
    LeaderCertificate c;
    c.certificateNumber = "LPZ-2025-000123";
    c.enterpriseName = "浙江示例电器股份有限公司";
    c.creditCode = "91330000MA2H7K3R9M";
    c.domain = "低压电器";
    c.productName = "小型断路器";
    c.standardNumber = "Q/ZT 001-2024";
    c.standardName = "小型断路器企业标准";
    c.evaluationBody = "中国质量认证中心";
    c.starLevel = 5;
    c.issuedOn = "2025-06-30";
    c.validUntil = "2026-06-29";
    c.verifyUrl = "https://dossier.example/verify/LPZ-2025-000123";
    std::size_t size = 0;
    for (auto _ : state) {
        auto pdf = renderLeaderCertificate(c, {}, 1'751'241'600'000'000);
        size = pdf.size();
        benchmark::DoNotOptimize(pdf.data());
        requirePdf(pdf);
    }
    state.counters["KB"] = static_cast<double>(size) / 1024.0;
}

const std::string kTemplates = std::string(DOSSIER_SOURCE_DIR) + "/templates";

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::stringstream buf;
    buf << in.rdbuf();
    return buf.str();
}

/// The full sample application book (every field and table of templates/samples), submitted
/// (`submitted`: number and instant in every page's footer) or a draft (草稿 on every page).
void BM_ApplicationBook(benchmark::State& state, bool submitted) {
    dossier::FixedClock clock(1'744'683'825'000'000);
    dossier::filing::RenderService render(clock, kTemplates);
    dossier::filing::ApplicationBook book;
    book.templateId = "benchmark-2022";
    book.dataJson = readFile(kTemplates + "/samples/benchmark-2022-book.json");
    book.applicationNumber = "B2025-000123";
    book.submittedAtMicros = submitted ? 1'744'683'825'000'000 : 0;
    book.updatedAtMicros = 1'744'683'765'000'000;
    std::size_t size = 0;
    for (auto _ : state) {
        auto pdf = render.renderBook(book);
        size = pdf.bytes.size();
        benchmark::DoNotOptimize(pdf.bytes.data());
        requirePdf(pdf.bytes);
    }
    state.counters["KB"] = static_cast<double>(size) / 1024.0;
}

/// A receipt of 200 files (about 10 pages), 𠮷 in every name.
void BM_Receipt200Files(benchmark::State& state) {
    dossier::FixedClock clock(1'744'683'825'000'000);
    dossier::filing::RenderService render(clock, kTemplates);
    dossier::filing::SubmissionReceipt receipt;
    receipt.applicationNumber = "B2025-000123";
    receipt.organizationName = "\xF0\xA0\xAE\xB7野家（上海）餐饮管理有限公司";
    receipt.creditCode = "91330000MA2H7K3R9M";
    receipt.activityTitle = "2025 年全国质量标杆";
    receipt.projectName = "门店服务质量数字化管控";
    receipt.submittedAtMicros = 1'744'683'825'000'000;
    for (int i = 0; i < 200; ++i) {
        std::string digest;
        for (int k = 0; k < 64; ++k) digest += "0123456789abcdef"[(i * 7 + k * 13) % 16];
        receipt.files.push_back({"证实性材料",
                                 "证实性材料第" + std::to_string(i) + "号\xF0\xA0\xAE\xB7.pdf",
                                 static_cast<std::uint64_t>(i) * 104729, digest});
    }
    std::size_t size = 0;
    for (auto _ : state) {
        auto pdf = render.renderReceipt(receipt);
        size = pdf.bytes.size();
        benchmark::DoNotOptimize(pdf.bytes.data());
        requirePdf(pdf.bytes);
    }
    state.counters["KB"] = static_cast<double>(size) / 1024.0;
}

/// A benchmark that produces no Word package has measured nothing: fail it.
void requireDocx(const std::string& bytes) {
    if (bytes.rfind("PK\x03\x04", 0) != 0 || bytes.find("word/document.xml") == std::string::npos)
        throw std::runtime_error("the renderer did not produce a .docx");
}

/// Validation, binding and writing of a whole sample document as .docx (the template loaded
/// once, as the server keeps it).
void sampleDocx(benchmark::State& state, const char* id, const char* sample) {
    auto t = dossier::renderers::DocumentTemplate::load(kTemplates, id);
    const std::string json = readFile(kTemplates + "/samples/" + sample + ".json");
    std::size_t size = 0;
    for (auto _ : state) {
        std::string docx = t->renderDocx(json);
        size = docx.size();
        benchmark::DoNotOptimize(docx.data());
        requireDocx(docx);
    }
    state.counters["KB"] = static_cast<double>(size) / 1024.0;
}

}  // namespace

int main(int argc, char** argv) {
    return dossier::bench::runBenchmarks(argc, argv, [] {
        dossier::bench::add("BM_BookShapedDocument", BM_BookShapedDocument)
            ->Unit(benchmark::kMillisecond);
        dossier::bench::add("BM_LeaderCertificate", BM_LeaderCertificate)
            ->Unit(benchmark::kMillisecond);
        dossier::bench::add("BM_ApplicationBookSubmitted", [](benchmark::State& s) {
            BM_ApplicationBook(s, true);
        })->Unit(benchmark::kMillisecond);
        dossier::bench::add("BM_ApplicationBookDraft", [](benchmark::State& s) {
            BM_ApplicationBook(s, false);
        })->Unit(benchmark::kMillisecond);
        dossier::bench::add("BM_Receipt200Files", BM_Receipt200Files)
            ->Unit(benchmark::kMillisecond);
        dossier::bench::add("BM_SampleBookDocx", [](benchmark::State& s) {
            sampleDocx(s, "benchmark-2022", "benchmark-2022-book");
        })->Unit(benchmark::kMillisecond);
        dossier::bench::add("BM_SampleExperienceDocx", [](benchmark::State& s) {
            sampleDocx(s, "benchmark-2022-experience", "benchmark-2022-experience");
        })->Unit(benchmark::kMillisecond);
    });
}

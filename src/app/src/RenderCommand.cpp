// dossier render: books, forms, certificates and labels from JSON data.
#include <cerrno>
#include <cstdlib>
#include <iostream>

#include "CliCommands.h"
#include "CommandSupport.h"
#include "dossier/app/ArgParser.h"
#include "dossier/app/Config.h"
#include "dossier/core/Clock.h"
#include "dossier/core/Error.h"
#include "dossier/core/ValidationError.h"
#include "dossier/filing/RenderService.h"

namespace dossier::app {
namespace {

constexpr const char* kRenderUsage =
    R"(Usage: dossier render book [--template benchmark-2022] --data app.json [--draft] [--format pdf|docx] -o book.pdf
       dossier render receipt --data receipt.json -o receipt.pdf
       dossier render form commitment|recommendation|proof --data org.json [--draft] [--format pdf|docx] -o form.pdf
       dossier render certificate --data cert.json [--seal seal.png | --seal-from-scan stamped.jpg] -o cert.pdf
       dossier render label --data label.json [--dpi 300] -o label.png|label.pdf
       (any of them: [--templates DIR]; book, receipt, form: [--draft-mark] [--footer TEXT])

Renders from JSON data, the same code the server runs. Books, receipts and forms are
templates as data (templates/<id>.json with templates/lists/); try the files in
templates/samples/. --draft prints what is missing as blanks to fill in by hand (wrong
values are still refused). --draft-mark prints 草稿 across every page, as the server does
on an application's book before it is submitted; --footer prints a line at the foot of
every page (a submitted book's carries its number and submission time). With
SOURCE_DATE_EPOCH (seconds) in the environment, the PDF's date is that instant instead of
now, so the same data gives the same bytes. --seal lays the evaluation body's seal (a PNG with transparency) over the
certificate's seal box; --seal-from-scan cuts the red seal out of a stamped scan instead.
--format docx writes a book or form as a Word document (.docx; also chosen by an output
named *.docx), from the same template and the same checks as the PDF (without --draft-mark
or --footer, which are printed on PDFs only).
A label is a PNG or a PDF by the output's extension; --dpi is 72 to 1200. Every data
problem is listed at once (exit 1); nothing is written then.
)";

}  // namespace

int renderCommand(const std::vector<std::string>& args) {
    if (args.size() < 3 || args[2] == "--help" || args[2] == "-h") {
        std::cout << kRenderUsage;
        return args.size() < 3 ? 2 : 0;
    }
    filing::RenderRequest request;
    request.document = args[2];
    std::size_t first = 3;
    if (request.document == "form") {
        if (args.size() < 4) {
            throw Error(codes::kCliUsage, "Name the form: commitment, recommendation or proof.");
        }
        request.document = args[3];
        if (request.document != "commitment" && request.document != "recommendation" &&
            request.document != "proof") {
            throw Error(codes::kCliUsage, "Unknown form '" + request.document +
                                              "' (commitment, recommendation, proof).");
        }
        first = 4;
    } else if (request.document != "book" && request.document != "receipt" &&
               request.document != "certificate" && request.document != "label") {
        throw Error(codes::kCliUsage, "Unknown document '" + request.document +
                                          "' (book, receipt, form, certificate, label).");
    }
    // Each document takes only the options that mean something for it.
    std::string data, seal, sealScan, output, templatesDir, format;
    ArgParser parser;
    parser.option("--data", &data)
        .option("--output", &output, "-o")
        .option("--templates", &templatesDir);
    if (request.document == "certificate") {
        parser.option("--seal", &seal).option("--seal-from-scan", &sealScan);
    } else if (request.document == "label") {
        parser.option("--dpi", [&](const std::string& v) {
            request.dpi = parseNumber("--dpi", v, 72, 1200);
        });
    } else {
        if (request.document != "receipt") parser.flag("--draft", &request.draft);
        parser.flag("--draft-mark", &request.draftMark).option("--footer", &request.footer);
        parser.option("--format", &format);
        if (request.document == "book") parser.option("--template", &request.templateId);
    }
    // https://reproducible-builds.org/specs/source-date-epoch/
    if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch != nullptr && *epoch) {
        char* end = nullptr;
        errno = 0;
        long long seconds = std::strtoll(epoch, &end, 10);
        // Up to 9999-12-31T23:59:59Z, the last instant a PDF date can hold.
        if (errno != 0 || *end != '\0' || seconds < 0 || seconds > 253402300799LL) {
            throw Error(codes::kCliUsage,
                        "SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01T00:00:00Z.");
        }
        request.createdMicros = static_cast<std::int64_t>(seconds) * 1000000;
    }
    if (!parser.parse(args, first, " for " + request.document)) {
        std::cout << kRenderUsage;
        return 0;
    }
    if (data.empty() || output.empty()) {
        throw Error(codes::kCliUsage, "Give --data FILE and -o OUT.");
    }
    auto endsWith = [&output](const std::string& ext) {
        return output.size() > ext.size() &&
               output.compare(output.size() - ext.size(), ext.size(), ext) == 0;
    };
    if (request.document == "label" && endsWith(".png")) request.format = "png";
    if (!format.empty()) {
        if (format != "pdf" && format != "docx")
            throw Error(codes::kCliUsage, "--format is pdf or docx.");
        request.format = format;
    } else if (endsWith(".docx") && request.document != "label" &&
               request.document != "certificate") {
        request.format = "docx";
    }
    try {
        if (templatesDir.empty()) {
            templatesDir = Config::load(configFileFromEnvironment(), Config::processEnvironment())
                               .templatesDir;
        }
        if (!seal.empty()) request.sealPng = readWholeFile(seal);
        if (!sealScan.empty()) request.sealScan = readWholeFile(sealScan);
        SystemClock clock;
        auto rendered =
            filing::RenderService(clock, templatesDir).render(request, readWholeFile(data));
        if (!writeAtomically(output, rendered.bytes)) {
            std::cerr << "dossier render: cannot write " << output << "\n";
            return 1;
        }
        std::cout << output << " " << rendered.bytes.size() << " bytes\n";
        return 0;
    } catch (const ValidationError& e) {
        std::cerr << "dossier render: " << e.problems().size() << " problem(s) in " << data
                  << ":\n";
        for (const auto& p : e.problems()) {
            std::cerr << "  " << p.path << " (" << p.code << "): " << p.message << "\n";
        }
        return 1;
    } catch (const Error& e) {
        if (e.code() == codes::kCliUsage) throw;
        std::cerr << "dossier render: " << e.code() << ": " << e.message() << "\n";
        if (!e.detail().empty()) std::cerr << "  detail: " << e.detail() << "\n";
        return 1;
    }
}

}  // namespace dossier::app

// dossier watermark: the filing mark (and optionally a trace mark) on a local scan or PDF.
#include <iostream>

#include "CliCommands.h"
#include "CommandSupport.h"
#include "dossier/app/ArgParser.h"
#include "dossier/core/Clock.h"
#include "dossier/core/Error.h"
#include "dossier/watermark/ImageWatermarker.h"
#include "dossier/watermark/PdfStamper.h"
#include "dossier/watermark/WatermarkOverlay.h"

namespace dossier::app {
namespace {

constexpr const char* kWatermarkUsage =
    R"(Usage: dossier watermark FILE -o OUT [--text TEXT] [--activity NAME]
                         [--date YYYY-MM-DD] [--viewer NAME --account ID]

Adds the filing watermark ("仅用于{activity}备案审核" and the date, tiled diagonally) to a
JPEG or PNG scan (raster) or to every page of a PDF (a vector overlay that keeps its
text), the same code the server runs. --text replaces the whole first line;
--viewer/--account add the per-viewer trace mark. OUT keeps the input's format.
Exit codes: 0 done, 1 the image was refused (message on stderr), 2 bad usage.
)";

}  // namespace

int watermarkCommand(const std::vector<std::string>& args) {
    std::string input, output, text, activity, date, viewer, account;
    ArgParser parser;
    parser.positional("input file", &input)
        .option("--output", &output, "-o")
        .option("--text", &text)
        .option("--activity", &activity)
        .option("--date", &date)
        .option("--viewer", &viewer)
        .option("--account", &account);
    if (!parser.parse(args, 2)) {
        std::cout << kWatermarkUsage;
        return 0;
    }
    if (input.empty() || output.empty()) throw Error(codes::kCliUsage, "Give FILE and -o OUT.");
    if (date.empty()) date = formatTimestamp(SystemClock().nowMicros()).substr(0, 10);
    auto mark = watermark::FilingMark::forActivity(activity, date);
    if (!text.empty()) mark.text = text;
    std::string bytes;
    try {
        bytes = readWholeFile(input);
    } catch (const Error&) {
        std::cerr << "dossier watermark: cannot read " << input << "\n";
        return 1;
    }
    try {
        watermark::EncodedImage result;
        watermark::TraceMark trace{viewer, account, formatBeijingMinute(SystemClock().nowMicros())};
        if (bytes.rfind("%PDF-", 0) == 0) {
            // A vector mark over every page; text and vectors of the PDF are kept.
            result.bytes = watermark::PdfStamper::mark(bytes, {mark.text, mark.date});
            if (!viewer.empty()) {
                result.bytes = watermark::PdfStamper::mark(result.bytes, {trace.text()},
                                                           watermark::OverlayStyle::trace());
            }
            result.type = MediaType::Pdf;
            result.width = watermark::PdfStamper::pageBoxes(result.bytes).size();
        } else {
            result =
                watermark::ImageWatermarker().apply(bytes, mark, viewer.empty() ? nullptr : &trace);
        }
        if (!writeAtomically(output, result.bytes)) {
            std::cerr << "dossier watermark: cannot write " << output << "\n";
            return 1;
        }
        if (result.type == MediaType::Pdf) {
            std::cout << output << " " << result.width << " page(s)\n";
        } else {
            std::cout << output << " " << result.width << "x" << result.height << "\n";
        }
        return 0;
    } catch (const Error& e) {
        std::cerr << "dossier watermark: " << e.code() << ": " << e.message() << "\n";
        if (!e.detail().empty()) std::cerr << "  detail: " << e.detail() << "\n";
        return 1;
    }
}

}  // namespace dossier::app

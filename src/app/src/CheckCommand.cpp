// dossier check: an evidence check (license, seals) on a local file.
#include <iostream>

#include "CliCommands.h"
#include "CommandSupport.h"
#include "dossier/app/ArgParser.h"
#include "dossier/core/Error.h"
#include "dossier/evidence/LicenseCheck.h"
#include "dossier/evidence/SealDetector.h"

namespace dossier::app {
namespace {

constexpr const char* kCheckUsage =
    R"(Usage: dossier check license FILE [--declared-code CODE] [--declared-name NAME] [--json]
       dossier check seals FILE [--expected N] [--json]

Reads the 统一社会信用代码 and the name off a business-license scan (JPEG or PNG) and
compares them with the declared values, the same code the server runs. Prints the check
result; --json prints the stored JSON form. Exit codes: 0 pass, 1 warn or fail, 2 bad
usage or unreadable file. Needs OMP_THREAD_LIMIT=1 in the environment for speed.
)";

}  // namespace

int checkCommand(const std::vector<std::string>& args) {
    if (args.size() < 3 || args[2] == "--help" || args[2] == "-h") {
        std::cout << kCheckUsage;
        return args.size() < 3 ? 2 : 0;
    }
    const std::string& which = args[2];
    if (which != "license" && which != "seals") {
        throw Error(codes::kCliUsage, "Unknown check '" + which + "' (license, seals).");
    }
    std::string input;
    evidence::DeclaredOrganization declared;
    int expected = 1;
    bool json = false;
    ArgParser parser;
    parser.positional("file to check", &input)
        .flag("--json", &json)
        .option("--declared-code", &declared.creditCode)
        .option("--declared-name", &declared.name)
        .option("--expected",
                [&](const std::string& v) { expected = parseNumber("--expected", v, 0, 9); });
    if (!parser.parse(args, 3)) {
        std::cout << kCheckUsage;
        return 0;
    }
    if (input.empty()) throw Error(codes::kCliUsage, "Give the FILE to check.");
    std::string bytes;
    try {
        bytes = readWholeFile(input);
    } catch (const Error&) {
        std::cerr << "dossier check: cannot read " << input << "\n";
        return 2;
    }
    try {
        evidence::CheckResult result;
        if (which == "seals") {
            result = evidence::checkSeals(bytes, expected);
        } else {
            auto page = evidence::PageImage::decode(bytes);
            evidence::OcrEngine ocr;
            result = evidence::LicenseCheck(ocr).run(page, declared);
        }
        if (json) {
            std::cout << result.toJson() << "\n";
        } else {
            std::cout << evidence::nameOf(result.status) << " " << result.code << ": "
                      << result.message << "\n";
            auto it = result.details.find("code_read");
            if (it != result.details.end()) std::cout << "code read: " << it->second << "\n";
        }
        return result.status == evidence::CheckStatus::Pass ? 0 : 1;
    } catch (const Error& e) {
        std::cerr << "dossier check: " << e.code() << ": " << e.message() << "\n";
        return 2;
    }
}

}  // namespace dossier::app

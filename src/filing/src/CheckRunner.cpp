#include "dossier/filing/CheckRunner.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>

#include <cctype>
#include <chrono>
#include <optional>
#include <sstream>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/LogValue.h"
#include "dossier/evidence/LicenseCheck.h"
#include "dossier/evidence/PdfDocument.h"
#include "dossier/evidence/QualityCheck.h"
#include "dossier/evidence/SealDetector.h"
#include "dossier/storage/BlobStore.h"
#include "dossier/storage/CheckRepository.h"
#include "dossier/storage/DocumentRepository.h"

namespace dossier::filing {
namespace {

std::string inputJson(const CheckInputs& in) {
    Poco::JSON::Object o;
    o.set("declared_credit_code", in.declaredCreditCode);
    o.set("declared_name", in.declaredName);
    o.set("expected_seals", in.expectedSeals);
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

/// A job's input is written by plannedChecks; anything else (a hand-edited row, a row from
/// another version) must fail the check, never default it to passing.
CheckInputs parseInputs(const std::string& checkName, const std::string& json) {
    auto invalid = [&](const std::string& why) {
        return Error(codes::kCheckInputInvalid,
                     "The check's stored input is not usable, so the check was not run.",
                     "check " + checkName + ": " + why + ": " + json.substr(0, 200));
    };
    Poco::JSON::Object::Ptr o;
    try {
        o = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
    } catch (const std::exception& e) {
        throw invalid(std::string("not a JSON object (") + e.what() + ")");
    }
    if (!o) throw invalid("not a JSON object");
    CheckInputs in;
    try {
        in.declaredCreditCode = o->optValue<std::string>("declared_credit_code", "");
        in.declaredName = o->optValue<std::string>("declared_name", "");
        in.expectedSeals = o->optValue<int>("expected_seals", 1);
    } catch (const std::exception& e) {
        throw invalid(std::string("a field has the wrong type (") + e.what() + ")");
    }
    if (checkName == "license" && (in.declaredCreditCode.empty() || in.declaredName.empty())) {
        // Nothing to compare with: a license check without the registered code would only
        // read the code, and a read code is not a match.
        throw invalid("no registered credit code or name to compare with");
    }
    if (checkName == "seals" && (in.expectedSeals < 1 || in.expectedSeals > 3)) {
        throw invalid("expected_seals out of 1..3");
    }
    return in;
}

/// The stored result of a check that could not be completed.
std::string failedResultJson(const std::string& checkName, ErrorCode code,
                             const std::string& message) {
    evidence::CheckResult r;
    r.check = checkName;
    r.status = evidence::CheckStatus::Fail;
    r.code = code;
    r.message = message;
    return r.toJson();
}

std::string readAll(const ByteSource& src) {
    std::string bytes(src.size(), '\0');
    bytes.resize(src.readAt(0, bytes.data(), bytes.size()));
    return bytes;
}

storage::CheckRow row(const std::string& name, const std::string& input) {
    storage::CheckRow r;
    r.checkName = name;
    r.inputJson = input;
    r.state = "pending";
    return r;
}

}  // namespace

bool hasChecks(DocumentKind kind, MediaType type) {
    bool checkable = type == MediaType::Jpeg || type == MediaType::Png || type == MediaType::Pdf;
    bool kindChecked = kind == DocumentKind::License || kind == DocumentKind::Commitment ||
                       kind == DocumentKind::Proof || kind == DocumentKind::Evidence;
    return checkable && kindChecked;
}

std::vector<storage::CheckRow> plannedChecks(DocumentKind kind, MediaType type,
                                             const CheckInputs& inputs) {
    std::vector<storage::CheckRow> out;
    if (!hasChecks(kind, type)) return out;
    std::string input = inputJson(inputs);
    switch (kind) {
        case DocumentKind::License:
            out.push_back(row("license", input));
            out.push_back(row("quality", input));
            break;
        case DocumentKind::Commitment:
        case DocumentKind::Proof:
            out.push_back(row("seals", input));
            out.push_back(row("quality", input));
            break;
        case DocumentKind::Evidence:
            out.push_back(row("quality", input));
            break;
        default:
            break;
    }
    out.push_back(row("text", input));  // every page's text, for search
    return out;
}

CheckRunner::CheckRunner(storage::BlobStore& blobs, storage::DocumentRepository& documents,
                         storage::CheckRepository& checks, const Clock& clock, int workers,
                         std::int64_t leaseMicros)
    : blobs_(blobs),
      documents_(documents),
      checks_(checks),
      clock_(clock),
      workers_(workers),
      leaseMicros_(leaseMicros) {}

CheckRunner::~CheckRunner() { stop(); }

void CheckRunner::start() {
    stopping_ = false;
    for (int i = 0; i < workers_; ++i) threads_.emplace_back([this] { workerLoop(); });
}

void CheckRunner::stop() {
    stopping_ = true;
    wakeup_.notify_all();
    for (auto& t : threads_) {
        if (t.joinable()) t.join();
    }
    threads_.clear();
}

void CheckRunner::wake() {
    {
        std::lock_guard lock(mutex_);
        ++wakeups_;
    }
    wakeup_.notify_one();
}

bool CheckRunner::runOne(std::unique_ptr<evidence::OcrEngine>& ocr) {
    std::int64_t now = clock_.nowMicros();
    auto claimed = checks_.claimNext(now, now - leaseMicros_, kMaxAttempts);
    if (!claimed) return false;
    execute(*claimed, ocr);
    return true;
}

void CheckRunner::workerLoop() {
    std::unique_ptr<evidence::OcrEngine> ocr;  // this thread's own engine
    auto& log = Poco::Logger::get("dossier.checks");
    while (!stopping_) {
        bool worked = false;
        try {
            worked = runOne(ocr);
        } catch (const Error& e) {
            log.error("check worker: code=" + e.code() + logField("detail", e.detail()));
        } catch (const std::exception& e) {
            log.error("check worker:" + logField("detail", e.what()));
        } catch (...) {
            log.error("check worker: unknown exception");
        }
        if (worked) continue;
        // Idle: wait for new work, or poll (another node may have committed some).
        std::unique_lock lock(mutex_);
        std::uint64_t seen = wakeups_;
        wakeup_.wait_for(lock, std::chrono::seconds(2),
                         [&] { return stopping_.load() || wakeups_ != seen; });
    }
}

evidence::CheckResult CheckRunner::extractText(const std::string& documentId,
                                               const std::string& bytes,
                                               const evidence::PdfDocument* pdf,
                                               evidence::OcrEngine& ocr) {
    evidence::CheckResult r;
    r.check = "text";
    int pages = pdf ? std::min(pdf->pageCount(), kMaxTextPages) : 1;
    std::size_t characters = 0;
    int fromLayer = 0;
    for (int i = 0; i < pages; ++i) {
        std::string text;
        if (pdf) {
            text = pdf->pageText(i);
            // A real text layer is used as is; a scanned page (no layer) is read by OCR.
            std::size_t visible = 0;
            for (char c : text) visible += !std::isspace(static_cast<unsigned char>(c));
            if (visible >= 10) {
                ++fromLayer;
            } else {
                text.clear();
            }
        }
        if (text.empty()) {
            auto page = pdf ? pdf->renderGray(i, 200) : evidence::PageImage::decode(bytes);
            for (const auto& line : ocr.readLines(page, false)) text += line.text + "\n";
        }
        characters += text.size();
        checks_.saveText(documentId, i + 1, text);
    }
    r.status = evidence::CheckStatus::Pass;
    r.code = codes::kTextExtracted;
    r.message = "The text of " + std::to_string(pages) + " page(s) is stored for search.";
    r.details["pages"] = pages;
    r.details["bytes"] = characters;
    r.details["from_text_layer"] = fromLayer;
    if (pdf && pdf->pageCount() > kMaxTextPages) {
        r.details["pages_skipped"] = pdf->pageCount() - kMaxTextPages;
    }
    return r;
}

evidence::CheckResult CheckRunner::run(const storage::CheckRow& job, const std::string& bytes,
                                       MediaType mediaType,
                                       std::unique_ptr<evidence::OcrEngine>& ocr) {
    CheckInputs inputs = parseInputs(job.checkName, job.inputJson);
    evidence::CheckResult result;
    try {
        // PDFs are rendered with poppler: page 1 for the license and quality checks,
        // every page (up to kMaxSealPages) for seals.
        std::optional<evidence::PdfDocument> pdf;
        if (mediaType == MediaType::Pdf) pdf = evidence::PdfDocument::load(bytes);
        auto firstPage = [&](double dpi) {
            return pdf ? pdf->renderGray(0, dpi) : evidence::PageImage::decode(bytes);
        };
        if (job.checkName == "license") {
            if (!ocr) ocr = std::make_unique<evidence::OcrEngine>();
            result = evidence::LicenseCheck(*ocr).run(
                firstPage(200), {inputs.declaredCreditCode, inputs.declaredName});
            result.details.erase("ocr_text");  // the text check stores page text
        } else if (job.checkName == "text") {
            if (!ocr) ocr = std::make_unique<evidence::OcrEngine>();
            result = extractText(job.documentId, bytes, pdf ? &*pdf : nullptr, *ocr);
        } else if (job.checkName == "seals") {
            std::vector<std::string> pages;
            if (pdf) {
                for (int i = 0; i < std::min(pdf->pageCount(), kMaxSealPages); ++i) {
                    pages.push_back(pdf->renderPng(i, 100));
                }
            } else {
                pages.push_back(bytes);
            }
            result = evidence::checkSeals(pages, inputs.expectedSeals);
        } else if (job.checkName == "quality") {
            result = evidence::checkQuality(firstPage(150));
        } else {
            throw Error(codes::kCheckUnknown, "This check is not known to this server.",
                        "check name " + job.checkName);
        }
    } catch (const Error& e) {
        // The file itself cannot be checked (damaged, too large): that is the outcome.
        if (e.code().category() != ErrorCategory::Content) throw;
        result.check = job.checkName;
        result.status = evidence::CheckStatus::Fail;
        result.code = e.code();
        result.message = e.message();
    }
    return result;
}

void CheckRunner::execute(const storage::CheckRow& job, std::unique_ptr<evidence::OcrEngine>& ocr) {
    auto& log = Poco::Logger::get("dossier.checks");
    auto started = std::chrono::steady_clock::now();
    // Every exception ends here, so a job is finished or handed back, never left claimed
    // to be re-run each lease period. Failures another attempt cannot mend end the check at
    // once; the others (database, storage, anything unexpected) get kMaxAttempts in all.
    ErrorCode code = codes::kCheckFailed;
    std::string message = "The check could not be completed; an operator has been alerted.";
    std::string detail;
    int attemptsAllowed = kMaxAttempts;
    try {
        auto doc = documents_.find(job.documentId);
        if (!doc) {
            throw Error(codes::kDocumentNotFound, "The document no longer exists.",
                        "document " + job.documentId);
        }
        blobs_.verify(doc->sha256);
        std::string bytes = readAll(*blobs_.open(doc->sha256));
        auto result = run(job, bytes, doc->mediaType, ocr);
        checks_.complete(job, std::string(evidence::nameOf(result.status)), result.code,
                         result.toJson(), clock_.nowMicros());
        double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
                .count();
        log.information("check" + logField("document", job.documentId) +
                        logField("check", job.checkName) +
                        " status=" + std::string(evidence::nameOf(result.status)) +
                        " code=" + result.code + " duration_ms=" + std::to_string(int(ms)));
        return;
    } catch (const Error& e) {
        detail = std::string(e.code().text()) + " " + e.detail();
        if (e.code() == codes::kCheckInputInvalid || e.code() == codes::kCheckUnknown ||
            e.code() == codes::kDocumentNotFound) {
            code = e.code();
            message = e.message();
            attemptsAllowed = 0;
        }
    } catch (const std::exception& e) {
        detail = std::string("unexpected exception: ") + e.what();
    } catch (...) {
        detail = "unexpected exception of unknown type";
    }
    log.warning("check" + logField("document", job.documentId) + logField("check", job.checkName) +
                " attempt=" + std::to_string(job.attempts) + " failed" +
                logField("detail", detail));
    checks_.fail(job, code, failedResultJson(job.checkName, code, message), attemptsAllowed,
                 clock_.nowMicros());
}

}  // namespace dossier::filing

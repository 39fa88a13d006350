#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "dossier/core/Clock.h"
#include "dossier/core/DocumentKind.h"
#include "dossier/core/MediaType.h"

namespace dossier::storage {
class BlobStore;
class CheckRepository;
class DocumentRepository;
struct CheckRow;
}  // namespace dossier::storage

namespace dossier::evidence {
class OcrEngine;
class PdfDocument;
struct CheckResult;
}  // namespace dossier::evidence

namespace dossier::filing {

/// What the checks of one document compare against.
struct CheckInputs {
    std::string declaredCreditCode;
    std::string declaredName;
    int expectedSeals = 1;  // one per completing unit, 1–3
};

/// The checks a new document gets: license → license + quality; commitment and proof →
/// seals + quality; evidence → quality; all of them also `text` (every page's text stored
/// for search). JPEG, PNG and PDF (rendered with poppler).
std::vector<storage::CheckRow> plannedChecks(DocumentKind kind, MediaType type,
                                             const CheckInputs& inputs);
/// Whether plannedChecks gives a document of this kind and type any checks.
bool hasChecks(DocumentKind kind, MediaType type);

/// Runs evidence checks off the request path: `workers` threads, each with its own
/// Tesseract engine (built on first use), claiming durable jobs from the checks table. A
/// job survives a crash or restart: its lease expires (or, for the single-node SQLite
/// set-up, start-up releases it) and it runs again. Thread-safe.
class CheckRunner {
  public:
    CheckRunner(storage::BlobStore& blobs, storage::DocumentRepository& documents,
                storage::CheckRepository& checks, const Clock& clock, int workers,
                std::int64_t leaseMicros = 10 * 60 * 1000000LL);
    ~CheckRunner();
    CheckRunner(const CheckRunner&) = delete;
    CheckRunner& operator=(const CheckRunner&) = delete;

    void start();
    /// Lets running checks finish, then joins the workers.
    void stop();
    /// New work was committed.
    void wake();
    /// Claims and runs one check on the calling thread; false if there was none. For the
    /// CLI and tests; `ocr` is built on demand and kept by the caller.
    bool runOne(std::unique_ptr<evidence::OcrEngine>& ocr);

    static constexpr int kMaxAttempts = 3;
    static constexpr int kMaxSealPages = 20;
    static constexpr int kMaxTextPages = 50;

  private:
    void workerLoop();
    /// Runs one claimed job and stores its outcome; never throws (see the .cpp).
    void execute(const storage::CheckRow& row, std::unique_ptr<evidence::OcrEngine>& ocr);
    /// The check itself. Throws check.input_invalid for an unusable stored input; a file
    /// that cannot be checked (damaged, too large) is a failed result, not an exception.
    evidence::CheckResult run(const storage::CheckRow& job, const std::string& bytes,
                              MediaType mediaType, std::unique_ptr<evidence::OcrEngine>& ocr);
    /// Stores every page's text (a PDF's own text layer where it has one, OCR otherwise).
    evidence::CheckResult extractText(const std::string& documentId, const std::string& bytes,
                                      const evidence::PdfDocument* pdf, evidence::OcrEngine& ocr);

    storage::BlobStore& blobs_;
    storage::DocumentRepository& documents_;
    storage::CheckRepository& checks_;
    const Clock& clock_;
    int workers_;
    std::int64_t leaseMicros_;
    std::vector<std::thread> threads_;
    std::mutex mutex_;
    std::condition_variable wakeup_;
    std::atomic<bool> stopping_{false};
    std::uint64_t wakeups_ = 0;
};

}  // namespace dossier::filing

#include "dossier/app/Services.h"

#include <Poco/Logger.h>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/storage/Migrator.h"

namespace dossier::app {
namespace {

void requireWritableDirectory(storage::FileSystem& fs, const std::string& dir) {
    try {
        fs.createDirectories(dir);
        auto probe = fs.createTemp(dir, ".probe-");
        std::string path = probe->path();
        probe->append("ok", 2);
        probe->sync();
        probe->close();
        fs.remove(path);
    } catch (const Error& e) {
        throw Error(codes::kConfigInvalid,
                    "The data directory " + dir + " cannot be created or written.", e.detail());
    }
}

}  // namespace

std::unique_ptr<Services> Services::open(const Config& config,
                                         std::shared_ptr<storage::FileSystem> fs,
                                         std::shared_ptr<Clock> clock) {
    std::unique_ptr<Services> s(new Services());
    s->fs_ = fs ? std::move(fs) : std::make_shared<storage::PosixFileSystem>();
    s->clock_ = clock ? std::move(clock) : std::make_shared<SystemClock>();
    s->ids_ = std::make_unique<IdGenerator>(*s->clock_);

    requireWritableDirectory(*s->fs_, config.dataDir);
    requireWritableDirectory(*s->fs_, config.blobDirectory());

    s->db_ = storage::Database::open(config.database, config.dbPoolSize,
                                     std::chrono::milliseconds(config.dbWaitMillis));
    auto applied = storage::Migrator(*s->db_).migrate();
    auto& log = Poco::Logger::get("dossier");
    for (int v : applied) log.information("applied schema migration " + std::to_string(v));

    s->blobs_ = std::make_unique<storage::LocalBlobStore>(*s->fs_, config.blobDirectory());
    // Temp files of uploads cut off by a crash; an hour is far longer than any upload.
    if (auto swept = s->blobs_->sweepStaging(3600)) {
        log.information("removed " + std::to_string(swept) + " stale staged uploads");
    }
    s->rows_ = std::make_unique<storage::DocumentRepository>(*s->db_);
    s->checkRows_ = std::make_unique<storage::CheckRepository>(*s->db_);
    s->accountRows_ = std::make_unique<storage::AccountRepository>(*s->db_);
    s->auditRows_ = std::make_unique<storage::AuditRepository>(*s->db_);
    s->audit_ = std::make_unique<filing::AuditLog>(*s->auditRows_, *s->clock_, *s->ids_);
    s->auth_ = std::make_unique<filing::AuthService>(*s->accountRows_, *s->audit_, *s->clock_,
                                                     *s->ids_, config.auth);
    if (auto purged = s->accountRows_->purgeExpiredSessions(s->clock_->nowMicros())) {
        log.information("removed " + std::to_string(purged) + " expired sessions");
    }
    s->runner_ = std::make_unique<filing::CheckRunner>(*s->blobs_, *s->rows_, *s->checkRows_,
                                                       *s->clock_, config.checkWorkers);
    s->documents_ = std::make_unique<filing::DocumentService>(*s->blobs_, *s->rows_, *s->checkRows_,
                                                              *s->accountRows_, *s->audit_,
                                                              *s->clock_, *s->ids_, config.limits);
    s->derivativeRows_ = std::make_unique<storage::DerivativeRepository>(*s->db_);
    s->derivatives_ = std::make_unique<filing::DerivativeService>(
        *s->documents_, *s->blobs_, *s->derivativeRows_, *s->audit_, *s->clock_,
        config.watermarkText, std::size_t(config.reviewCacheMegabytes) << 20);
    s->renders_ = std::make_unique<filing::RenderService>(*s->clock_, config.templatesDir);
    s->bundles_ =
        std::make_unique<filing::BundleService>(*s->documents_, *s->derivatives_, *s->blobs_);
    auto* runner = s->runner_.get();
    s->documents_->onChecksScheduled([runner] { runner->wake(); });
    s->health_ = std::make_unique<filing::HealthProbe>(*s->db_, *s->fs_, config.dataDir);

    // Organizations and members.
    s->organizationRows_ = std::make_unique<storage::OrganizationRepository>(*s->db_);
    s->organizations_ = std::make_unique<filing::OrganizationService>(
        *s->organizationRows_, *s->auth_, *s->audit_, *s->clock_, *s->ids_);

    // The organization filing (组织备案) and its review.
    s->filingRows_ = std::make_unique<storage::FilingRepository>(*s->db_);
    s->filings_ = std::make_unique<filing::FilingService>(
        *s->filingRows_, *s->accountRows_, *s->checkRows_, *s->documents_, *s->audit_, *s->clock_,
        *s->ids_, config.templatesDir);

    // Projects (申报主体).
    s->projectRows_ = std::make_unique<storage::ProjectRepository>(*s->db_);
    s->projects_ = std::make_unique<filing::ProjectService>(
        *s->projectRows_, *s->documents_, *s->audit_, *s->clock_, *s->ids_, config.templatesDir);

    // Activities (申报活动) and applications (申报).
    s->activityRows_ = std::make_unique<storage::ActivityRepository>(*s->db_);
    s->activities_ = std::make_unique<filing::ActivityService>(*s->activityRows_, *s->audit_,
                                                               *s->clock_, config.templatesDir);
    s->applicationRows_ = std::make_unique<storage::ApplicationRepository>(*s->db_);
    s->applications_ = std::make_unique<filing::ApplicationService>(
        *s->applicationRows_, *s->activities_, *s->filings_, *s->filingRows_, *s->projectRows_,
        *s->documents_, *s->checkRows_, *s->audit_, *s->clock_, *s->ids_, config.templatesDir);

    // Formal review (形式审查) and the notifications of applications' state changes.
    s->reviewRows_ = std::make_unique<storage::ReviewRepository>(*s->db_);
    s->reviews_ = std::make_unique<filing::ReviewService>(
        *s->reviewRows_, *s->applicationRows_, *s->applications_, *s->activities_, *s->checkRows_,
        *s->audit_, *s->clock_, *s->ids_, config.templatesDir);
    // A minute between passes: a return's deadline is a day's end, not a second's.
    s->returnSweep_ =
        std::make_unique<filing::ReturnDeadlineSweep>(*s->applications_, std::chrono::seconds(60));

    // The outputs of an application (book, experience material, bundle).
    s->downloads_ = std::make_unique<filing::ApplicationDownloads>(*s->applications_, *s->renders_,
                                                                   *s->bundles_, *s->audit_);

    // QC groups and teams (小组/班组备案).
    s->qcRows_ = std::make_unique<storage::QcRepository>(*s->db_);
    filing::QcSettings qcSettings;
    qcSettings.maxImportRows = static_cast<std::size_t>(config.qcImportMaxRows);
    s->qc_ = std::make_unique<filing::QcService>(*s->qcRows_, *s->audit_, *s->clock_, *s->ids_,
                                                 qcSettings);
    // Leader certificates (企标领跑者): the key-field products of the templates, the signing
    // key of the data directory (made on first start, mode 0600).
    s->keyFields_ = std::make_unique<filing::KeyFieldCatalog>(config.templatesDir);
    s->signer_ =
        filing::CertificateSigner::openOrCreate(config.dataDir + "/certificate-signing-key.pem");
    s->certificateRows_ = std::make_unique<storage::CertificateRepository>(*s->db_);
    s->certificates_ = std::make_unique<filing::CertificateService>(
        *s->certificateRows_, *s->organizationRows_, *s->audit_, *s->clock_, *s->ids_,
        *s->keyFields_, *s->signer_, *s->documents_, *s->blobs_, config.publicUrl);
    return s;
}

std::size_t Services::collectOrphanBlobs() {
    return blobs_->sweepOrphans([this](const std::string& sha) { return rows_->hasBlob(sha); });
}

}  // namespace dossier::app

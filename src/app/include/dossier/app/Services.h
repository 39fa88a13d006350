#pragma once

#include <memory>

#include "dossier/app/Config.h"
#include "dossier/core/Clock.h"
#include "dossier/core/IdGenerator.h"
#include "dossier/filing/ActivityService.h"
#include "dossier/filing/ApplicationDownloads.h"
#include "dossier/filing/ApplicationService.h"
#include "dossier/filing/AuditLog.h"
#include "dossier/filing/AuthService.h"
#include "dossier/filing/BundleService.h"
#include "dossier/filing/CertificateService.h"
#include "dossier/filing/CheckRunner.h"
#include "dossier/filing/DerivativeService.h"
#include "dossier/filing/DocumentService.h"
#include "dossier/filing/FilingService.h"
#include "dossier/filing/HealthProbe.h"
#include "dossier/filing/OrganizationService.h"
#include "dossier/filing/ProjectService.h"
#include "dossier/filing/QcService.h"
#include "dossier/filing/RenderService.h"
#include "dossier/filing/ReturnDeadlineSweep.h"
#include "dossier/filing/ReviewService.h"
#include "dossier/storage/AccountRepository.h"
#include "dossier/storage/AuditRepository.h"
#include "dossier/storage/Database.h"
#include "dossier/storage/DerivativeRepository.h"
#include "dossier/storage/DocumentRepository.h"
#include "dossier/storage/FileSystem.h"
#include "dossier/storage/LocalBlobStore.h"

namespace dossier::app {

/// The object graph the server, the CLI and the integration tests share. Opening it checks
/// the data directory (created, durably writable) and the database (reachable, migrated),
/// so bad configuration fails here with a message that says what is wrong.
class Services {
  public:
    /// `fs` and `clock` may be injected (tests); null means the real ones.
    static std::unique_ptr<Services> open(const Config& config,
                                          std::shared_ptr<storage::FileSystem> fs = nullptr,
                                          std::shared_ptr<Clock> clock = nullptr);

    storage::FileSystem& fileSystem() { return *fs_; }
    storage::Database& database() { return *db_; }
    storage::LocalBlobStore& blobs() { return *blobs_; }
    storage::DocumentRepository& documentRows() { return *rows_; }
    storage::CheckRepository& checkRows() { return *checkRows_; }
    storage::AccountRepository& accountRows() { return *accountRows_; }
    filing::AuditLog& audit() { return *audit_; }
    filing::AuthService& auth() { return *auth_; }
    /// Not started: the server starts it (tests drive it themselves).
    filing::CheckRunner& checkRunner() { return *runner_; }
    filing::DocumentService& documents() { return *documents_; }
    filing::DerivativeService& derivatives() { return *derivatives_; }
    filing::RenderService& renders() { return *renders_; }
    filing::BundleService& bundles() { return *bundles_; }
    filing::HealthProbe& health() { return *health_; }
    filing::OrganizationService& organizations() { return *organizations_; }
    storage::OrganizationRepository& organizationRows() { return *organizationRows_; }
    filing::FilingService& filings() { return *filings_; }
    filing::ProjectService& projects() { return *projects_; }
    /// For the submission of an application (issue 12) and tests: the project rows.
    storage::ProjectRepository& projectRows() { return *projectRows_; }
    filing::ActivityService& activities() { return *activities_; }
    filing::ApplicationService& applications() { return *applications_; }
    filing::ReviewService& reviews() { return *reviews_; }
    /// An application's book, experience material and bundle for its members and reviewers.
    filing::ApplicationDownloads& downloads() { return *downloads_; }
    storage::ReviewRepository& reviewRows() { return *reviewRows_; }
    /// QC groups and teams (issue 14, scope 1-3).
    filing::QcService& qc() { return *qc_; }
    /// Leader certificates (企标领跑者, issue 14): 对标, candidates, notice, verification.
    filing::CertificateService& certificates() { return *certificates_; }
    storage::CertificateRepository& certificateRows() { return *certificateRows_; }
    const filing::CertificateSigner& certificateSigner() const { return *signer_; }
    /// Not started: the server starts it (every read applies the same rule; tests need not).
    filing::ReturnDeadlineSweep& returnDeadlineSweep() { return *returnSweep_; }
    const IdGenerator& ids() const { return *ids_; }
    /// Removes blobs no row records (a crash between a blob's rename and its row's commit).
    /// Call only while nothing writes to the store: the server does at start-up, under the
    /// data directory's lock. Returns how many were removed.
    std::size_t collectOrphanBlobs();
    const Clock& clock() const { return *clock_; }

  private:
    Services() = default;
    std::shared_ptr<storage::FileSystem> fs_;
    std::shared_ptr<Clock> clock_;
    std::unique_ptr<IdGenerator> ids_;
    std::unique_ptr<storage::Database> db_;
    std::unique_ptr<storage::LocalBlobStore> blobs_;
    std::unique_ptr<storage::DocumentRepository> rows_;
    std::unique_ptr<storage::CheckRepository> checkRows_;
    std::unique_ptr<storage::AccountRepository> accountRows_;
    std::unique_ptr<storage::AuditRepository> auditRows_;
    std::unique_ptr<filing::AuditLog> audit_;
    std::unique_ptr<filing::AuthService> auth_;
    std::unique_ptr<filing::CheckRunner> runner_;
    std::unique_ptr<filing::DocumentService> documents_;
    std::unique_ptr<storage::DerivativeRepository> derivativeRows_;
    std::unique_ptr<filing::DerivativeService> derivatives_;
    std::unique_ptr<filing::RenderService> renders_;
    std::unique_ptr<filing::BundleService> bundles_;
    std::unique_ptr<filing::HealthProbe> health_;
    std::unique_ptr<storage::OrganizationRepository> organizationRows_;
    std::unique_ptr<filing::OrganizationService> organizations_;
    std::unique_ptr<storage::FilingRepository> filingRows_;
    std::unique_ptr<filing::FilingService> filings_;
    std::unique_ptr<storage::ProjectRepository> projectRows_;
    std::unique_ptr<filing::ProjectService> projects_;
    std::unique_ptr<storage::ActivityRepository> activityRows_;
    std::unique_ptr<filing::ActivityService> activities_;
    std::unique_ptr<storage::ApplicationRepository> applicationRows_;
    std::unique_ptr<filing::ApplicationService> applications_;
    std::unique_ptr<storage::ReviewRepository> reviewRows_;
    std::unique_ptr<filing::ReviewService> reviews_;
    std::unique_ptr<filing::ReturnDeadlineSweep> returnSweep_;  // after what it uses
    std::unique_ptr<filing::ApplicationDownloads> downloads_;
    std::unique_ptr<storage::QcRepository> qcRows_;
    std::unique_ptr<filing::QcService> qc_;
    std::unique_ptr<filing::KeyFieldCatalog> keyFields_;
    std::unique_ptr<filing::CertificateSigner> signer_;
    std::unique_ptr<storage::CertificateRepository> certificateRows_;
    std::unique_ptr<filing::CertificateService> certificates_;
};

}  // namespace dossier::app

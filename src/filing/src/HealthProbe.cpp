#include "dossier/filing/HealthProbe.h"

#include "dossier/core/Error.h"
#include "dossier/storage/Database.h"
#include "dossier/storage/FileSystem.h"

namespace dossier::filing {

HealthProbe::HealthProbe(storage::Database& db, storage::FileSystem& fs, std::string dataDir)
    : db_(db), fs_(fs), dataDir_(std::move(dataDir)) {}

HealthReport HealthProbe::check() {
    HealthReport report;
    try {
        db_.ping();
        report.databaseOk = true;
    } catch (const Error& e) {
        report.databaseProblem = e.message() + " " + e.detail();
    }
    try {
        auto file = fs_.createTemp(dataDir_, ".healthz-");
        std::string path = file->path();
        try {
            file->append("ok", 2);
            file->sync();
            file->close();
        } catch (...) {
            fs_.remove(path);
            throw;
        }
        fs_.remove(path);
        report.storageOk = true;
    } catch (const Error& e) {
        report.storageProblem = e.message() + " " + e.detail();
    }
    return report;
}

}  // namespace dossier::filing

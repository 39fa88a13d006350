#include "dossier/storage/DerivativeRepository.h"

#include <Poco/Data/Session.h>

#include "DatabaseImpl.h"

namespace dossier::storage {
namespace {

using namespace Poco::Data::Keywords;

constexpr std::string_view kFind =
    "SELECT derivative_sha256, media_type FROM derivatives WHERE source_sha256 = ? AND variant = ?";
constexpr std::string_view kInsertBlob =
    "INSERT INTO blobs (sha256, size, created_at_us) VALUES (?, ?, ?) "
    "ON CONFLICT (sha256) DO NOTHING";
constexpr std::string_view kInsert =
    "INSERT INTO derivatives (source_sha256, variant, derivative_sha256, media_type, "
    "created_at_us) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (source_sha256, variant) DO NOTHING";

}  // namespace

std::optional<DerivativeRow> DerivativeRepository::find(const std::string& sourceSha256,
                                                        const std::string& variant) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        std::string src = sourceSha256, v = variant;
        std::vector<std::string> shas, types;
        session << db.sql(kFind), use(src), use(v), into(shas), into(types), now;
        if (shas.empty()) return std::nullopt;
        return DerivativeRow{sourceSha256, variant, shas[0], types[0]};
    } catch (...) {
        rethrowDatabaseError("find derivative");
    }
}

void DerivativeRepository::insert(const DerivativeRow& row, std::uint64_t size,
                                  std::int64_t nowMicros) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        std::string src = row.sourceSha256, v = row.variant, sha = row.derivativeSha256,
                    type = row.mediaType;
        auto bytes = static_cast<Poco::Int64>(size);
        Poco::Int64 at = nowMicros;
        session << db.sql(kInsertBlob), use(sha), use(bytes), use(at), now;
        session << db.sql(kInsert), use(src), use(v), use(sha), use(type), use(at), now;
        tx.commit();
    } catch (...) {
        rethrowDatabaseError("insert derivative");
    }
}

}  // namespace dossier::storage

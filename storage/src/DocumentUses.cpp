#include "DocumentUses.h"

#include <algorithm>

namespace dossier::storage {
namespace {

using namespace Poco::Data::Keywords;

constexpr std::string_view kDocumentKindSqlite =
    "SELECT kind FROM documents WHERE id = ? AND organization_id = ?";
constexpr std::string_view kDocumentKindPostgres =
    "SELECT kind FROM documents WHERE id = ? AND organization_id = ? FOR KEY SHARE";
constexpr std::string_view kDropUses = "DELETE FROM document_uses WHERE used_by = ?";
constexpr std::string_view kInsertUse =
    "INSERT INTO document_uses (document_id, used_by) VALUES (?, ?) ON CONFLICT DO NOTHING";

}  // namespace

std::vector<std::string> lockDocumentsOf(Database::Impl& db, Poco::Data::Session& session,
                                         const std::string& organizationId,
                                         const std::vector<std::string>& documentIds,
                                         const std::vector<std::string>& kinds) {
    std::vector<std::string> missing;
    std::string sql =
        db.sql(db.dialect == Dialect::PostgreSQL ? kDocumentKindPostgres : kDocumentKindSqlite);
    for (const auto& documentId : documentIds) {
        std::string id = documentId, org = organizationId;
        std::vector<std::string> found;
        session << sql, use(id), use(org), into(found), now;
        bool allowed = !found.empty() && (kinds.empty() || std::find(kinds.begin(), kinds.end(),
                                                                     found[0]) != kinds.end());
        if (!allowed) missing.push_back(documentId);
    }
    return missing;
}

void replaceDocumentUses(Database::Impl& db, Poco::Data::Session& session,
                         const std::string& usedBy, const std::vector<std::string>& documentIds) {
    std::string by = usedBy;
    session << db.sql(kDropUses), use(by), now;
    for (const auto& documentId : documentIds) {
        std::string id = documentId, user = usedBy;
        session << db.sql(kInsertUse), use(id), use(user), now;
    }
}

}  // namespace dossier::storage

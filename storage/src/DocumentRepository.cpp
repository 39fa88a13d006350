#include "dossier/storage/DocumentRepository.h"

#include <Poco/Data/Session.h>

#include "AuditRows.h"
#include "DatabaseImpl.h"

namespace dossier::storage {
namespace {

using namespace Poco::Data::Keywords;

constexpr std::string_view kInsertBlob =
    "INSERT INTO blobs (sha256, size, created_at_us) VALUES (?, ?, ?) "
    "ON CONFLICT (sha256) DO NOTHING";
constexpr std::string_view kInsertDocument =
    "INSERT INTO documents (id, sha256, size, media_type, kind, original_name, created_at_us, "
    "organization_id, uploaded_by, signed) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, NULLIF(?, ''), NULLIF(?, ''), ?)";
constexpr std::string_view kInsertCheck =
    "INSERT INTO checks (document_id, check_name, input_json, state, attempts, updated_at_us) "
    "VALUES (?, ?, ?, 'pending', 0, ?)";
constexpr std::string_view kSelectDocument =
    "SELECT sha256, size, media_type, kind, original_name, created_at_us, "
    "COALESCE(organization_id, ''), COALESCE(uploaded_by, ''), signed FROM documents "
    "WHERE id = ?";
constexpr std::string_view kCountDocuments = "SELECT COUNT(*) FROM documents";
constexpr std::string_view kCountBlobs = "SELECT COUNT(*) FROM blobs";
constexpr std::string_view kHasBlob = "SELECT COUNT(*) FROM blobs WHERE sha256 = ?";

std::uint64_t count(Database::Impl& db, std::string_view sql) {
    try {
        auto session = db.session();
        Poco::Int64 n = 0;
        session << db.sql(sql), into(n), now;
        return static_cast<std::uint64_t>(n);
    } catch (...) {
        rethrowDatabaseError("count");
    }
}

}  // namespace

void DocumentRepository::insert(const Document& d, const std::vector<CheckRow>& checks,
                                const std::optional<AuditEntry>& audit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        std::string id = d.id, sha = d.sha256, name = d.originalName;
        std::string org = d.organizationId, by = d.uploadedBy;
        Poco::Int32 isSigned = d.signedPdf ? 1 : 0;
        std::string media(mimeOf(d.mediaType)), kind(nameOf(d.kind));
        auto size = static_cast<Poco::Int64>(d.size);
        Poco::Int64 created = d.createdAtMicros;
        session << db.sql(kInsertBlob), use(sha), use(size), use(created), now;
        session << db.sql(kInsertDocument), use(id), use(sha), use(size), use(media), use(kind),
            use(name), use(created), use(org), use(by), use(isSigned), now;
        for (const auto& c : checks) {
            std::string checkName = c.checkName, input = c.inputJson;
            session << db.sql(kInsertCheck), use(id), use(checkName), use(input), use(created), now;
        }
        if (audit) insertAuditRow(db, session, *audit);
        tx.commit();
    } catch (...) {
        rethrowDatabaseError("insert document");
    }
}

std::optional<Document> DocumentRepository::find(const std::string& id) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        std::string key = id, sha, media, kind, name, org, by;
        Poco::Int64 size = 0, created = 0;
        Poco::Int32 isSigned = 0;
        Poco::Data::Statement select(session);
        select << db.sql(kSelectDocument), into(sha), into(size), into(media), into(kind),
            into(name), into(created), into(org), into(by), into(isSigned), use(key), limit(1);
        if (select.execute() == 0) return std::nullopt;
        Document d;
        d.id = id;
        d.sha256 = sha;
        d.size = static_cast<std::uint64_t>(size);
        d.mediaType = mediaTypeFromMime(media);
        d.kind = parseDocumentKind(kind).value_or(DocumentKind::Evidence);
        d.originalName = name;
        d.createdAtMicros = created;
        d.organizationId = org;
        d.uploadedBy = by;
        d.signedPdf = isSigned != 0;
        return d;
    } catch (...) {
        rethrowDatabaseError("find document");
    }
}

std::uint64_t DocumentRepository::countDocuments() { return count(db_.impl(), kCountDocuments); }
std::uint64_t DocumentRepository::countBlobs() { return count(db_.impl(), kCountBlobs); }

bool DocumentRepository::hasBlob(const std::string& sha256) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        std::string key = sha256;
        Poco::Int64 n = 0;
        session << db.sql(kHasBlob), into(n), use(key), now;
        return n > 0;
    } catch (...) {
        rethrowDatabaseError("find blob");
    }
}

}  // namespace dossier::storage

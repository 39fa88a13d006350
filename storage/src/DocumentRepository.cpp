#include "dossier/storage/DocumentRepository.h"

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>

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
constexpr std::string_view kListDocuments =
    "SELECT id, sha256, size, media_type, kind, original_name, created_at_us, "
    "COALESCE(organization_id, ''), COALESCE(uploaded_by, ''), signed, "
    "CASE WHEN EXISTS (SELECT 1 FROM document_uses u WHERE u.document_id = d.id) "
    "THEN 1 ELSE 0 END FROM documents d WHERE organization_id = ? AND (? = '' OR kind = ?) "
    "ORDER BY created_at_us DESC, id DESC LIMIT ? OFFSET ?";
constexpr std::string_view kCountListed =
    "SELECT COUNT(*) FROM documents WHERE organization_id = ? AND (? = '' OR kind = ?)";
// Deletion. The row is locked first on PostgreSQL (see DocumentRepository::remove).
constexpr std::string_view kLockDocumentSqlite =
    "SELECT sha256 FROM documents WHERE id = ? AND organization_id = ?";
constexpr std::string_view kLockDocumentPostgres =
    "SELECT sha256 FROM documents WHERE id = ? AND organization_id = ? FOR UPDATE";
constexpr std::string_view kUsesOf =
    "SELECT used_by FROM document_uses WHERE document_id = ? ORDER BY used_by";
constexpr std::string_view kDeleteChecks = "DELETE FROM checks WHERE document_id = ?";
constexpr std::string_view kDeleteText = "DELETE FROM ocr_text WHERE document_id = ?";
constexpr std::string_view kDeleteDocument = "DELETE FROM documents WHERE id = ?";
constexpr std::string_view kSameBytes = "SELECT COUNT(*) FROM documents WHERE sha256 = ?";
constexpr std::string_view kDerivativesOf =
    "SELECT derivative_sha256 FROM derivatives WHERE source_sha256 = ?";
constexpr std::string_view kDeleteDerivatives = "DELETE FROM derivatives WHERE source_sha256 = ?";
// A blob row goes only when nothing points at it any more (a derivative may coincide with
// another document's bytes, or be another source's derivative too).
constexpr std::string_view kDeleteBlob =
    "DELETE FROM blobs WHERE sha256 = ? "
    "AND NOT EXISTS (SELECT 1 FROM documents WHERE sha256 = ?) "
    "AND NOT EXISTS (SELECT 1 FROM derivatives WHERE source_sha256 = ? "
    "OR derivative_sha256 = ?)";
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

/// Receives the document columns of a statement (kListDocuments' order), any number of rows.
struct DocumentColumns {
    std::vector<std::string> id, sha, media, kind, name, org, by;
    std::vector<Poco::Int64> size, created;
    std::vector<Poco::Int32> isSigned, inUse;

    void bind(Poco::Data::Statement& s) {
        s, into(id), into(sha), into(size), into(media), into(kind), into(name), into(created),
            into(org), into(by), into(isSigned), into(inUse);
    }
    Document document(std::size_t i) const {
        Document d;
        d.id = id[i];
        d.sha256 = sha[i];
        d.size = static_cast<std::uint64_t>(size[i]);
        d.mediaType = mediaTypeFromMime(media[i]);
        d.kind = parseDocumentKind(kind[i]).value_or(DocumentKind::Evidence);
        d.originalName = name[i];
        d.createdAtMicros = created[i];
        d.organizationId = org[i];
        d.uploadedBy = by[i];
        d.signedPdf = isSigned[i] != 0;
        return d;
    }
};

/// A foreign key refused the statement (SQLite's and PostgreSQL's wording).
bool isForeignKeyViolation(const Poco::Exception& e) {
    std::string text = e.displayText();
    return text.find("FOREIGN KEY constraint failed") != std::string::npos ||
           text.find("violates foreign key constraint") != std::string::npos;
}

/// Removes the rows of `sha256` and of its derivatives that nothing points at any more.
/// Inside a savepoint: should it fail (an upload of the same bytes committing at this very
/// moment makes the blob row referenced again), the document's deletion stands and the blob
/// row stays. Returns whether the blob row went.
bool releaseBlob(Database::Impl& db, Poco::Data::Session& session, const std::string& sha256) {
    std::string sha = sha256;
    Poco::Int64 same = 0;
    session << db.sql(kSameBytes), use(sha), into(same), now;
    if (same > 0) return false;
    session << "SAVEPOINT release_blob", now;
    try {
        std::vector<std::string> derived;
        std::string s1 = sha256, s2 = sha256, s3 = sha256, s4 = sha256, s5 = sha256;
        session << db.sql(kDerivativesOf), use(s1), into(derived), now;
        session << db.sql(kDeleteDerivatives), use(s2), now;
        Poco::Data::Statement drop(session);
        drop << db.sql(kDeleteBlob), use(s3), use(s4), use(s5), use(sha);
        bool released = drop.execute() > 0;
        for (const auto& d : derived) {
            std::string a = d, b = d, c = d, e = d;
            session << db.sql(kDeleteBlob), use(a), use(b), use(c), use(e), now;
        }
        session << "RELEASE SAVEPOINT release_blob", now;
        return released;
    } catch (const Poco::Exception&) {
        session << "ROLLBACK TO SAVEPOINT release_blob", now;
        session << "RELEASE SAVEPOINT release_blob", now;
        return false;
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

DocumentPage DocumentRepository::list(const std::string& organizationId, const std::string& kind,
                                      std::uint64_t offset, std::uint64_t limit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        DocumentPage page;
        std::string org = organizationId, k1 = kind, k2 = kind;
        Poco::Int64 total = 0;
        session << db.sql(kCountListed), use(org), use(k1), use(k2), into(total), now;
        page.total = static_cast<std::uint64_t>(total);
        std::string org2 = organizationId, k3 = kind, k4 = kind;
        auto lim = static_cast<Poco::Int64>(limit), off = static_cast<Poco::Int64>(offset);
        DocumentColumns c;
        Poco::Data::Statement select(session);
        select << db.sql(kListDocuments);
        c.bind(select);
        select, use(org2), use(k3), use(k4), use(lim), use(off);
        select.execute();
        for (std::size_t i = 0; i < c.id.size(); ++i) {
            page.items.push_back({c.document(i), c.inUse[i] != 0});
        }
        return page;
    } catch (...) {
        rethrowDatabaseError("list documents");
    }
}

DocumentDeletion DocumentRepository::remove(
    const std::string& id, const std::string& organizationId,
    const std::function<AuditEntry(const DocumentDeletion&)>& audit) {
    auto& db = db_.impl();
    DocumentDeletion result;
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        std::string key = id, org = organizationId;
        std::vector<std::string> sha;
        session << db.sql(db.dialect == Dialect::PostgreSQL ? kLockDocumentPostgres
                                                            : kLockDocumentSqlite),
            use(key), use(org), into(sha), now;
        if (sha.empty()) {
            result.outcome = DocumentDeletion::Outcome::NotFound;
            return result;
        }
        std::string k1 = id, k2 = id, k3 = id, k4 = id;
        session << db.sql(kUsesOf), use(k1), into(result.usedBy), now;
        if (!result.usedBy.empty()) {
            result.outcome = DocumentDeletion::Outcome::InUse;
            return result;  // rolled back: nothing changed
        }
        session << db.sql(kDeleteChecks), use(k2), now;
        session << db.sql(kDeleteText), use(k3), now;
        session << db.sql(kDeleteDocument), use(k4), now;
        result.blobReleased = releaseBlob(db, session, sha[0]);
        insertAuditRow(db, session, audit(result));
        tx.commit();
        return result;
    } catch (const Poco::Exception& e) {
        // The foreign key from document_uses (or from a table of a later issue) refused it:
        // something uses the document after all.
        if (isForeignKeyViolation(e)) {
            result = DocumentDeletion{};
            result.outcome = DocumentDeletion::Outcome::InUse;
            return result;
        }
        rethrowDatabaseError("delete document");
    } catch (...) {
        rethrowDatabaseError("delete document");
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

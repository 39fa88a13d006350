#include "dossier/storage/AuditRepository.h"

#include <Poco/Data/Session.h>

#include "AuditRows.h"
#include "DatabaseImpl.h"
#include "SqlStatement.h"

namespace dossier::storage {
namespace {

using namespace Poco::Data::Keywords;

constexpr std::string_view kAppend =
    "INSERT INTO audit_log (id, at_us, account_id, action, target, detail_json) "
    "VALUES (?, ?, NULLIF(?, ''), ?, ?, ?)";
constexpr std::string_view kForTarget =
    "SELECT id, at_us, COALESCE(account_id, ''), action, target, detail_json FROM audit_log "
    "WHERE target = ? ORDER BY at_us DESC, id DESC LIMIT ?";

}  // namespace

void insertAuditRow(Database::Impl& db, Poco::Data::Session& session, const AuditEntry& e) {
    // In every state change's transaction: one round trip (SqlStatement).
    SqlStatement insert(db, session, kAppend);
    insert.bind(e.id)
        .bind(e.atMicros)
        .bind(e.accountId)
        .bind(e.action)
        .bind(e.target)
        .bind(e.detailJson);
    insert.execute();
}

void AuditRepository::append(const AuditEntry& e) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        insertAuditRow(db, session, e);
    } catch (...) {
        rethrowDatabaseError("append audit entry");
    }
}

std::vector<AuditEntry> AuditRepository::forTarget(const std::string& target, int limit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        std::string key = target;
        int n = limit;
        std::vector<std::string> ids, accounts, actions, targets, details;
        std::vector<Poco::Int64> ats;
        session << db.sql(kForTarget), into(ids), into(ats), into(accounts), into(actions),
            into(targets), into(details), use(key), use(n), now;
        std::vector<AuditEntry> out;
        for (std::size_t i = 0; i < ids.size(); ++i) {
            out.push_back({ids[i], ats[i], accounts[i], actions[i], targets[i], details[i]});
        }
        return out;
    } catch (...) {
        rethrowDatabaseError("read audit log");
    }
}

}  // namespace dossier::storage

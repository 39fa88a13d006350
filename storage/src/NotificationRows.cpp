#include "NotificationRows.h"

namespace dossier::storage {
namespace {

using namespace Poco::Data::Keywords;

constexpr std::string_view kNotify =
    "INSERT INTO notifications (account_id, application_id, application_version, state, "
    "created_at_us) "
    "SELECT acc.id, a.id, a.version, a.state, CAST(? AS BIGINT) FROM applications a "
    "JOIN accounts acc ON acc.organization_id = a.organization_id "
    "WHERE a.id = ? AND acc.deregistered_at_us IS NULL";

}  // namespace

void insertNotifications(Database::Impl& db, Poco::Data::Session& session,
                         const std::string& applicationId, std::int64_t atMicros) {
    std::string id = applicationId;
    Poco::Int64 at = atMicros;
    session << db.sql(kNotify), use(at), use(id), now;
}

}  // namespace dossier::storage

#include "dossier/filing/AuditLog.h"

#include <Poco/JSON/Object.h>

#include <sstream>

namespace dossier::filing {

storage::AuditEntry AuditLog::entry(const std::string& accountId, const std::string& action,
                                    const std::string& target,
                                    const std::map<std::string, std::string>& details) const {
    Poco::JSON::Object o;
    for (const auto& [k, v] : details) o.set(k, v);
    std::ostringstream out;
    o.stringify(out);
    return {ids_.next(), clock_.nowMicros(), accountId, action, target, out.str()};
}

void AuditLog::record(const std::string& accountId, const std::string& action,
                      const std::string& target,
                      const std::map<std::string, std::string>& details) {
    rows_.append(entry(accountId, action, target, details));
}

}  // namespace dossier::filing

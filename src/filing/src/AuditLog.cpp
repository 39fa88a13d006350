#include "dossier/filing/AuditLog.h"

#include <Poco/JSON/Object.h>

#include <sstream>

namespace dossier::filing {

void AuditLog::record(const std::string& accountId, const std::string& action,
                      const std::string& target,
                      const std::map<std::string, std::string>& details) {
    Poco::JSON::Object o;
    for (const auto& [k, v] : details) o.set(k, v);
    std::ostringstream out;
    o.stringify(out);
    rows_.append({ids_.next(), clock_.nowMicros(), accountId, action, target, out.str()});
}

}  // namespace dossier::filing

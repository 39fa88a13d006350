#include "UploadMessages.h"

#include <cstdio>

namespace dossier::filing {

std::string formatBytes(std::uint64_t bytes) {
    char buf[32];
    if (bytes >= (1u << 20)) {
        double mb = static_cast<double>(bytes) / (1u << 20);
        if (bytes % (1u << 20) == 0) {
            std::snprintf(buf, sizeof buf, "%.0f MB", mb);
        } else {
            std::snprintf(buf, sizeof buf, "%.2f MB", mb);
        }
    } else if (bytes >= 1024) {
        std::snprintf(buf, sizeof buf, "%llu KB", static_cast<unsigned long long>(bytes / 1024));
    } else {
        std::snprintf(buf, sizeof buf, "%llu bytes", static_cast<unsigned long long>(bytes));
    }
    return buf;
}

}  // namespace dossier::filing

#include "dossier/watermark/Marks.h"

namespace dossier::watermark {

FilingMark FilingMark::forActivity(const std::string& activity, const std::string& date) {
    return FilingMark{"仅用于" + activity + "备案审核", date};
}

std::string TraceMark::text() const {
    return "查看人 " + viewerName + " · " + accountId + " · " + timestamp;
}

}  // namespace dossier::watermark

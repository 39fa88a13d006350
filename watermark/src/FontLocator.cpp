#include "dossier/watermark/FontLocator.h"

#include <unistd.h>

#include <initializer_list>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"

namespace dossier::watermark {
namespace {

std::string firstExisting(std::initializer_list<const char*> paths, const char* package) {
    for (const char* p : paths) {
        if (::access(p, R_OK) == 0) return p;
    }
    throw Error(codes::kConfigInvalid,
                std::string("No CJK font found; install the Debian package ") + package + ".");
}

}  // namespace

std::string FontLocator::heiFont() {
    return firstExisting({"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
                          "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"},
                         "fonts-wqy-zenhei");
}

std::string FontLocator::songFont() {
    return firstExisting({"/usr/share/fonts/truetype/arphic/uming.ttc"}, "fonts-arphic-uming");
}

}  // namespace dossier::watermark

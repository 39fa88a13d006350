#include "dossier/watermark/MagickRuntime.h"

#include <Magick++.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <mutex>

namespace dossier::watermark {
namespace {

std::once_flag gOnce;
ImageLimits gLimits;

std::string besideExecutable() {
    char buf[PATH_MAX];
    ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) return {};
    std::string exe(buf, static_cast<std::size_t>(n));
    std::string dir = exe.substr(0, exe.rfind('/'));
    std::string policy = dir + "/etc/ImageMagick";
    return ::access((policy + "/policy.xml").c_str(), R_OK) == 0 ? policy : std::string();
}

}  // namespace

const ImageLimits& MagickRuntime::initialize(const ImageLimits& limits,
                                             const std::string& policyDirectory) {
    std::call_once(gOnce, [&] {
        std::string dir = policyDirectory.empty() ? besideExecutable() : policyDirectory;
        // Read by MagickCore at initialisation; an explicit environment setting wins.
        if (!dir.empty()) setenv("MAGICK_CONFIGURE_PATH", dir.c_str(), 0);
        Magick::InitializeMagick(nullptr);
        gLimits = limits;
        Magick::ResourceLimits::width(limits.maxWidth);
        Magick::ResourceLimits::height(limits.maxHeight);
        Magick::ResourceLimits::area(limits.maxPixels);
        Magick::ResourceLimits::memory(limits.memoryBytes);
        Magick::ResourceLimits::map(limits.mapBytes);
        Magick::ResourceLimits::disk(limits.diskBytes);
        // One thread per operation: requests and check workers supply the parallelism.
        Magick::ResourceLimits::thread(1);
        // No TimeResource: in ImageMagick 6 it is wall-clock time since the library started,
        // so a long-running server would fail every operation after that many seconds.
    });
    return gLimits;
}

const ImageLimits& MagickRuntime::limits() { return initialize(); }

}  // namespace dossier::watermark

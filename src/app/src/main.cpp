#include <malloc.h>

#include <string>
#include <vector>

#include "dossier/app/Commands.h"
#include "dossier/watermark/MagickRuntime.h"

int main(int argc, char** argv) {
    // glibc raises its mmap threshold each time a large block is freed (up to 32 MB) and its
    // trim threshold to twice that; from then on multi-MB blocks come from the worker threads'
    // arenas, and each arena keeps up to the trim threshold of freed memory at its top, which
    // malloc_trim returns only for the main arena. Fixing the mmap threshold at glibc's default
    // (128 KiB) turns that adaptation off: large blocks are unmapped when freed and arenas
    // shrink. qc_import_bench on PostgreSQL: the server's RSS grew ~7 MB with every import a
    // new worker served (45 MB over five), 19 MB in all with the threshold fixed.
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    // ImageMagick reads its policy directory from the environment when it starts; start it
    // here, before any thread exists, because setenv is not thread-safe.
    dossier::watermark::MagickRuntime::initialize();
    return dossier::app::runCli(std::vector<std::string>(argv, argv + argc));
}

#include <string>
#include <vector>

#include "dossier/app/Commands.h"
#include "dossier/watermark/MagickRuntime.h"

int main(int argc, char** argv) {
    // ImageMagick reads its policy directory from the environment when it starts; start it
    // here, before any thread exists, because setenv is not thread-safe.
    dossier::watermark::MagickRuntime::initialize();
    return dossier::app::runCli(std::vector<std::string>(argv, argv + argc));
}

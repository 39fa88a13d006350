#include <string>
#include <vector>

#include "dossier/app/Commands.h"

int main(int argc, char** argv) {
    return dossier::app::runCli(std::vector<std::string>(argv, argv + argc));
}

// Prints the OpenAPI document exactly as the server serves it (the code lists filled in from
// the registry), for scripts/lint-openapi.sh.
#include <iostream>

#include "dossier/http/Server.h"

int main() {
    std::cout << dossier::http::openApiDocument();
    return std::cout.good() ? 0 : 1;
}

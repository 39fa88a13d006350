#pragma once

#include <string_view>

namespace dossier::http {

/// src/http/openapi.json as written, embedded at build time. The served document is made
/// from it by openApiDocument(), which fills in the code lists from the registry.
std::string_view openApiSource();

}  // namespace dossier::http

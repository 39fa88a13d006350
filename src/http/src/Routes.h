#pragma once

#include "Metrics.h"
#include "Router.h"
#include "dossier/http/Server.h"

namespace dossier::http {

/// The multipart upload route needs its body limit before the handler runs (so an
/// oversized request is refused without a 100 Continue).
std::uint64_t uploadBodyLimit(const ServerContext& context);

void addDocumentRoutes(Router& router, ServerContext& context, Metrics& metrics);
void addSystemRoutes(Router& router, ServerContext& context, Metrics& metrics);

/// Sends a JSON body with the given status.
void sendJson(Exchange& ex, int status, const std::string& json);

}  // namespace dossier::http

#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <string>

#include "TemplateSchema.h"

namespace dossier::renderers {

/// The data schemas of the fixed-layout documents, templates/schemas/leader-certificate.json
/// and leader-label.json (compiled in, so the CLI and the server need no file for them), each
/// parsed once. Thread-safe. A malformed schema is a build mistake: render.template.
const TemplateSchema& leaderCertificateSchema();
const TemplateSchema& leaderLabelSchema();

/// The trimmed text at `key` of `o` (a value the schema has accepted), empty when missing.
std::string schemaText(const Poco::JSON::Object::Ptr& o, const std::string& key);

}  // namespace dossier::renderers

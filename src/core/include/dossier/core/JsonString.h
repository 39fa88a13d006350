#pragma once

#include <string>
#include <string_view>

namespace dossier {

/// Appends `utf8` to `out` as a JSON string literal (RFC 8259): quoted, with '"', '\' and
/// the control characters escaped, everything else (non-ASCII included) as is. `utf8` must be
/// valid UTF-8. For hot responses and streamed manifests, where building a Poco::JSON::Object
/// costs more than the rest of the work.
void appendJsonString(std::string& out, std::string_view utf8);

}  // namespace dossier

#pragma once

#include <string>

#include "dossier/core/Clock.h"

namespace dossier::filing {

/// Renders documents from JSON data, for trying templates (`POST /api/v1/render/{document}`)
/// and later for the application-bound routes. Thread-safe.
class RenderService {
public:
    explicit RenderService(const Clock& clock) : clock_(clock) {}

    /// `document`: "certificate". Throws render.unknown_document (404), request.malformed
    /// (bad JSON), validation.failed (dossier::ValidationError with every problem),
    /// render.glyph_missing.
    std::string render(const std::string& document, const std::string& json) const;

private:
    const Clock& clock_;
};

}  // namespace dossier::filing

#pragma once

#include <string>

namespace dossier::test {

/// Compares a rendered PDF with tests/golden/<name>.pdf byte for byte (renders are
/// deterministic) and its pages, rasterized at 24 dpi, with tests/golden/<name>-<n>.png
/// within a tolerance (under 0.5 % of pixels off by more than a quarter of the grey range).
/// With DOSSIER_UPDATE_GOLDEN=1 in the environment it rewrites the golden files instead —
/// look at the PNGs before committing them.
void expectMatchesGolden(const std::string& name, const std::string& pdf, int pages);

/// Compares PNG bytes with tests/golden/<name>.png within the same tolerance.
void expectImageMatchesGolden(const std::string& name, const std::string& png);

}  // namespace dossier::test

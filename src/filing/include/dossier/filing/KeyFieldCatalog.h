#pragma once

#include <array>
#include <map>
#include <string>
#include <vector>

namespace dossier::filing {

/// One indicator of a key-field product: a value is compared with the thresholds of 3, 4 and
/// 5 stars, at least (`>=`) or at most (`<=`) each.
struct KeyFieldIndicator {
    std::string key;  // [a-z0-9_], what a declaration's `values` names
    std::string name;
    std::string unit;
    bool atLeast = true;                 // ">=": higher is better; "<=": lower is better
    std::array<double, 3> thresholds{};  // 3, 4, 5 stars
};

/// 重点领域产品 (seed 003): a template file `templates/key-field-products/<id>.json` that an
/// evaluator writes — format `dossier-key-field-product/1`, id, name, domain,
/// evaluation_body, indicators [{key, name, unit, direction, thresholds {"3","4","5"}}].
struct KeyFieldProduct {
    std::string id;
    std::string name;
    std::string domain;
    std::string evaluationBody;
    std::vector<KeyFieldIndicator> indicators;
};

/// The answer of a 对标: per indicator whether the value meets each level, and the overall
/// level (the lowest over the indicators; 0 when one is below 3 stars).
struct BenchmarkResult {
    struct Line {
        const KeyFieldIndicator* indicator = nullptr;
        double value = 0;
        std::array<bool, 3> meets{};  // 3, 4, 5 stars
        int level = 0;                // 0, 3, 4 or 5
    };
    std::vector<Line> lines;
    int level = 0;

    /// {product, level, lines: [{key, name, unit, direction, value, thresholds, meets, level}]}
    std::string json(const KeyFieldProduct& product) const;
};

/// The key-field products of the templates directory, loaded and checked once at start
/// (render.template names the file and the problem: a missing field, a bad direction,
/// thresholds that do not grow stricter from 3 to 5 stars, two indicators with one key).
/// Read-only afterwards: thread-safe.
class KeyFieldCatalog {
  public:
    /// Reads `<templatesDir>/key-field-products/*.json`; an absent directory is no products.
    explicit KeyFieldCatalog(const std::string& templatesDir);

    /// benchmark.product_not_found when there is no such product.
    const KeyFieldProduct& get(const std::string& id) const;
    const std::map<std::string, KeyFieldProduct>& all() const { return products_; }

    /// `values` holds one value per indicator of `product` (the caller checked that).
    static BenchmarkResult benchmark(const KeyFieldProduct& product,
                                     const std::map<std::string, double>& values);
    /// {id, name, domain, evaluation_body, indicators: [...]}.
    static std::string json(const KeyFieldProduct& product);

  private:
    std::map<std::string, KeyFieldProduct> products_;
};

}  // namespace dossier::filing

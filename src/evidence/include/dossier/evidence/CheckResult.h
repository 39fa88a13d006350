#pragma once

#include <concepts>
#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "dossier/core/ErrorCodes.h"

namespace dossier::evidence {

enum class CheckStatus { Pass, Warn, Fail };

std::string_view nameOf(CheckStatus status);

/// Where on a page something was found, in pixels of the page as stored (before any
/// rotation the check applied; `rotation` says how the page had to be turned to read).
/// The pixels are those of the raster the check looked at — the image itself (upright by its
/// EXIF orientation), a PDF page rendered at the check's resolution — whose size is
/// `pageWidth` × `pageHeight`: a viewer scales the box by its own image's width / pageWidth.
struct Region {
    int page = 1;
    int x = 0;
    int y = 0;
    int width = 0;
    int height = 0;
    std::string label;  // "credit_code", "credit_code_label", "seal", ...
    int pageWidth = 0;  // 0: not known (results stored before the size was recorded)
    int pageHeight = 0;
};

/// `region`, found on the page turned clockwise by `rotation` degrees (0, 90, 180, 270), in
/// the pixels of the page as stored, which is `width` × `height` before the turn; the page
/// size it gets is that too.
Region unturned(const Region& region, int rotation, int width, int height);

/// One value of a check's details, written as its JSON type: text (a string), a count (an
/// integer), a measure (a number) or a flag (a boolean). Each check's keys and their types
/// are listed in the OpenAPI document (LicenseDetails, SealsDetails, QualityDetails,
/// TextDetails).
class DetailValue {
  public:
    DetailValue() = default;  // empty text
    DetailValue(std::string text) : value_(std::move(text)) {}
    DetailValue(const char* text) : value_(std::string(text)) {}
    DetailValue(bool flag) : value_(flag) {}
    DetailValue(double measure) : value_(measure) {}
    template <std::integral T>
    requires(!std::same_as<T, bool> && !std::same_as<T, char>) DetailValue(T count)
        : value_(static_cast<std::int64_t>(count)) {}

    bool isText() const noexcept { return std::holds_alternative<std::string>(value_); }
    bool isCount() const noexcept { return std::holds_alternative<std::int64_t>(value_); }
    bool isMeasure() const noexcept { return std::holds_alternative<double>(value_); }
    bool isFlag() const noexcept { return std::holds_alternative<bool>(value_); }
    /// Each accessor throws std::bad_variant_access when the value is of another type.
    const std::string& text() const { return std::get<std::string>(value_); }
    std::int64_t count() const { return std::get<std::int64_t>(value_); }
    double measure() const { return std::get<double>(value_); }
    bool flag() const { return std::get<bool>(value_); }

    /// The value as JSON text (a quoted, escaped string; a number; true or false).
    std::string toJson() const;

    friend bool operator==(const DetailValue&, const DetailValue&) = default;
    /// True only for text equal to `text`: a count is never equal to its digits.
    friend bool operator==(const DetailValue& value, std::string_view text) {
        return value.isText() && value.text() == text;
    }
    friend bool operator==(const DetailValue& value, const std::string& text) {
        return value == std::string_view(text);
    }
    friend bool operator==(const DetailValue& value, const char* text) {
        return value == std::string_view(text);
    }

  private:
    std::variant<std::string, std::int64_t, double, bool> value_;
};

/// Prints text as it is and other values as their JSON.
std::ostream& operator<<(std::ostream& out, const DetailValue& value);

/// One stored check outcome: {check, status, code, message, details, regions}.
/// Expected outcomes (a mismatched code, no seal) are values, never exceptions.
struct CheckResult {
    std::string check;  // "license", "seals", "quality", "text"
    CheckStatus status = CheckStatus::Fail;
    /// A code of category Check (codes::kLicenseCodeMismatch), or of category Content when
    /// the file itself could not be checked. A result nobody filled in says `internal`.
    ErrorCode code = codes::kInternal;
    std::string message;  // human, client-safe
    std::map<std::string, DetailValue> details;
    std::vector<Region> regions;

    std::string toJson() const;
};

}  // namespace dossier::evidence

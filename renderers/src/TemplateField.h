#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "dossier/renderers/DocumentTemplate.h"

namespace dossier::renderers {

/// The "type" of a template field, as templates/README.md lists them.
enum class FieldType {
    Object,  // named fields, in order
    Array,   // a list of `items`
    String,  // one line of text
    Text,    // text that may span lines
    Number,
    Integer,
    CreditCode,  // 统一社会信用代码, check character verified
    Choice,      // one value of a reference list
    Choices,     // several values of a reference list, none twice
    Date,        // YYYY-MM-DD, printed the Chinese way
    Mobile,
    Telephone,
    Email,
    Postcode,
    Url,     // https://host/…, no blanks or control characters (printed and QR-encoded)
    Yearly,  // one value `of` each of the template's consecutive years
    Map      // one value `of` each key of a constant
};

/// The type a template names ("credit_code" → CreditCode), nullopt for an unknown name.
std::optional<FieldType> fieldTypeNamed(const std::string& name);

/// One node of a template's data schema. Built by TemplateSchema, immutable after; `list`
/// points into the schema that built it and lives as long as it.
struct TemplateField {
    FieldType type = FieldType::String;
    std::string label;
    bool required = false;
    // 0: no limit. maxChars counts characters as word limits do (blanks excluded); maxLength
    // every code point (what must fit a fixed box); maxBytes the UTF-8 bytes (a QR code).
    std::size_t maxChars = 0, maxLength = 0, maxBytes = 0, minItems = 0, maxItems = 0;
    std::optional<double> min, max;
    /// How an integer prints: "" as written, "bytes" as a file size ("1,234,567 字节（1.2 MB）").
    std::string format;
    const ReferenceList* list = nullptr;                                         // choice(s)
    std::vector<std::pair<std::string, std::shared_ptr<TemplateField>>> fields;  // object
    std::shared_ptr<TemplateField> items;                                        // array
    std::shared_ptr<TemplateField> of;                                           // yearly, map
    std::vector<std::string> keys;                                               // map

    /// The object's member `name`, or null.
    const TemplateField* field(const std::string& name) const {
        for (const auto& [n, f] : fields) {
            if (n == name) return f.get();
        }
        return nullptr;
    }
    /// The field as problems name it: "label (path)", or the path alone.
    std::string name(const std::string& path) const {
        return label.empty() ? path : label + " (" + path + ")";
    }
};

}  // namespace dossier::renderers

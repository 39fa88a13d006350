#include "TemplateField.h"

#include <array>

namespace dossier::renderers {

std::optional<FieldType> fieldTypeNamed(const std::string& name) {
    static constexpr std::array<std::pair<const char*, FieldType>, 17> kNames{{
        {"object", FieldType::Object},
        {"array", FieldType::Array},
        {"string", FieldType::String},
        {"text", FieldType::Text},
        {"number", FieldType::Number},
        {"integer", FieldType::Integer},
        {"credit_code", FieldType::CreditCode},
        {"choice", FieldType::Choice},
        {"choices", FieldType::Choices},
        {"date", FieldType::Date},
        {"mobile", FieldType::Mobile},
        {"telephone", FieldType::Telephone},
        {"email", FieldType::Email},
        {"postcode", FieldType::Postcode},
        {"url", FieldType::Url},
        {"yearly", FieldType::Yearly},
        {"map", FieldType::Map},
    }};
    for (const auto& [n, type] : kNames) {
        if (name == n) return type;
    }
    return std::nullopt;
}

}  // namespace dossier::renderers

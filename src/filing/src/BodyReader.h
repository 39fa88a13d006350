#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dossier/core/JsonNumbers.h"
#include "dossier/core/ValidationError.h"

namespace dossier::renderers {
struct ReferenceList;
}

namespace dossier::filing {

/// Parses a request body that must be a JSON object: request.number_out_of_range for a number
/// beyond 64-bit integers or doubles, request.malformed when it is not an object.
Poco::JSON::Object::Ptr parseBodyObject(const std::string& json);

/// The compact JSON text of an object or array (key order as built).
std::string jsonText(const Poco::JSON::Object& object);
std::string jsonText(const Poco::JSON::Array& array);
/// One JSON string literal, quotes included.
std::string jsonString(const std::string& value);

/// Reads the members of one JSON object of a request body, collecting every problem (wrong
/// type, unknown member) with its path instead of stopping at the first. Not thread-safe;
/// one per object read.
class BodyReader {
  public:
    /// `prefix` is the object's path with its trailing '.', "" for the body itself.
    /// `numbers`: the text of the body's numbers by path (inspectJsonBody), which lets
    /// integer() take 20.0 and 2e1 as whole; without it only integer literals are. It must
    /// outlive the reader.
    BodyReader(Poco::JSON::Object::Ptr object, std::string prefix,
               std::vector<FieldProblem>& problems, const JsonNumberTexts* numbers = nullptr);

    /// field.unknown for every member not in `allowed`; `readOnly` members get a message
    /// saying the server sets them.
    void refuseOthers(const std::vector<std::string>& allowed,
                      const std::vector<std::string>& readOnly = {});
    /// "" when absent or null; field.type for another type. `multiline`: CRLF is kept as LF.
    std::string text(const std::string& name, bool multiline = false);
    /// nullopt when absent or null; field.type / field.not_an_integer otherwise. With the
    /// numbers' texts, a whole number is judged on its text (20.0 and 2e1 are whole; 20.5 and
    /// 20.000000000000001, which a double reads as 20, are not), as templates/README.md
    /// has it; a whole number beyond 64 bits reads as INT64_MAX, out of every range.
    std::optional<std::int64_t> integer(const std::string& name);
    /// nullopt when absent or null; field.type for another type.
    std::optional<bool> boolean(const std::string& name);
    /// null when absent or null (or of another type: reported). With `nullIsAList`, an
    /// explicit null is reported too: a list with nothing in it is [].
    Poco::JSON::Array::Ptr array(const std::string& name, bool nullIsAList = false);
    Poco::JSON::Object::Ptr object(const std::string& name);
    /// A free note in a person's words (a reviewer's comment): line breaks and tabs are kept
    /// (CRLF read as LF), any other control character is field.control_character, bad UTF-8
    /// field.encoding, more than `maxChars` code points field.too_long. "" when absent, null
    /// or refused.
    std::string note(const std::string& name, std::size_t maxChars);
    /// A list of distinct codes of `list` (reasons of a decision): field.type for a non-list or
    /// a non-string item, field.not_in_list, field.duplicate, each with the item's path. The
    /// valid codes in their order; empty when absent or null.
    std::vector<std::string> codeList(const std::string& name,
                                      const renderers::ReferenceList& list);

    /// Present and not null.
    bool has(const std::string& name) const;
    /// Present, null included.
    bool given(const std::string& name) const { return object_->has(name); }
    std::string path(const std::string& name) const { return prefix_ + name; }

  private:
    Poco::JSON::Object::Ptr object_;
    std::string prefix_;
    std::vector<FieldProblem>& problems_;
    const JsonNumberTexts* numbers_;
};

}  // namespace dossier::filing

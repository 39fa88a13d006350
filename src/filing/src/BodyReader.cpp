#include "BodyReader.h"

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/JsonNumbers.h"
#include "dossier/core/Utf8.h"
#include "dossier/renderers/ReferenceList.h"

namespace dossier::filing {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr parseBodyObject(const std::string& json) {
    requireRepresentableNumbers(json);
    Object::Ptr body;
    try {
        body = Poco::JSON::Parser().parse(json).extract<Object::Ptr>();
    } catch (const Poco::Exception& e) {
        throw Error(codes::kRequestMalformed, "The body is not valid JSON.", e.displayText());
    } catch (const std::exception&) {
    }
    if (!body) throw Error(codes::kRequestMalformed, "The body must be a JSON object.");
    return body;
}

std::string jsonText(const Object& object) {
    std::ostringstream out;
    object.stringify(out);
    return out.str();
}

std::string jsonText(const Array& array) {
    std::ostringstream out;
    array.stringify(out);
    return out.str();
}

std::string jsonString(const std::string& value) {
    Array one;
    one.add(value);
    std::string s = jsonText(one);
    return s.substr(1, s.size() - 2);
}

BodyReader::BodyReader(Object::Ptr object, std::string prefix, std::vector<FieldProblem>& problems,
                       const JsonNumberTexts* numbers)
    : object_(std::move(object)),
      prefix_(std::move(prefix)),
      problems_(problems),
      numbers_(numbers) {}

void BodyReader::refuseOthers(const std::vector<std::string>& allowed,
                              const std::vector<std::string>& readOnly) {
    for (const auto& name : object_->getNames()) {
        if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
        bool fixed = std::find(readOnly.begin(), readOnly.end(), name) != readOnly.end();
        problems_.push_back({path(name), codes::kFieldUnknown,
                             fixed ? "'" + name + "' is read-only: the server sets it" +
                                         (name == "version" ? " (send it back as If-Match)." : ".")
                                   : "Unknown field '" + path(name) + "'."});
    }
}

bool BodyReader::has(const std::string& name) const { return !object_->get(name).isEmpty(); }

std::string BodyReader::text(const std::string& name, bool multiline) {
    Var v = object_->get(name);
    if (v.isEmpty()) return {};
    if (!v.isString()) {
        problems_.push_back({path(name), codes::kFieldType, path(name) + " must be a string."});
        return {};
    }
    std::string s = v.extract<std::string>();
    if (!multiline) return s;
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') continue;
        out += s[i];
    }
    return out;
}

std::optional<std::int64_t> BodyReader::integer(const std::string& name) {
    Var v = object_->get(name);
    if (v.isEmpty()) return std::nullopt;
    if (v.isBoolean() || !v.isNumeric()) {
        problems_.push_back(
            {path(name), codes::kFieldType, path(name) + " must be a whole number."});
        return std::nullopt;
    }
    bool whole = v.isInteger();
    if (!whole && numbers_ != nullptr) {
        auto literal = numbers_->find(path(name));
        whole = std::floor(v.convert<double>()) == v.convert<double>() &&
                (literal == numbers_->end() || decimalPlaces(literal->second) == 0);
    }
    if (!whole) {
        problems_.push_back(
            {path(name), codes::kFieldNotAnInteger, path(name) + " must be a whole number."});
        return std::nullopt;
    }
    if (!v.isInteger()) {
        double d = v.convert<double>();  // whole, finite (JSON has no infinity)
        if (std::fabs(d) >= 9.0e18) return std::numeric_limits<std::int64_t>::max();
        return static_cast<std::int64_t>(d);
    }
    if (v.type() == typeid(Poco::UInt64) &&
        v.extract<Poco::UInt64>() >
            static_cast<Poco::UInt64>(std::numeric_limits<std::int64_t>::max())) {
        return std::numeric_limits<std::int64_t>::max();  // out of every range
    }
    return v.convert<Poco::Int64>();
}

std::optional<bool> BodyReader::boolean(const std::string& name) {
    Var v = object_->get(name);
    if (v.isEmpty()) return std::nullopt;
    if (!v.isBoolean()) {
        problems_.push_back(
            {path(name), codes::kFieldType, path(name) + " must be true or false."});
        return std::nullopt;
    }
    return v.extract<bool>();
}

Array::Ptr BodyReader::array(const std::string& name, bool nullIsAList) {
    if (!object_->has(name)) return nullptr;
    Var v = object_->get(name);
    if (v.isEmpty() && !nullIsAList) return nullptr;
    if (v.type() != typeid(Array::Ptr)) {
        problems_.push_back(
            {path(name), codes::kFieldType,
             path(name) + " must be a list" + (v.isEmpty() ? " ([] for none), not null." : ".")});
        return nullptr;
    }
    return v.extract<Array::Ptr>();
}

Object::Ptr BodyReader::object(const std::string& name) {
    Var v = object_->get(name);
    if (v.isEmpty()) return nullptr;
    if (v.type() != typeid(Object::Ptr)) {
        problems_.push_back({path(name), codes::kFieldType, path(name) + " must be an object."});
        return nullptr;
    }
    return v.extract<Object::Ptr>();
}

std::string BodyReader::note(const std::string& name, std::size_t maxChars) {
    std::string s = text(name, true);
    if (s.empty()) return s;
    if (!utf8::isValid(s)) {
        problems_.push_back(
            {path(name), codes::kFieldEncoding, path(name) + " is not valid UTF-8."});
        return {};
    }
    auto cps = utf8::decode(s);
    if (cps.size() > maxChars) {
        problems_.push_back({path(name), codes::kFieldTooLong,
                             path(name) + " takes at most " + std::to_string(maxChars) +
                                 " characters; this has " + std::to_string(cps.size()) + "."});
        return {};
    }
    // A note is a person's words over several lines; other control characters are not text.
    if (std::any_of(cps.begin(), cps.end(), [](char32_t c) {
            return c != '\n' && c != '\t' && utf8::isRefusedInText(c);
        })) {
        problems_.push_back({path(name), codes::kFieldControlCharacter,
                             path(name) + " contains a control character."});
        return {};
    }
    return s;
}

std::vector<std::string> BodyReader::codeList(const std::string& name,
                                              const renderers::ReferenceList& list) {
    std::vector<std::string> out;
    auto items = array(name);
    if (!items) return out;
    for (std::size_t i = 0; i < items->size(); ++i) {
        std::string at = path(name) + "[" + std::to_string(i) + "]";
        auto item = items->get(static_cast<unsigned>(i));
        if (!item.isString()) {
            problems_.push_back({at, codes::kFieldType, at + " must be a reason code."});
            continue;
        }
        std::string code = item.extract<std::string>();
        if (!list.find(code)) {
            problems_.push_back(
                {at, codes::kFieldNotInList, at + " is not a code of the list " + list.id + "."});
        } else if (std::find(out.begin(), out.end(), code) != out.end()) {
            problems_.push_back({at, codes::kFieldDuplicate, at + " names a reason twice."});
        } else {
            out.push_back(code);
        }
    }
    return out;
}

}  // namespace dossier::filing

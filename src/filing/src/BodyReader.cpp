#include "BodyReader.h"

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <limits>
#include <sstream>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/JsonNumbers.h"

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

BodyReader::BodyReader(Object::Ptr object, std::string prefix, std::vector<FieldProblem>& problems)
    : object_(std::move(object)), prefix_(std::move(prefix)), problems_(problems) {}

void BodyReader::refuseOthers(const std::vector<std::string>& allowed,
                              const std::vector<std::string>& readOnly) {
    for (const auto& name : object_->getNames()) {
        if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
        bool fixed = std::find(readOnly.begin(), readOnly.end(), name) != readOnly.end();
        problems_.push_back({path(name), codes::kFieldUnknown,
                             fixed ? "'" + name + "' is read-only: the server sets it."
                                   : "Unknown field '" + path(name) + "'."});
    }
}

bool BodyReader::has(const std::string& name) const { return !object_->get(name).isEmpty(); }

std::string BodyReader::text(const std::string& name) {
    Var v = object_->get(name);
    if (v.isEmpty()) return {};
    if (!v.isString()) {
        problems_.push_back({path(name), codes::kFieldType, path(name) + " must be a string."});
        return {};
    }
    return v.extract<std::string>();
}

std::optional<std::int64_t> BodyReader::integer(const std::string& name) {
    Var v = object_->get(name);
    if (v.isEmpty()) return std::nullopt;
    if (v.isBoolean() || !v.isNumeric()) {
        problems_.push_back(
            {path(name), codes::kFieldType, path(name) + " must be a whole number."});
        return std::nullopt;
    }
    if (!v.isInteger()) {
        problems_.push_back(
            {path(name), codes::kFieldNotAnInteger, path(name) + " must be a whole number."});
        return std::nullopt;
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

Array::Ptr BodyReader::array(const std::string& name) {
    Var v = object_->get(name);
    if (v.isEmpty()) return nullptr;
    if (v.type() != typeid(Array::Ptr)) {
        problems_.push_back({path(name), codes::kFieldType, path(name) + " must be a list."});
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

}  // namespace dossier::filing

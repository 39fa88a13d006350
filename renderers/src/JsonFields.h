#pragma once

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <string>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"

namespace dossier::renderers {

/// The JSON object in `json`, or request.malformed naming `what` ("The label data ...").
inline Poco::JSON::Object::Ptr parseJsonObject(const std::string& json, const std::string& what) {
    Poco::JSON::Object::Ptr o;
    try {
        o = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
    } catch (const std::exception& e) {
        throw Error(codes::kRequestMalformed, "The " + what + " data is not a JSON object.",
                    e.what());
    }
    if (!o) throw Error(codes::kRequestMalformed, "The " + what + " data is not a JSON object.");
    return o;
}

/// A string member, or empty when it is missing, null or not text (validation then reports it).
inline std::string textField(const Poco::JSON::Object::Ptr& o, const std::string& key) {
    if (!o || !o->has(key) || o->isNull(key)) return {};
    try {
        return o->getValue<std::string>(key);
    } catch (...) {
        return {};
    }
}

}  // namespace dossier::renderers

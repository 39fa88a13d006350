// The served OpenAPI document: src/http/openapi.json with the lists of codes filled in from
// the registry (dossier/core/ErrorCodes.h), so the two can never disagree.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <functional>
#include <sstream>
#include <stdexcept>

#include "OpenApiSource.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/http/Server.h"

namespace dossier::http {
namespace {

/// Replaces schema `name`'s enum with the registered codes `belongs` selects and appends a
/// table of them (code, status, meaning) to its description.
void fillCodes(const Poco::JSON::Object::Ptr& schemas, const std::string& name, bool withStatus,
               const std::function<bool(ErrorCode)>& belongs) {
    auto schema = schemas->getObject(name);
    if (!schema) throw std::logic_error("openapi.json lacks components.schemas." + name);
    Poco::JSON::Array values;
    std::string table = schema->optValue<std::string>("description", "");
    table += withStatus ? "\n\n| code | HTTP status | meaning |\n|---|---|---|\n"
                        : "\n\n| code | meaning |\n|---|---|\n";
    for (ErrorCode code : ErrorCode::all()) {
        if (!belongs(code)) continue;
        values.add(std::string(code.text()));
        table += "| `" + std::string(code.text()) + "` | ";
        if (withStatus) table += std::to_string(code.httpStatus()) + " | ";
        table += std::string(code.meaning()) + " |\n";
    }
    schema->set("type", "string");
    schema->set("description", table);
    schema->set("enum", values);
}

std::string build() {
    Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));  // keep the key order
    auto doc = parser.parse(std::string(openApiSource())).extract<Poco::JSON::Object::Ptr>();
    auto schemas = doc->getObject("components")->getObject("schemas");
    fillCodes(schemas, "ProblemCode", true, [](ErrorCode c) {
        auto category = c.category();
        return category != ErrorCategory::Field && category != ErrorCategory::Check &&
               category != ErrorCategory::Cli;
    });
    fillCodes(schemas, "FieldProblemCode", false,
              [](ErrorCode c) { return c.category() == ErrorCategory::Field; });
    fillCodes(schemas, "CheckCode", false,
              [](ErrorCode c) { return c.category() == ErrorCategory::Check; });
    std::ostringstream out;
    doc->stringify(out, 2);
    out << "\n";
    return out.str();
}

}  // namespace

const std::string& openApiDocument() {
    static const std::string kDocument = build();
    return kDocument;
}

}  // namespace dossier::http

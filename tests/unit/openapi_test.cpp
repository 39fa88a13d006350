// The served OpenAPI document against the registry of codes: the code lists are the table,
// and every code a response names exists and is sent with that response's status.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <regex>
#include <vector>

#include "dossier/core/ErrorCodes.h"
#include "dossier/http/Server.h"

using namespace dossier;

namespace {

Poco::JSON::Object::Ptr servedDocument() {
    return Poco::JSON::Parser().parse(http::openApiDocument()).extract<Poco::JSON::Object::Ptr>();
}

std::vector<std::string> enumOf(const Poco::JSON::Object::Ptr& doc, const std::string& schema) {
    std::vector<std::string> out;
    auto s = doc->getObject("components")->getObject("schemas")->getObject(schema);
    if (!s || !s->getArray("enum")) return out;
    auto values = s->getArray("enum");
    for (std::size_t i = 0; i < values->size(); ++i) {
        out.push_back(values->getElement<std::string>(static_cast<unsigned>(i)));
    }
    return out;
}

std::vector<std::string> registered(bool (*belongs)(ErrorCategory)) {
    std::vector<std::string> out;
    for (ErrorCode code : ErrorCode::all()) {
        if (belongs(code.category())) out.emplace_back(code.text());
    }
    return out;
}

}  // namespace

TEST(OpenApi, CodeListsAreTheRegistry) {
    auto doc = servedDocument();
    auto problem = registered([](ErrorCategory c) {
        return c != ErrorCategory::Field && c != ErrorCategory::Check && c != ErrorCategory::Cli;
    });
    auto field = registered([](ErrorCategory c) { return c == ErrorCategory::Field; });
    auto check = registered([](ErrorCategory c) { return c == ErrorCategory::Check; });
    EXPECT_EQ(enumOf(doc, "ProblemCode"), problem);
    EXPECT_EQ(enumOf(doc, "FieldProblemCode"), field);
    EXPECT_EQ(enumOf(doc, "CheckCode"), check);
    // Together they are every code but the command line's, each once.
    EXPECT_EQ(problem.size() + field.size() + check.size(),
              registered([](ErrorCategory c) { return c != ErrorCategory::Cli; }).size());
    EXPECT_GT(problem.size(), 30u);
    // Each list's description carries the table, meanings included.
    auto schemas = doc->getObject("components")->getObject("schemas");
    std::string table = schemas->getObject("CheckCode")->getValue<std::string>("description");
    EXPECT_NE(table.find(std::string(codes::kLicenseNameUncertain.meaning())), std::string::npos);
    // And the schemas that carry codes point at the lists.
    EXPECT_EQ(schemas->getObject("Problem")
                  ->getObject("properties")
                  ->getObject("code")
                  ->getValue<std::string>("$ref"),
              "#/components/schemas/ProblemCode");
}

TEST(OpenApi, EveryCodeAResponseNamesIsRegisteredWithThatStatus) {
    auto doc = servedDocument();
    const std::regex token("\\b[a-z]+(_[a-z]+)*\\.[a-z]+(_[a-z]+)*\\b");
    int named = 0;
    for (const auto& [path, itemVar] : *doc->getObject("paths")) {
        auto item = itemVar.extract<Poco::JSON::Object::Ptr>();
        for (const auto& [method, opVar] : *item) {
            if (method == "parameters") continue;
            auto responses = opVar.extract<Poco::JSON::Object::Ptr>()->getObject("responses");
            for (const auto& [status, responseVar] : *responses) {
                auto response = responseVar.extract<Poco::JSON::Object::Ptr>();
                if (status[0] != '4' && status[0] != '5') continue;
                std::string text = response->optValue<std::string>("description", "");
                for (std::sregex_iterator it(text.begin(), text.end(), token), end; it != end;
                     ++it) {
                    std::string word = it->str();
                    if (word == "openapi.json") continue;
                    auto code = ErrorCode::parse(word);
                    ASSERT_TRUE(code.has_value())
                        << method << " " << path << " " << status << " names '" << word
                        << "', which is not a registered code";
                    ++named;
                    // Field codes travel inside a 422 validation.failed.
                    EXPECT_EQ(std::to_string(code->httpStatus()), status)
                        << method << " " << path << ": " << word;
                }
            }
        }
    }
    EXPECT_GT(named, 40);
}

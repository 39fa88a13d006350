#include <string>

#include "Routes.h"
#include "dossier/core/DocumentKind.h"
#include "dossier/core/JsonString.h"
#include "dossier/core/MediaType.h"
#include "dossier/filing/DocumentService.h"
#include "dossier/filing/FilingService.h"
#include "dossier/renderers/ReferenceList.h"

// What forms need to know before they send anything: the upload limits and accepted types of
// each document kind (as configured: limits.* may differ from the defaults), and the reference
// lists the API checks codes against. The console refuses a file before uploading it and
// offers codes as choices from these, so it never restates a server rule that could drift.
namespace dossier::http {
namespace {

void appendStringArray(std::string& out, const std::vector<std::string_view>& values) {
    out += '[';
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0) out += ',';
        appendJsonString(out, values[i]);
    }
    out += ']';
}

std::string uploadLimitsJson(const KindLimits& limits) {
    std::string out = "{\"kinds\":[";
    bool firstKind = true;
    for (DocumentKind kind : kAllDocumentKinds) {
        if (!firstKind) out += ',';
        firstKind = false;
        out += "{\"kind\":";
        appendJsonString(out, nameOf(kind));
        out += ",\"max_bytes\":" + std::to_string(limits.limitOf(kind));
        out += ",\"types\":[";
        bool firstType = true;
        for (MediaType type : allowedTypesOf(kind)) {
            if (!firstType) out += ',';
            firstType = false;
            out += "{\"media_type\":";
            appendJsonString(out, mimeOf(type));
            out += ",\"name\":";
            appendJsonString(out, displayNameOf(type));
            out += ",\"extensions\":";
            std::vector<std::string_view> extensions{extensionOf(type)};
            // The one type with a second common extension (typeFromExtension takes both).
            if (type == MediaType::Jpeg) extensions.emplace_back("jpeg");
            appendStringArray(out, extensions);
            out += '}';
        }
        out += "]}";
    }
    out += "]}";
    return out;
}

std::string listJson(const renderers::ReferenceList& list) {
    std::string out = "{\"id\":";
    appendJsonString(out, list.id);
    out += ",\"title\":";
    appendJsonString(out, list.title);
    out += ",\"items\":[";
    for (std::size_t i = 0; i < list.items.size(); ++i) {
        const auto& item = list.items[i];
        if (i > 0) out += ',';
        out += "{\"value\":";
        appendJsonString(out, item.value);
        out += ",\"label\":";
        appendJsonString(out, item.label);
        for (const auto& [key, value] : item.attributes) {
            out += ',';
            appendJsonString(out, key);
            out += ':';
            appendJsonString(out, value);
        }
        out += '}';
    }
    out += "]}";
    return out;
}

}  // namespace

void addReferenceRoutes(Router& router, ServerContext& context) {
    auto& documents = context.documents;
    router.add("GET", "/api/v1/upload-limits", [&documents](Exchange& ex) {
        // Configuration, the same for every account; a restart may change it.
        ex.response.set("Cache-Control", "private, no-cache");
        sendJson(ex, 200, uploadLimitsJson(documents.limits()));
    });
    auto& filings = context.filings;
    router.add("GET", "/api/v1/lists/{name}", [&filings](Exchange& ex) {
        auto list = filings.referenceList(ex.params.at("name"));
        ex.response.set("Cache-Control", "private, no-cache");
        sendJson(ex, 200, listJson(*list));
    });
}

}  // namespace dossier::http

#include "dossier/evidence/CheckResult.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include <ostream>
#include <sstream>

namespace dossier::evidence {
namespace {

Poco::Dynamic::Var toVar(const DetailValue& value) {
    if (value.isCount()) return Poco::Int64(value.count());
    if (value.isMeasure()) return value.measure();
    if (value.isFlag()) return value.flag();
    return value.text();
}

}  // namespace

std::string_view nameOf(CheckStatus status) {
    switch (status) {
        case CheckStatus::Pass:
            return "pass";
        case CheckStatus::Warn:
            return "warn";
        case CheckStatus::Fail:
            return "fail";
    }
    return "fail";
}

std::string DetailValue::toJson() const {
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(toVar(*this), out);
    return out.str();
}

std::ostream& operator<<(std::ostream& out, const DetailValue& value) {
    return value.isText() ? out << value.text() : out << value.toJson();
}

Region unturned(const Region& region, int rotation, int width, int height) {
    // A pixel (x, y) of the stored page is, on the page turned clockwise a quarter,
    // (height - 1 - y, x); each case below inverts its turn for a box.
    Region r = region;
    const Region& t = region;
    switch (((rotation % 360) + 360) % 360) {
        case 90:
            r.x = t.y;
            r.y = height - t.x - t.width;
            r.width = t.height;
            r.height = t.width;
            break;
        case 180:
            r.x = width - t.x - t.width;
            r.y = height - t.y - t.height;
            break;
        case 270:
            r.x = width - t.y - t.height;
            r.y = t.x;
            r.width = t.height;
            r.height = t.width;
            break;
        default:
            break;
    }
    r.pageWidth = width;
    r.pageHeight = height;
    return r;
}

std::string CheckResult::toJson() const {
    Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("check", check);
    o.set("status", std::string(nameOf(status)));
    o.set("code", std::string(code.text()));
    o.set("message", message);
    Poco::JSON::Object d(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& [k, v] : details) d.set(k, toVar(v));
    o.set("details", d);
    Poco::JSON::Array regionArray;
    for (const auto& r : regions) {
        Poco::JSON::Object ro(Poco::JSON_PRESERVE_KEY_ORDER);
        ro.set("page", r.page);
        ro.set("x", r.x);
        ro.set("y", r.y);
        ro.set("width", r.width);
        ro.set("height", r.height);
        ro.set("label", r.label);
        if (r.pageWidth > 0 && r.pageHeight > 0) {
            ro.set("page_width", r.pageWidth);
            ro.set("page_height", r.pageHeight);
        }
        regionArray.add(ro);
    }
    o.set("regions", regionArray);
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

}  // namespace dossier::evidence

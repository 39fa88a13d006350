#include "dossier/filing/ApplicationOutputs.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <regex>
#include <sstream>

#include "dossier/core/Clock.h"
#include "dossier/renderers/ReferenceList.h"

namespace dossier::filing {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

Object::Ptr ordered() { return new Object(Poco::JSON_PRESERVE_KEY_ORDER); }

std::string stringify(Object::Ptr o) {
    std::ostringstream out;
    o->stringify(out);
    return out.str();
}

/// Sets `key` only to a value that says something: blank text is left out, so the template
/// prints its blank line.
void setText(Object::Ptr o, const std::string& key, const std::string& value) {
    if (value.find_first_not_of(" \t") != std::string::npos) o->set(key, value);
}

/// The approved filing's data, or an empty object (no filing, or not an object).
Object::Ptr filingOf(const OrganizationFacts& org) {
    if (org.approvedFilingJson.empty()) return new Object;
    try {
        Poco::JSON::Parser parser;
        if (auto o = parser.parse(org.approvedFilingJson).extract<Object::Ptr>()) return o;
    } catch (const Poco::Exception&) {
    } catch (const std::exception&) {
    }
    return new Object;
}

/// A string member, "" when missing, null or not text.
std::string text(Object::Ptr o, const std::string& key) {
    if (!o || !o->has(key)) return {};
    Var v = o->get(key);
    return v.isString() ? v.convert<std::string>() : std::string();
}

/// The filed value when there is one, else the registered one.
std::string filedOr(Object::Ptr filing, const std::string& key, const std::string& registered) {
    std::string filed = text(filing, key);
    return filed.empty() ? registered : filed;
}

bool isMobile(const std::string& phone) {
    static const std::regex mobile(R"(^1[3-9]\d{9}$)");
    return std::regex_match(phone, mobile);
}

const renderers::ReferenceList& list(const std::string& listDir, const std::string& name) {
    static std::mutex mutex;
    static std::map<std::string, std::unique_ptr<renderers::ReferenceList>> loaded;
    std::lock_guard lock(mutex);
    auto& slot = loaded[listDir + "/" + name];
    if (!slot) slot = renderers::ReferenceList::load(listDir, name);
    return *slot;
}

/// The mailing address: the filed street address after its province and city, unless it
/// already starts with the province (or, for a municipality, is in it: 市辖区 and the like
/// are no names to print).
std::string fullAddress(Object::Ptr filing, const std::string& listDir) {
    std::string address = text(filing, "address");
    if (address.empty()) return {};
    std::string prefix;
    if (const auto* province = list(listDir, "provinces").find(text(filing, "province"))) {
        if (address.rfind(province->label, 0) == 0) return address;
        prefix = province->label;
        if (const auto* city = list(listDir, "cities").find(text(filing, "city"))) {
            const std::string& name = city->label;
            bool placeholder = name == "市辖区" || name == "县" ||
                               name.find("直辖县级行政区划") != std::string::npos;
            if (!placeholder && address.rfind(name, 0) != 0) prefix += name;
        }
    }
    return prefix + address;
}

}  // namespace

std::string beijingSecond(std::int64_t micros) {
    std::string t = formatTimestamp(micros + 8LL * 3600 * 1000000);  // 2025-04-15T10:23:45.000Z
    return t.substr(0, 10) + " " + t.substr(11, 8);
}

std::string submittedBookFooter(const std::string& applicationNumber,
                                std::int64_t submittedAtMicros) {
    return "申报编号 " + applicationNumber + "\u3000提交时间 " + beijingSecond(submittedAtMicros) +
           " 北京时间";
}

std::string receiptData(const SubmissionReceipt& r) {
    Object::Ptr data = ordered();
    data->set("application_number", r.applicationNumber);
    Object::Ptr organization = ordered();
    organization->set("name", r.organizationName);
    organization->set("credit_code", r.creditCode);
    data->set("organization", organization);
    data->set("activity", r.activityTitle);
    setText(data, "project", r.projectName);
    data->set("submitted_at", beijingSecond(r.submittedAtMicros));
    Array::Ptr files = new Array;
    std::uint64_t total = 0;
    for (const auto& f : r.files) {
        Object::Ptr file = ordered();
        file->set("role", f.role);
        file->set("name", f.name);
        file->set("size", static_cast<Poco::UInt64>(f.sizeBytes));
        file->set("sha256", f.sha256);
        files->add(file);
        total += f.sizeBytes;
    }
    data->set("files", files);
    Object::Ptr totals = ordered();
    totals->set("count", static_cast<Poco::UInt64>(r.files.size()));
    totals->set("size", static_cast<Poco::UInt64>(total));
    data->set("total", totals);
    return stringify(data);
}

std::string formProfileData(const OrganizationFacts& org, const FormContext& context) {
    Object::Ptr filing = filingOf(org);
    const std::string name = filedOr(filing, "name", org.name);
    const std::string creditCode = filedOr(filing, "credit_code", org.creditCode);
    Object::Ptr data = ordered();
    Object::Ptr organization = ordered();
    setText(organization, "name", name);
    setText(organization, "credit_code", creditCode);
    data->set("organization", organization);
    setText(data, "activity", context.activityTitle);
    Object::Ptr project = ordered();
    setText(project, "name", context.projectName);
    data->set("project", project);
    // The organization is the first completing unit; the others are written in by hand.
    Array::Ptr units = new Array;
    units->add(organization);
    for (int i = 1; i < std::clamp(context.completingUnits, 1, 3); ++i) units->add(ordered());
    data->set("units", units);
    Object::Ptr admin = ordered();
    setText(admin, "name", org.adminName);
    setText(admin, "mobile", org.adminPhone);
    data->set("admin", admin);
    setText(data, "recommending_unit", context.recommendingUnit);
    return stringify(data);
}

std::string bookPrefillData(const OrganizationFacts& org, const std::string& projectName,
                            const std::string& listDir) {
    Object::Ptr filing = filingOf(org);
    Object::Ptr data = ordered();
    Object::Ptr enterprise = ordered();
    setText(enterprise, "name", filedOr(filing, "name", org.name));
    setText(enterprise, "credit_code", filedOr(filing, "credit_code", org.creditCode));
    // The book's lists are the filing's: enterprise-types, industries-gbt4754-2017 (the
    // division's two digits), organization-sizes.
    setText(enterprise, "type", text(filing, "economic_type"));
    setText(enterprise, "industry", text(filing, "industry"));
    setText(enterprise, "size", text(filing, "organization_size"));
    data->set("enterprise", enterprise);
    setText(data, "experience_name", projectName);

    // The years the filing reports; the template keeps those it asks for.
    Object::Ptr revenue = ordered(), profit = ordered();
    Object::Ptr indicators = ordered();
    std::map<std::string, Object::Ptr> byIndicator;
    for (const char* key : {"total_assets", "revenue", "profit"}) {
        Object::Ptr years = ordered();
        byIndicator[key] = years;
    }
    if (filing->has("economics")) {
        if (auto rows = filing->getArray("economics")) {
            for (std::size_t i = 0; i < rows->size(); ++i) {
                auto row = rows->getObject(static_cast<unsigned>(i));
                if (!row || !row->has("year") || !row->get("year").isInteger()) continue;
                std::string year = std::to_string(row->get("year").convert<int>());
                for (auto& [key, years] : byIndicator) {
                    Var amount = row->has(key) ? row->get(key) : Var();
                    if (amount.isEmpty() || !amount.isNumeric()) continue;
                    years->set(year, amount);
                    if (std::string(key) == "revenue") revenue->set(year, amount);
                    if (std::string(key) == "profit") profit->set(year, amount);
                }
            }
        }
    }
    if (revenue->size()) data->set("revenue", revenue);
    if (profit->size()) data->set("profit", profit);
    for (const char* key : {"total_assets", "revenue", "profit"}) {
        if (byIndicator[key]->size() == 0) continue;
        Object::Ptr indicator = ordered();
        indicator->set("years", byIndicator[key]);
        indicators->set(key, indicator);
    }
    if (indicators->size()) {
        Object::Ptr economic = ordered();
        economic->set("indicators", indicators);
        data->set("economic", economic);
    }

    // The contact: the quality manager the filing names, reached at the filed address.
    Object::Ptr contact = ordered();
    Object::Ptr manager =
        filing->has("quality_manager") ? filing->getObject("quality_manager") : Object::Ptr();
    setText(contact, "name", text(manager, "name"));
    std::string phone = text(manager, "phone");
    setText(contact, isMobile(phone) ? "mobile" : "telephone", phone);
    setText(contact, "address", fullAddress(filing, listDir));
    if (contact->size()) data->set("contact", contact);
    return stringify(data);
}

std::string experienceData(const std::string& bookDataJson) {
    Object::Ptr book;
    try {
        Poco::JSON::Parser parser;
        book = parser.parse(bookDataJson).extract<Object::Ptr>();
    } catch (const Poco::Exception&) {
    } catch (const std::exception&) {
    }
    Object::Ptr data = ordered();
    if (!book) return stringify(data);
    setText(data, "experience_name", text(book, "experience_name"));
    Object::Ptr enterprise = book->has("enterprise") ? book->getObject("enterprise") : nullptr;
    setText(data, "enterprise_name", text(enterprise, "name"));
    Object::Ptr experience = book->has("experience") ? book->getObject("experience") : nullptr;
    for (const char* part : {"overview", "background", "process", "results"}) {
        setText(data, part, text(experience, part));
    }
    return stringify(data);
}

}  // namespace dossier::filing

#include "FilingRules.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <regex>
#include <set>

#include "dossier/core/Account.h"
#include "dossier/core/Utf8.h"

namespace dossier::filing {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

bool isObject(const Var& v) { return !v.isEmpty() && v.type() == typeid(Object::Ptr); }
bool isArray(const Var& v) { return !v.isEmpty() && v.type() == typeid(Array::Ptr); }

bool isBlankChar(char32_t c) { return c == ' ' || c == '\t' || c == 0x3000 || c == 0xA0; }

/// Checks and trims one text value; "" when blank or refused.
std::string readText(const Var& v, const std::string& path, std::size_t maxChars,
                     std::vector<FieldProblem>& out) {
    if (v.isEmpty()) return {};
    if (!v.isString()) {
        out.push_back({path, codes::kFieldType, path + " must be a string (text)."});
        return {};
    }
    std::string s = v.extract<std::string>();
    if (!utf8::isValid(s)) {
        out.push_back({path, codes::kFieldEncoding, path + " is not valid UTF-8."});
        return {};
    }
    auto cps = utf8::decode(s);
    std::size_t begin = 0, end = cps.size();
    while (begin < end && isBlankChar(cps[begin])) ++begin;
    while (end > begin && isBlankChar(cps[end - 1])) --end;
    std::u32string kept = cps.substr(begin, end - begin);
    for (char32_t c : kept) {
        if (utf8::isRefusedInText(c)) {
            out.push_back({path, codes::kFieldControlCharacter,
                           path + " contains a control character or line break."});
            return {};
        }
    }
    if (kept.size() > maxChars) {
        out.push_back({path, codes::kFieldTooLong,
                       path + " takes at most " + std::to_string(maxChars) +
                           " characters; this has " + std::to_string(kept.size()) + "."});
        return {};
    }
    return utf8::encode(kept);
}

/// A code from `list` (its value); "" when blank or refused.
std::string readCode(const Var& v, const std::string& path, const renderers::ReferenceList& list,
                     std::vector<FieldProblem>& out) {
    std::string s = readText(v, path, 64, out);
    if (s.empty()) return {};
    if (!list.find(s)) {
        out.push_back(
            {path, codes::kFieldNotInList,
             path + " must be a value of the list " + list.id + " (" + list.title + ")."});
        return {};
    }
    return s;
}

bool isPhone(const std::string& s) {
    // A mainland mobile number; a fixed line with or without its area code (0 + 2–3 digits)
    // and an extension; a 400/800 service number.
    static const std::regex mobile(R"(^1[3-9]\d{9}$)");
    static const std::regex fixed(R"(^(\(0\d{2,3}\)|0\d{2,3}-?)?[1-9]\d{6,7}(-\d{1,6})?$)");
    static const std::regex service(R"(^[48]00-?\d{3}-?\d{4}$)");
    return std::regex_match(s, mobile) || std::regex_match(s, fixed) ||
           std::regex_match(s, service);
}

/// The text the body gave the number at `path`; "" when unknown.
std::string_view literalAt(const JsonNumberTexts& numbers, const std::string& path) {
    auto it = numbers.find(path);
    return it == numbers.end() ? std::string_view{} : std::string_view(it->second);
}

/// A whole number from a JSON number (4.0 and 1e2 are whole: templates/README.md); nullopt
/// with a problem otherwise. Judged on the number's text where the body gave it, so
/// 4.0000000000000001 (a double reads 4) is not whole.
std::optional<std::int64_t> readInteger(const Var& v, const std::string& path, std::int64_t min,
                                        std::int64_t max, const JsonNumberTexts& numbers,
                                        std::vector<FieldProblem>& out) {
    if (v.isEmpty()) return std::nullopt;
    if (!v.isNumeric() || v.isString() || v.isBoolean()) {
        out.push_back({path, codes::kFieldType, path + " must be a number."});
        return std::nullopt;
    }
    double d = v.convert<double>();
    std::string_view literal = literalAt(numbers, path);
    if (!std::isfinite(d) || (!v.isInteger() && d != std::floor(d)) ||
        (!literal.empty() && decimalPlaces(literal) != 0)) {
        out.push_back({path, codes::kFieldNotAnInteger, path + " must be a whole number."});
        return std::nullopt;
    }
    if (d < static_cast<double>(min) || d > static_cast<double>(max)) {
        out.push_back({path, codes::kFieldRange,
                       path + " must be between " + std::to_string(min) + " and " +
                           std::to_string(max) + "."});
        return std::nullopt;
    }
    return v.isInteger() ? v.convert<std::int64_t>() : static_cast<std::int64_t>(d);
}

/// An amount in 万元 with at most two decimals, as exact hundredths. The number is read
/// through the shortest decimal that gives back the same double (std::to_chars), which for
/// the literals a client sends (≤ 15 significant digits) is the literal itself: 0.3 is 30
/// hundredths, 0.125 has three decimals.
std::optional<std::int64_t> readAmount(const Var& v, const std::string& path, bool mayBeNegative,
                                       const JsonNumberTexts& numbers,
                                       std::vector<FieldProblem>& out) {
    if (v.isEmpty()) return std::nullopt;
    if (!v.isNumeric() || v.isString() || v.isBoolean()) {
        out.push_back({path, codes::kFieldType, path + " must be a number (万元)."});
        return std::nullopt;
    }
    const double max = static_cast<double>(kMaxHundredths / 100);
    const double min = mayBeNegative ? -max : 0.0;
    const std::string range =
        mayBeNegative ? "between -10000000000 and 10000000000" : "between 0 and 10000000000";
    if (v.isInteger()) {
        // Integers are compared as integers: beyond 2^53 a double would round them.
        const auto limit = static_cast<std::int64_t>(max);
        if (v.isSigned()) {
            auto i = v.convert<std::int64_t>();
            if (i > limit || i < static_cast<std::int64_t>(min)) {
                out.push_back({path, codes::kFieldRange, path + " must be " + range + " (万元)."});
                return std::nullopt;
            }
            return i * 100;
        }
        auto u = v.convert<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(limit)) {
            out.push_back({path, codes::kFieldRange, path + " must be " + range + " (万元)."});
            return std::nullopt;
        }
        return static_cast<std::int64_t>(u) * 100;
    }
    double d = v.convert<double>();
    if (!std::isfinite(d) || d < min || d > max) {
        out.push_back({path, codes::kFieldRange, path + " must be " + range + " (万元)."});
        return std::nullopt;
    }
    // The text, not the double: 0.10000000000000001 reads as 0.1 and 1e-400 as 0, yet they
    // have 17 and 400 decimal places.
    if (std::string_view literal = literalAt(numbers, path); !literal.empty()) {
        if (std::int64_t places = decimalPlaces(literal); places > 2) {
            out.push_back(
                {path, codes::kFieldDecimals,
                 path + " has " +
                     (places > 99 ? std::string("more than 99") : std::to_string(places)) +
                     " decimal places; amounts are 万元 with at most two."});
            return std::nullopt;
        }
    }
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
    if (ec != std::errc()) {
        out.push_back({path, codes::kFieldType, path + " must be a number (万元)."});
        return std::nullopt;
    }
    std::string text(buf, end);
    auto dot = text.find('.');
    std::string whole = text.substr(0, dot);
    std::string fraction = dot == std::string::npos ? "" : text.substr(dot + 1);
    if (fraction.size() > 2) {
        out.push_back({path, codes::kFieldDecimals,
                       path + " has " + std::to_string(fraction.size()) +
                           " decimal places; amounts are 万元 with at most two."});
        return std::nullopt;
    }
    while (fraction.size() < 2) fraction += '0';
    bool negative = !whole.empty() && whole[0] == '-';
    if (negative) whole.erase(0, 1);
    std::int64_t hundredths = std::stoll(whole) * 100 + std::stoll(fraction);
    return negative ? -hundredths : hundredths;
}

std::string readDocument(const Var& v, const std::string& path, const std::string& organizationId,
                         const std::set<DocumentKind>& kinds, const std::string& kindsText,
                         const DocumentLookup& documents, std::vector<FieldProblem>& out) {
    std::string id = readText(v, path, 64, out);
    if (id.empty()) return {};
    auto doc = documents(id);
    if (!doc || doc->organizationId != organizationId) {
        out.push_back({path, codes::kFieldDocumentNotFound,
                       path + " names no document of this organization."});
        return {};
    }
    if (!kinds.count(doc->kind)) {
        out.push_back({path, codes::kFieldDocumentKind,
                       path + " must name " + kindsText + "; this document is a " +
                           std::string(nameOf(doc->kind)) + " upload."});
        return {};
    }
    return id;
}

void unknownFields(const Object::Ptr& o, const std::string& prefix,
                   const std::set<std::string>& known, std::vector<FieldProblem>& out) {
    for (const auto& [name, value] : *o) {
        if (!known.count(name)) {
            out.push_back(
                {prefix + name, codes::kFieldUnknown, "Unknown field '" + prefix + name + "'."});
        }
    }
}

const std::set<std::string> kTopFields{
    "name",     "credit_code", "economic_type",   "province",          "city",
    "address",  "industry",    "quality_manager", "organization_size", "license_document_id",
    "economics"};
const std::set<std::string> kRowFields{
    "year",   "total_assets", "revenue",   "other_revenue",
    "profit", "tax",          "employees", "evidence_document_id"};

Var member(const Object::Ptr& o, const std::string& name) {
    return o->has(name) ? o->get(name) : Var();
}

}  // namespace

FilingLists::FilingLists(const std::string& listDir)
    : economicTypes(renderers::ReferenceList::load(listDir, "enterprise-types")),
      provinces(renderers::ReferenceList::load(listDir, "provinces")),
      cities(renderers::ReferenceList::load(listDir, "cities")),
      industries(renderers::ReferenceList::load(listDir, "industries-gbt4754-2017")),
      organizationSizes(renderers::ReferenceList::load(listDir, "organization-sizes")),
      rejectionReasons(renderers::ReferenceList::load(listDir, "filing-rejection-reasons")) {
    // The industry list holds sections (门类, a letter) and divisions (大类, two digits);
    // a filing names a division, as seed 000's "06 煤炭开采和洗选业".
    std::erase_if(industries->items, [](const renderers::ReferenceList::Item& item) {
        return item.value.size() != 2 || !std::isdigit(static_cast<unsigned char>(item.value[0]));
    });
}

FilingData parseFilingData(const Object::Ptr& body, const JsonNumberTexts& numbers,
                           const FilingLists& lists, const std::string& organizationId,
                           const std::string& registeredCode, const DocumentLookup& documents,
                           std::vector<FieldProblem>& out) {
    FilingData d;
    d.creditCode = registeredCode;
    unknownFields(body, "", kTopFields, out);
    d.name = readText(member(body, "name"), "name", kMaxNameChars, out);
    std::string code = readText(member(body, "credit_code"), "credit_code", 64, out);
    if (!code.empty() && code != registeredCode) {
        out.push_back({"credit_code", codes::kFieldReadOnly,
                       "credit_code is the 统一社会信用代码 registered with the organization (" +
                           registeredCode + ") and cannot be changed in the filing."});
    }
    d.economicType =
        readCode(member(body, "economic_type"), "economic_type", *lists.economicTypes, out);
    d.province = readCode(member(body, "province"), "province", *lists.provinces, out);
    d.city = readCode(member(body, "city"), "city", *lists.cities, out);
    if (!d.city.empty() && !d.province.empty()) {
        const auto* city = lists.cities->find(d.city);
        auto it = city->attributes.find("province");
        if (it == city->attributes.end() || it->second != d.province) {
            out.push_back({"city", codes::kFieldNotInProvince,
                           "city " + d.city + " (" + city->label + ") does not lie in province " +
                               d.province + "."});
            d.city.clear();
        }
    }
    d.address = readText(member(body, "address"), "address", kMaxAddressChars, out);
    d.industry = readCode(member(body, "industry"), "industry", *lists.industries, out);
    Var manager = member(body, "quality_manager");
    if (isObject(manager)) {
        auto m = manager.extract<Object::Ptr>();
        unknownFields(m, "quality_manager.", {"name", "phone"}, out);
        d.qualityManagerName =
            readText(member(m, "name"), "quality_manager.name", kMaxPersonChars, out);
        d.qualityManagerPhone =
            readText(member(m, "phone"), "quality_manager.phone", kMaxPhoneChars, out);
        if (!d.qualityManagerPhone.empty() && !isPhone(d.qualityManagerPhone)) {
            out.push_back({"quality_manager.phone", codes::kFieldTelephone,
                           "quality_manager.phone must be a telephone number (010-12345678, "
                           "0755-1234567-8001) or an 11-digit mobile number."});
            d.qualityManagerPhone.clear();
        }
    } else if (!manager.isEmpty()) {
        out.push_back(
            {"quality_manager", codes::kFieldType, "quality_manager is an object {name, phone}."});
    }
    d.organizationSize = readCode(member(body, "organization_size"), "organization_size",
                                  *lists.organizationSizes, out);
    d.licenseDocumentId =
        readDocument(member(body, "license_document_id"), "license_document_id", organizationId,
                     {DocumentKind::License}, "a license upload (kind license)", documents, out);
    Var economics = member(body, "economics");
    if (isArray(economics)) {
        auto rows = economics.extract<Array::Ptr>();
        if (rows->size() > kMaxEconomicsRows) {
            out.push_back({"economics", codes::kFieldTooMany,
                           "economics holds at most " + std::to_string(kMaxEconomicsRows) +
                               " years; this has " + std::to_string(rows->size()) + "."});
        }
        std::size_t n = std::min(rows->size(), kMaxEconomicsRows);
        for (std::size_t i = 0; i < n; ++i) {
            std::string at = "economics[" + std::to_string(i) + "]";
            Var item = rows->get(static_cast<unsigned>(i));
            if (!isObject(item)) {
                out.push_back({at, codes::kFieldType,
                               at + " is an object {year, total_assets, revenue, other_revenue, "
                                    "profit, tax, employees, evidence_document_id}."});
                continue;
            }
            auto o = item.extract<Object::Ptr>();
            unknownFields(o, at + ".", kRowFields, out);
            EconomicsRow row;
            if (auto y = readInteger(member(o, "year"), at + ".year", 1949, 2100, numbers, out))
                row.year = static_cast<int>(*y);
            row.totalAssets =
                readAmount(member(o, "total_assets"), at + ".total_assets", false, numbers, out);
            row.revenue = readAmount(member(o, "revenue"), at + ".revenue", false, numbers, out);
            row.otherRevenue =
                readAmount(member(o, "other_revenue"), at + ".other_revenue", false, numbers, out);
            // A loss is a negative profit (利润总额); the other figures cannot be below zero.
            row.profit = readAmount(member(o, "profit"), at + ".profit", true, numbers, out);
            row.tax = readAmount(member(o, "tax"), at + ".tax", false, numbers, out);
            row.employees = readInteger(member(o, "employees"), at + ".employees", 0, kMaxEmployees,
                                        numbers, out);
            row.evidenceDocumentId = readDocument(
                member(o, "evidence_document_id"), at + ".evidence_document_id", organizationId,
                {DocumentKind::Evidence, DocumentKind::Proof},
                "an evidence or proof upload (审计报告, 财务报表, 纳税证明)", documents, out);
            d.economics.push_back(std::move(row));
        }
    } else if (!economics.isEmpty()) {
        out.push_back({"economics", codes::kFieldType,
                       "economics is a list of years {year, total_assets, revenue, "
                       "other_revenue, profit, tax, employees, evidence_document_id}."});
    }
    return d;
}

void checkComplete(const FilingData& d, const FilingLists& lists, const std::vector<int>& years,
                   std::vector<FieldProblem>& out) {
    auto required = [&](const std::string& value, const std::string& path,
                        const std::string& what) {
        if (value.empty()) out.push_back({path, codes::kFieldRequired, what + " is required."});
    };
    required(d.name, "name", "The organization's name (as on its seal)");
    required(d.economicType, "economic_type", "经济类型");
    required(d.province, "province", "The province");
    if (!d.province.empty()) {
        // 71, 81 and 82 have no prefecture-level divisions in GB/T 2260's list.
        bool hasCities = std::any_of(
            lists.cities->items.begin(), lists.cities->items.end(), [&](const auto& item) {
                auto it = item.attributes.find("province");
                return it != item.attributes.end() && it->second == d.province;
            });
        if (hasCities) required(d.city, "city", "The city");
    }
    required(d.address, "address", "The address");
    required(d.industry, "industry", "The industry (GB/T 4754 division)");
    required(d.qualityManagerName, "quality_manager.name", "质量管理部门负责人");
    required(d.qualityManagerPhone, "quality_manager.phone", "质量管理部门电话");
    required(d.organizationSize, "organization_size", "组织规模");
    required(d.licenseDocumentId, "license_document_id", "营业执照副本 (a license upload)");

    std::string wanted = std::to_string(years.front()) + "–" + std::to_string(years.back());
    if (d.economics.size() < years.size()) {
        out.push_back({"economics", codes::kFieldTooFew,
                       "economics needs the " + std::to_string(years.size()) + " years " + wanted +
                           " (近三年); this has " + std::to_string(d.economics.size()) + "."});
    } else if (d.economics.size() > years.size()) {
        out.push_back({"economics", codes::kFieldTooMany,
                       "economics holds exactly the " + std::to_string(years.size()) + " years " +
                           wanted + " (近三年); this has " + std::to_string(d.economics.size()) +
                           "."});
    }
    std::set<int> seen;
    for (std::size_t i = 0; i < d.economics.size(); ++i) {
        const auto& row = d.economics[i];
        std::string at = "economics[" + std::to_string(i) + "]";
        if (!row.year) {
            out.push_back({at + ".year", codes::kFieldRequired, at + ".year is required."});
        } else if (std::find(years.begin(), years.end(), *row.year) == years.end()) {
            out.push_back({at + ".year", codes::kFieldYear,
                           at + ".year is " + std::to_string(*row.year) +
                               "; the filing reports the years " + wanted + "."});
        } else if (!seen.insert(*row.year).second) {
            out.push_back({at + ".year", codes::kFieldDuplicate,
                           "The year " + std::to_string(*row.year) + " is given twice."});
        }
        auto amount = [&](const std::optional<std::int64_t>& v, const std::string& name,
                          const std::string& what) {
            if (!v) out.push_back({at + "." + name, codes::kFieldRequired, what + " is required."});
        };
        amount(row.totalAssets, "total_assets", "总资产");
        amount(row.revenue, "revenue", "营业收入");
        amount(row.otherRevenue, "other_revenue", "其他业务收入");
        amount(row.profit, "profit", "利润总额");
        amount(row.tax, "tax", "缴税总额");
        amount(row.employees, "employees", "从业人员");
        if (row.evidenceDocumentId.empty()) {
            out.push_back({at + ".evidence_document_id", codes::kFieldRequired,
                           "Each year needs its evidence document (经济效益证实性材料)."});
        }
    }
    for (int y : years) {
        if (!seen.count(y)) {
            out.push_back({"economics", codes::kFieldYearMissing,
                           "economics lacks the year " + std::to_string(y) + "."});
        }
    }
}

std::vector<std::string> documentIdsIn(const std::string& dataJson) {
    std::vector<std::string> ids;
    auto add = [&](const Var& v) {
        if (v.isString()) {
            auto id = v.extract<std::string>();
            if (!id.empty() && std::find(ids.begin(), ids.end(), id) == ids.end())
                ids.push_back(id);
        }
    };
    try {
        auto o = Poco::JSON::Parser().parse(dataJson).extract<Object::Ptr>();
        add(member(o, "license_document_id"));
        if (auto rows = o->getArray("economics")) {
            for (std::size_t i = 0; i < rows->size(); ++i) {
                if (auto row = rows->getObject(static_cast<unsigned>(i))) {
                    add(member(row, "evidence_document_id"));
                }
            }
        }
    } catch (const std::exception&) {
        ids.clear();
    }
    return ids;
}

std::string formatHundredths(std::int64_t hundredths) {
    bool negative = hundredths < 0;
    std::uint64_t v = negative ? 0 - static_cast<std::uint64_t>(hundredths)
                               : static_cast<std::uint64_t>(hundredths);
    std::string out = (negative ? "-" : "") + std::to_string(v / 100);
    unsigned cents = static_cast<unsigned>(v % 100);
    if (cents != 0) {
        out += '.';
        out += static_cast<char>('0' + cents / 10);
        if (cents % 10 != 0) out += static_cast<char>('0' + cents % 10);
    }
    return out;
}

std::string jsonQuote(const std::string& text) {
    std::string out = "\"";
    for (char ch : text) {
        auto c = static_cast<unsigned char>(ch);
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            default:
                if (c < 0x20 || c == 0x7F) {
                    static const char* hex = "0123456789abcdef";
                    out += "\\u00";
                    out += hex[c >> 4];
                    out += hex[c & 15];
                } else {
                    out += ch;
                }
        }
    }
    return out + "\"";
}

std::string filingDataJson(const FilingData& d) {
    auto text = [](const std::string& s) { return s.empty() ? std::string("null") : jsonQuote(s); };
    auto amount = [](const std::optional<std::int64_t>& v) {
        return v ? formatHundredths(*v) : std::string("null");
    };
    std::string out = "{";
    out += "\"name\":" + text(d.name);
    out += ",\"credit_code\":" + text(d.creditCode);
    out += ",\"economic_type\":" + text(d.economicType);
    out += ",\"province\":" + text(d.province);
    out += ",\"city\":" + text(d.city);
    out += ",\"address\":" + text(d.address);
    out += ",\"industry\":" + text(d.industry);
    out += ",\"quality_manager\":{\"name\":" + text(d.qualityManagerName) +
           ",\"phone\":" + text(d.qualityManagerPhone) + "}";
    out += ",\"organization_size\":" + text(d.organizationSize);
    out += ",\"license_document_id\":" + text(d.licenseDocumentId);
    out += ",\"economics\":[";
    for (std::size_t i = 0; i < d.economics.size(); ++i) {
        const auto& r = d.economics[i];
        if (i) out += ",";
        out += "{\"year\":" + (r.year ? std::to_string(*r.year) : std::string("null"));
        out += ",\"total_assets\":" + amount(r.totalAssets);
        out += ",\"revenue\":" + amount(r.revenue);
        out += ",\"other_revenue\":" + amount(r.otherRevenue);
        out += ",\"profit\":" + amount(r.profit);
        out += ",\"tax\":" + amount(r.tax);
        out += ",\"employees\":" + (r.employees ? std::to_string(*r.employees) : "null");
        out += ",\"evidence_document_id\":" + text(r.evidenceDocumentId) + "}";
    }
    return out + "]}";
}

std::vector<std::string> documentIdsOf(const FilingData& d) {
    std::vector<std::string> ids;
    auto add = [&](const std::string& id) {
        if (!id.empty() && std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    };
    add(d.licenseDocumentId);
    for (const auto& row : d.economics) add(row.evidenceDocumentId);
    return ids;
}

}  // namespace dossier::filing

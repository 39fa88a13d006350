#include "TemplateJson.h"

#include <Poco/JSON/ParseHandler.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <regex>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/JsonNumbers.h"
#include "dossier/core/Utf8.h"

namespace dossier::renderers {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

void templateError(const std::string& where, const std::string& what) {
    throw Error(codes::kRenderTemplate, "The template is malformed: " + what, where);
}

Poco::JSON::Parser orderedParser() {
    return Poco::JSON::Parser(new Poco::JSON::ParseHandler(true));
}

bool isObject(const Var& v) { return !v.isEmpty() && v.type() == typeid(Object::Ptr); }
bool isArray(const Var& v) { return !v.isEmpty() && v.type() == typeid(Array::Ptr); }
Object::Ptr asObject(const Var& v) { return isObject(v) ? v.extract<Object::Ptr>() : nullptr; }
Array::Ptr asArray(const Var& v) { return isArray(v) ? v.extract<Array::Ptr>() : nullptr; }

std::string str(const Object::Ptr& o, const std::string& key, const std::string& fallback) {
    if (!o || !o->has(key) || o->isNull(key)) return fallback;
    Var v = o->get(key);
    if (!v.isString()) templateError(key, "\"" + key + "\" must be a string");
    return v.convert<std::string>();
}

double num(const Object::Ptr& o, const std::string& key, double fallback) {
    if (!o || !o->has(key) || o->isNull(key)) return fallback;
    Var v = o->get(key);
    if (!v.isNumeric()) templateError(key, "\"" + key + "\" must be a number");
    return v.convert<double>();
}

bool flag(const Object::Ptr& o, const std::string& key) {
    return o && o->has(key) && o->get(key).isBoolean() && o->get(key).convert<bool>();
}

std::vector<std::string> split(const std::string& path, char sep) {
    std::vector<std::string> parts;
    std::string cur;
    for (char c : path) {
        if (c == sep) {
            parts.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    parts.push_back(cur);
    return parts;
}

bool allDigits(const std::string& s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string trim(const std::string& s) {
    std::size_t b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    std::size_t e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

std::size_t charCount(const std::string& s) {
    std::size_t n = 0;
    for (char32_t cp : utf8::decode(s)) {
        if (cp != U' ' && cp != U'\t' && cp != U'\n' && cp != U'\r' && cp != U'\u3000') ++n;
    }
    return n;
}

std::string formatNumber(const Var& v) {
    if (v.type() == typeid(Poco::UInt64)) return std::to_string(v.extract<Poco::UInt64>());
    if (v.isInteger()) return std::to_string(v.convert<long long>());
    double d = v.convert<double>();
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, d);
    return std::string(buf, res.ptr);
}

std::string formatBytes(const Var& v) {
    double d = v.convert<double>();
    if (!(d >= 0) || d > 9007199254740991.0 || d != std::floor(d)) return formatNumber(v);
    const auto bytes = static_cast<std::uint64_t>(d);
    std::string digits = std::to_string(bytes), grouped;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
        grouped += digits[i];
    }
    std::string out = grouped + " 字节";
    if (bytes < 1024) return out;
    static const char* const kUnits[] = {"KB", "MB", "GB", "TB", "PB"};
    double size = d / 1024;
    std::size_t unit = 0;
    while (size >= 1024 && unit + 1 < std::size(kUnits)) {
        size /= 1024;
        ++unit;
    }
    // One decimal below 100 (1.2 MB, 15.3 MB), none above (120 MB); rounding 1023.96 KB up
    // gives "1024 KB", as file managers write it too.
    char buf[32];
    std::snprintf(buf, sizeof buf, size < 99.95 ? "%.1f %s" : "%.0f %s", size, kUnits[unit]);
    return out + "（" + buf + "）";
}

std::string describe(const Var& v) {
    if (v.isEmpty()) return "null";
    if (v.isString()) {
        std::u32string text = utf8::decode(v.convert<std::string>());
        if (text.size() <= 40) return "\"" + utf8::encode(text) + "\"";
        return "\"" + utf8::encode(text.substr(0, 40)) + "…\"";
    }
    if (v.isBoolean()) return v.convert<bool>() ? "true" : "false";
    if (v.isNumeric()) return formatNumber(v);
    if (isArray(v)) return "a list";
    if (isObject(v)) return "an object";
    return "a value";
}

Var parseRequestData(const std::string& json, const std::string& what) {
    inspectJsonBody(json);  // numbers out of range, keys given twice
    Var v;
    try {
        v = orderedParser().parse(json);
    } catch (const Poco::Exception& e) {
        throw Error(codes::kRequestMalformed, "The " + what + " is not valid JSON.",
                    e.displayText());
    } catch (const std::exception& e) {
        throw Error(codes::kRequestMalformed, "The " + what + " is not valid JSON.", e.what());
    }
    if (!isObject(v))
        throw Error(codes::kRequestMalformed, "The " + what + " must be a JSON object.");
    return v;
}

bool isBlank(const Var& v) {
    if (v.isEmpty()) return true;
    if (v.isString()) return trim(v.convert<std::string>()).empty();
    if (auto a = asArray(v)) return a->size() == 0;
    if (auto o = asObject(v)) return o->size() == 0;
    return false;
}

std::optional<std::string> chineseDate(const std::string& iso) {
    static const std::regex date(R"(^(\d{4})-(\d{2})-(\d{2})$)");
    std::smatch m;
    if (!std::regex_match(iso, m, date)) return std::nullopt;
    int y = std::stoi(m[1]), mo = std::stoi(m[2]), d = std::stoi(m[3]);
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > days[mo - 1]) return std::nullopt;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo == 2 && d == 29 && !leap) return std::nullopt;
    return std::to_string(y) + " 年 " + std::to_string(mo) + " 月 " + std::to_string(d) + " 日";
}

}  // namespace dossier::renderers

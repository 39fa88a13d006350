#include "dossier/filing/KeyFieldCatalog.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/JsonString.h"

namespace dossier::filing {
namespace {

using Poco::JSON::Object;

[[noreturn]] void bad(const std::string& file, const std::string& why) {
    throw Error(codes::kRenderTemplate, "A key-field product template on the server is invalid.",
                file + ": " + why);
}

std::string textOf(const Object::Ptr& o, const std::string& name, const std::string& file) {
    auto v = o->get(name);
    if (v.isEmpty() || !v.isString() || v.extract<std::string>().empty()) {
        bad(file, "'" + name + "' must be a non-empty string");
    }
    return v.extract<std::string>();
}

double numberOf(const Object::Ptr& o, const std::string& name, const std::string& file) {
    auto v = o->get(name);
    if (v.isEmpty() || v.isBoolean() || !v.isNumeric())
        bad(file, "'" + name + "' must be a number");
    double d = v.convert<double>();
    if (!std::isfinite(d)) bad(file, "'" + name + "' must be finite");
    return d;
}

KeyFieldProduct load(const std::filesystem::path& path) {
    std::string file = path.filename().string();
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    Object::Ptr o;
    try {
        o = Poco::JSON::Parser().parse(buffer.str()).extract<Object::Ptr>();
    } catch (const std::exception& e) {
        bad(file, std::string("not a JSON object: ") + e.what());
    }
    if (!o) bad(file, "not a JSON object");
    if (o->optValue<std::string>("format", "") != "dossier-key-field-product/1") {
        bad(file, "format must be dossier-key-field-product/1");
    }
    KeyFieldProduct p;
    p.id = textOf(o, "id", file);
    if (!std::regex_match(p.id, std::regex("[a-z0-9-]{1,64}")) || p.id + ".json" != file) {
        bad(file, "id must be [a-z0-9-]{1,64} and the file's name");
    }
    p.name = textOf(o, "name", file);
    p.domain = textOf(o, "domain", file);
    p.evaluationBody = textOf(o, "evaluation_body", file);
    auto list = o->getArray("indicators");
    if (!list || list->size() == 0) bad(file, "indicators must be a non-empty array");
    for (std::size_t i = 0; i < list->size(); ++i) {
        auto item = list->getObject(static_cast<unsigned>(i));
        std::string at = "indicators[" + std::to_string(i) + "]";
        if (!item) bad(file, at + " must be an object");
        KeyFieldIndicator k;
        k.key = textOf(item, "key", file);
        if (!std::regex_match(k.key, std::regex("[a-z0-9_]{1,64}"))) {
            bad(file, at + ".key must be [a-z0-9_]{1,64}");
        }
        for (const auto& other : p.indicators) {
            if (other.key == k.key) bad(file, at + ".key '" + k.key + "' is given twice");
        }
        k.name = textOf(item, "name", file);
        k.unit = textOf(item, "unit", file);
        std::string direction = textOf(item, "direction", file);
        if (direction != ">=" && direction != "<=") bad(file, at + ".direction must be >= or <=");
        k.atLeast = direction == ">=";
        auto thresholds = item->getObject("thresholds");
        if (!thresholds) bad(file, at + ".thresholds must be an object of \"3\", \"4\", \"5\"");
        for (int star = 3; star <= 5; ++star) {
            k.thresholds[star - 3] = numberOf(thresholds, std::to_string(star), file);
        }
        // Each level asks at least as much as the one below it.
        for (int j = 1; j < 3; ++j) {
            bool stricter = k.atLeast ? k.thresholds[j] >= k.thresholds[j - 1]
                                      : k.thresholds[j] <= k.thresholds[j - 1];
            if (!stricter) bad(file, at + ".thresholds must not loosen from 3 to 5 stars");
        }
        p.indicators.push_back(std::move(k));
    }
    return p;
}

void appendNumber(std::string& out, double value) {
    char buffer[64];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, ec == std::errc() ? end : buffer);
}

}  // namespace

KeyFieldCatalog::KeyFieldCatalog(const std::string& templatesDir) {
    std::filesystem::path dir = std::filesystem::path(templatesDir) / "key-field-products";
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) return;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() != ".json") continue;
        KeyFieldProduct p = load(entry.path());
        products_.emplace(p.id, std::move(p));
    }
}

const KeyFieldProduct& KeyFieldCatalog::get(const std::string& id) const {
    auto it = products_.find(id);
    if (it == products_.end()) {
        throw Error(codes::kKeyFieldProductNotFound, "There is no such key-field product.");
    }
    return it->second;
}

BenchmarkResult KeyFieldCatalog::benchmark(const KeyFieldProduct& product,
                                           const std::map<std::string, double>& values) {
    BenchmarkResult result;
    result.level = 5;
    for (const auto& k : product.indicators) {
        BenchmarkResult::Line line;
        line.indicator = &k;
        line.value = values.at(k.key);
        for (int j = 0; j < 3; ++j) {
            line.meets[j] =
                k.atLeast ? line.value >= k.thresholds[j] : line.value <= k.thresholds[j];
            if (line.meets[j]) line.level = 3 + j;
        }
        result.level = std::min(result.level, line.level);
        result.lines.push_back(line);
    }
    return result;
}

std::string BenchmarkResult::json(const KeyFieldProduct& product) const {
    std::string out = "{\"product\":";
    appendJsonString(out, product.id);
    out += ",\"level\":" + std::to_string(level) + ",\"lines\":[";
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto& l = lines[i];
        out += i ? ",{\"key\":" : "{\"key\":";
        appendJsonString(out, l.indicator->key);
        out += ",\"name\":";
        appendJsonString(out, l.indicator->name);
        out += ",\"unit\":";
        appendJsonString(out, l.indicator->unit);
        out += std::string(",\"direction\":\"") + (l.indicator->atLeast ? ">=" : "<=") +
               "\",\"value\":";
        appendNumber(out, l.value);
        out += ",\"meets\":{";
        for (int j = 0; j < 3; ++j) {
            out += (j ? ",\"" : "\"") + std::to_string(3 + j) +
                   "\":" + (l.meets[j] ? "true" : "false");
        }
        out += "},\"level\":" + std::to_string(l.level) + "}";
    }
    return out + "]}";
}

std::string KeyFieldCatalog::json(const KeyFieldProduct& p) {
    std::string out = "{\"id\":";
    appendJsonString(out, p.id);
    out += ",\"name\":";
    appendJsonString(out, p.name);
    out += ",\"domain\":";
    appendJsonString(out, p.domain);
    out += ",\"evaluation_body\":";
    appendJsonString(out, p.evaluationBody);
    out += ",\"indicators\":[";
    for (std::size_t i = 0; i < p.indicators.size(); ++i) {
        const auto& k = p.indicators[i];
        out += i ? ",{\"key\":" : "{\"key\":";
        appendJsonString(out, k.key);
        out += ",\"name\":";
        appendJsonString(out, k.name);
        out += ",\"unit\":";
        appendJsonString(out, k.unit);
        out += std::string(",\"direction\":\"") + (k.atLeast ? ">=" : "<=") + "\",\"thresholds\":{";
        for (int j = 0; j < 3; ++j) {
            out += (j ? ",\"" : "\"") + std::to_string(3 + j) + "\":";
            appendNumber(out, k.thresholds[j]);
        }
        out += "}}";
    }
    return out + "]}";
}

}  // namespace dossier::filing

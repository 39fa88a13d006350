#include "RenderFuzz.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include "HttpTestClient.h"
#include "TestSupport.h"
#include "dossier/core/ErrorCodes.h"

namespace dossier::test {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr const char* kPlaceholder = "@@fuzz-value@@";

Var parseOrdered(const std::string& json) {
    return Poco::JSON::Parser(new Poco::JSON::ParseHandler(true)).parse(json);
}

std::string sample(const std::string& name) {
    return readFile(std::string(DOSSIER_SOURCE_DIR) + "/templates/samples/" + name);
}

void collect(const Var& v, const std::string& path, std::vector<std::string>& out) {
    if (!path.empty()) out.push_back(path);
    std::string prefix = path.empty() ? "" : path + ".";
    if (v.type() == typeid(Object::Ptr)) {
        auto o = v.extract<Object::Ptr>();
        std::vector<std::string> names;
        o->getNames(names);
        for (const auto& n : names) collect(o->get(n), prefix + n, out);
    } else if (v.type() == typeid(Array::Ptr)) {
        auto a = v.extract<Array::Ptr>();
        for (std::size_t i = 0; i < a->size(); ++i)
            collect(a->get(static_cast<unsigned>(i)), prefix + std::to_string(i), out);
    }
}

/// Checks one answer; an empty string when it is as the API promises.
std::string judge(const HttpResult& r) {
    if (r.status >= 500 || r.status < 200) return "status " + std::to_string(r.status);
    if (r.status == 200) {
        std::string type = r.header("Content-Type");
        if (type != "application/pdf" && type != "image/png") return "200 as " + type;
        if (r.body.rfind("%PDF-", 0) != 0 && r.body.rfind("\x89PNG", 0) != 0)
            return "200 without a PDF or PNG";
        return {};
    }
    if (r.header("Content-Type") != "application/problem+json")
        return std::to_string(r.status) + " as " + r.header("Content-Type");
    Object::Ptr problem;
    try {
        problem = r.json();
    } catch (const std::exception& e) {
        return std::to_string(r.status) + " with a body that is not JSON";
    }
    auto code = ErrorCode::parse(problem->optValue<std::string>("code", ""));
    if (!code) return "unregistered code " + problem->optValue<std::string>("code", "");
    if (code->httpStatus() != r.status || problem->optValue<int>("status", 0) != r.status)
        return std::string(code->text()) + " with status " + std::to_string(r.status);
    if (auto errors = problem->getArray("errors")) {
        for (std::size_t i = 0; i < errors->size(); ++i) {
            auto item = errors->getObject(static_cast<unsigned>(i));
            auto field = ErrorCode::parse(item->optValue<std::string>("code", ""));
            if (!field || field->category() != ErrorCategory::Field)
                return "errors[] with code " + item->optValue<std::string>("code", "");
            if (item->optValue<std::string>("path", "").empty()) return "errors[] without a path";
        }
    }
    return {};
}

}  // namespace

std::vector<RenderSample> renderSamples() {
    const std::string book = sample("benchmark-2022-book.json");
    const std::string experience = sample("benchmark-2022-experience.json");
    const std::string organization = sample("organization.json");
    const std::string certificate = sample("leader-certificate.json");
    const std::string label = sample("leader-label.json");
    const std::string base = "/api/v1/render/";
    return {
        {base + "book?template=benchmark-2022", book},
        {base + "book?template=benchmark-2022&draft=true", book},
        {base + "book?template=benchmark-2022-experience", experience},
        {base + "commitment", organization},
        {base + "recommendation?draft=true", organization},
        {base + "proof", organization},
        {base + "certificate", certificate},
        {base + "label", label},
        // Rasterising at 300 dpi costs ~10× a PDF: fewer of these keep the cases many.
        {base + "label?format=png", label, 1},
    };
}

std::vector<std::string> valuePaths(const std::string& json) {
    std::vector<std::string> out;
    collect(parseOrdered(json), "", out);
    return out;
}

std::string withValueAt(const std::string& json, const std::string& path, const std::string& raw) {
    Var root = parseOrdered(json);
    Var at = root;
    std::vector<std::string> segs;
    std::stringstream parts(path);
    for (std::string s; std::getline(parts, s, '.');) segs.push_back(s);
    for (std::size_t i = 0; i < segs.size(); ++i) {
        const bool last = i + 1 == segs.size();
        if (at.type() == typeid(Object::Ptr)) {
            auto o = at.extract<Object::Ptr>();
            if (last)
                o->set(segs[i], std::string(kPlaceholder));
            else
                at = o->get(segs[i]);
        } else {
            auto a = at.extract<Array::Ptr>();
            auto index = static_cast<unsigned>(std::stoul(segs[i]));
            if (last)
                a->set(index, std::string(kPlaceholder));
            else
                at = a->get(index);
        }
    }
    std::ostringstream out;
    root.extract<Object::Ptr>()->stringify(out);
    std::string text = out.str();
    const std::string quoted = std::string("\"") + kPlaceholder + "\"";
    return text.replace(text.find(quoted), quoted.size(), raw);
}

std::uint64_t RandomJson::bits() {  // splitmix64
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

std::uint64_t RandomJson::below(std::uint64_t n) { return bits() % n; }

std::string RandomJson::number() {
    static const char* const kEdges[] = {"0",
                                         "-0",
                                         "1",
                                         "-1",
                                         "3",
                                         "4",
                                         "5",
                                         "4.0",
                                         "0.5",
                                         "-3.75",
                                         "100",
                                         "101",
                                         "2147483647",
                                         "2147483648",
                                         "-2147483649",
                                         "4294967296",
                                         "9007199254740993",
                                         "9223372036854775807",
                                         "9223372036854775808",
                                         "9223372036854775809",
                                         "-9223372036854775808",
                                         "-9223372036854775809",
                                         "18446744073709551615",
                                         "18446744073709551616",
                                         "99999999999999999999999",
                                         "1e19",
                                         "-1e19",
                                         "1e308",
                                         "1.7976931348623157e308",
                                         "1e400",
                                         "-1e400",
                                         "1e-400",
                                         "5e-324",
                                         "0.1e400",
                                         "1E5",
                                         "123456789012345678901234567890.5",
                                         "-0.0",
                                         "2019",
                                         "2021"};
    switch (below(4)) {
        case 0:
            return std::to_string(static_cast<std::int64_t>(bits()));
        case 1:
            return std::to_string(static_cast<std::int64_t>(below(2000)) - 1000) + "." +
                   std::to_string(below(1000));
        default:
            return kEdges[below(std::size(kEdges))];
    }
}

std::string RandomJson::text() {
    static const char* const kTexts[] = {
        R"("")",
        R"(" ")",
        R"("a")",
        R"("广州精科医学检验所有限公司")",
        R"("\ud842\udfb7野家")",
        "\"\xF0\xA0\xAE\xB7\"",
        R"("\u0000")",
        R"("a\u0007b")",
        R"("line\nbreak")",
        R"("tab\there")",
        R"("\u2028\u2029")",
        R"("\u202egpj.exe")",
        R"("\ud800")",
        R"("\"quoted\" \\ back")",
        R"("https://dossier.example/verify/1")",
        R"("http://dossier.example/verify/1")",
        R"("https://")",
        R"("2022-02-29")",
        R"("2024-02-29")",
        R"("1899-12-31")",
        R"("91440116MA59B21T31")",
        R"("91440116MA59B21T3X")",
        R"("13800000001")",
        R"("020-12345678")",
        R"("a@b.cn")",
        R"("510000")",
        R"("5")",
        R"("1e400")",
        R"("质量管理数字化")",
        R"("\ufeff")",
        R"("\uffff")",
        R"("\n2026-01-01T00:00:00.000Z E dossier.http request_id=FORGED")",
        R"("﷽﷽﷽﷽﷽﷽﷽﷽﷽﷽")"};
    switch (below(6)) {
        case 0: {
            std::string s = "\"";
            for (int i = 0; i < 10240; ++i) s += 'a';
            return s + "\"";
        }
        case 1: {
            std::string s = "\"";
            for (int i = 0; i < 3414; ++i) s += "字";  // 10 KB
            return s + "\"";
        }
        case 2: {
            std::string s = "\"";
            auto n = below(40);
            for (std::uint64_t i = 0; i < n; ++i) s += static_cast<char>('A' + below(26));
            return s + "\"";
        }
        default:
            return kTexts[below(std::size(kTexts))];
    }
}

std::string RandomJson::value(int depth) {
    switch (below(depth > 3 ? 6 : 9)) {
        case 0:
            return "null";
        case 1:
            return below(2) ? "true" : "false";
        case 2:
        case 3:
            return number();
        case 4:
        case 5:
            return text();
        case 6:
        case 7: {
            std::string s = "[";
            auto n = below(4);
            for (std::uint64_t i = 0; i < n; ++i) s += (i ? "," : "") + value(depth + 1);
            return s + "]";
        }
        default: {
            std::string s = "{";
            auto n = below(3);
            for (std::uint64_t i = 0; i < n; ++i)
                s += (i ? "," : "") + std::string(below(2) ? "\"2020\"" : "\"k\"") + ":" +
                     value(depth + 1);
            return s + "}";
        }
    }
}

FuzzReport fuzzRenderRoutes(std::uint16_t port, const std::string& token, std::uint64_t seed,
                            int maxCases, std::chrono::milliseconds budget) {
    FuzzReport report;
    RandomJson random(seed);
    struct Target {
        RenderSample sample;
        std::vector<std::string> paths;
    };
    std::vector<Target> targets;
    std::vector<std::size_t> schedule;  // each target `weight` times
    for (auto& s : renderSamples()) {
        for (int i = 0; i < s.weight; ++i) schedule.push_back(targets.size());
        targets.push_back({s, valuePaths(s.json)});
    }
    HttpTestClient client(port);
    client.setBearer(token);
    const auto deadline = std::chrono::steady_clock::now() + budget;
    std::size_t round = 0;
    while (report.cases < maxCases && std::chrono::steady_clock::now() < deadline) {
        // Round-robin over the samples (by weight); a random path of each, so every field is
        // reached.
        const Target& t = targets[schedule[round++ % schedule.size()]];
        const std::string& path = t.paths[random.below(t.paths.size())];
        std::string raw = random.next();
        std::string body = withValueAt(t.sample.json, path, raw);
        ++report.cases;
        std::string failure;
        try {
            auto r = client.request("POST", t.sample.target, {}, "application/json", body);
            ++report.statuses[r.status];
            if (r.status >= 400) {
                try {
                    ++report.codes[r.json()->optValue<std::string>("code", "")];
                } catch (...) {
                }
            }
            failure = judge(r);
        } catch (const std::exception& e) {
            failure = std::string("no answer: ") + e.what();
            client = HttpTestClient(port);
            client.setBearer(token);
        }
        if (!failure.empty() && report.failures.size() < 20) {
            report.failures.push_back(failure + " for " + t.sample.target + " " + path + " = " +
                                      raw.substr(0, 120));
        }
    }
    return report;
}

}  // namespace dossier::test

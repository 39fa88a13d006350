#include "dossier/renderers/DocumentTemplate.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include <charconv>
#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <regex>
#include <sstream>

#include "dossier/core/CreditCode.h"
#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/Utf8.h"
#include "dossier/core/ValidationError.h"
#include "dossier/fonts/FontFace.h"
#include "dossier/renderers/LineBreaker.h"
#include "dossier/renderers/PdfComposer.h"

namespace dossier::renderers {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

const ReferenceList::Item* ReferenceList::find(const std::string& value) const {
    for (const auto& item : items) {
        if (item.value == value) return &item;
    }
    return nullptr;
}

namespace {

constexpr const char* kFormat = "dossier-template/1";
constexpr const char* kBlankDate = "        年      月      日";

[[noreturn]] void templateError(const std::string& where, const std::string& what) {
    throw Error(codes::kRenderTemplate, "The template is malformed: " + what, where);
}

/// Objects keep the order they were written in (fields, problems and rows follow it).
Poco::JSON::Parser orderedParser() {
    return Poco::JSON::Parser(new Poco::JSON::ParseHandler(true));
}

bool isObject(const Var& v) { return !v.isEmpty() && v.type() == typeid(Object::Ptr); }
bool isArray(const Var& v) { return !v.isEmpty() && v.type() == typeid(Array::Ptr); }
Object::Ptr asObject(const Var& v) { return isObject(v) ? v.extract<Object::Ptr>() : nullptr; }
Array::Ptr asArray(const Var& v) { return isArray(v) ? v.extract<Array::Ptr>() : nullptr; }

std::string str(const Object::Ptr& o, const std::string& key, const std::string& fallback = {}) {
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

/// Characters as people count them in a word limit ("30字以内"): code points, blanks excluded.
std::size_t charCount(const std::string& s) {
    std::size_t n = 0;
    for (char32_t cp : utf8::decode(s)) {
        if (cp != U' ' && cp != U'\t' && cp != U'\n' && cp != U'\r' && cp != U'\u3000') ++n;
    }
    return n;
}

std::string formatNumber(const Var& v) {
    if (v.isInteger()) return std::to_string(v.convert<long long>());
    double d = v.convert<double>();
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, d);
    return std::string(buf, res.ptr);
}

bool isBlank(const Var& v) {
    if (v.isEmpty()) return true;
    if (v.isString()) return trim(v.convert<std::string>()).empty();
    if (auto a = asArray(v)) return a->size() == 0;
    if (auto o = asObject(v)) return o->size() == 0;
    return false;
}

/// "2022-06-20" → the date as Chinese forms print it.
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

}  // namespace

// ---------------------------------------------------------------------------------------
// Schema

struct Field {
    std::string type;  // object array string text number integer credit_code choice choices
                       // date mobile telephone email postcode yearly map
    std::string label;
    bool required = false;
    std::size_t maxChars = 0, minItems = 0, maxItems = 0;
    std::optional<double> min, max;
    const ReferenceList* list = nullptr;
    std::vector<std::pair<std::string, std::shared_ptr<Field>>> fields;  // object, in order
    std::shared_ptr<Field> items;                                        // array
    std::shared_ptr<Field> of;                                           // yearly, map
    std::vector<std::string> keys;                                       // map

    const Field* field(const std::string& name) const {
        for (const auto& [n, f] : fields) {
            if (n == name) return f.get();
        }
        return nullptr;
    }
    std::string name(const std::string& path) const {
        return label.empty() ? path : label + " (" + path + ")";
    }
};

struct DocumentTemplate::Impl {
    std::string id, title;
    Object::Ptr root;
    std::vector<int> years;
    std::map<std::string, std::string> globals;  // {year1} … for static text
    std::map<std::string, Array::Ptr> constants;
    // Filled while the template is parsed (the dry run loads every list it names); read-only after.
    mutable std::map<std::string, std::unique_ptr<ReferenceList>> lists;
    std::vector<std::unique_ptr<ReferenceList>> inlineLists;
    std::shared_ptr<Field> schema;
    std::string listDir;
    PageSetup page;
    bool ignoreUnknownFields = false;  // forms share one organization profile

    const ReferenceList* loadList(const std::string& name) const;
    std::shared_ptr<Field> parseField(const Object::Ptr& o, const std::string& where);

    /// The schema node for a data path ("management.products.0.name"), or null.
    const Field* schemaAt(const Field* from, const std::vector<std::string>& segs) const {
        const Field* f = from;
        for (const auto& s : segs) {
            if (!f) return nullptr;
            if (f->type == "object") {
                f = f->field(s);
            } else if (f->type == "array" && allDigits(s)) {
                f = f->items.get();
            } else if (f->type == "yearly" || f->type == "map") {
                f = f->of.get();
            } else {
                return nullptr;
            }
        }
        return f;
    }

    void check(const Field& f, const Var& v, const std::string& path,
               std::vector<FieldProblem>& out) const;
};

const ReferenceList* DocumentTemplate::Impl::loadList(const std::string& name) const {
    if (auto it = lists.find(name); it != lists.end()) return it->second.get();
    static const std::regex safe("^[a-z0-9][a-z0-9-]{0,63}$");
    if (!std::regex_match(name, safe))
        templateError("lists", "list name \"" + name + "\" is not [a-z0-9-]");
    std::ifstream in(listDir + "/" + name + ".json", std::ios::binary);
    if (!in) templateError("lists", "the list \"" + name + "\" does not exist in " + listDir);
    std::stringstream buf;
    buf << in.rdbuf();
    Object::Ptr o;
    try {
        o = orderedParser().parse(buf.str()).extract<Object::Ptr>();
    } catch (const std::exception& e) {
        templateError("lists/" + name, std::string("the list is not JSON: ") + e.what());
    }
    auto list = std::make_unique<ReferenceList>();
    list->id = name;
    list->title = str(o, "title");
    auto items = o->getArray("items");
    if (!items) templateError("lists/" + name, "a list needs \"items\"");
    for (std::size_t i = 0; i < items->size(); ++i) {
        auto item = items->getObject(static_cast<unsigned>(i));
        if (!item) templateError("lists/" + name, "items are {value, label}");
        list->items.push_back({str(item, "value"), str(item, "label", str(item, "value"))});
    }
    return (lists[name] = std::move(list)).get();
}

std::shared_ptr<Field> DocumentTemplate::Impl::parseField(const Object::Ptr& o,
                                                          const std::string& where) {
    if (!o) templateError(where, "a field is an object with a \"type\"");
    auto f = std::make_shared<Field>();
    f->type = str(o, "type");
    f->label = str(o, "label");
    f->required = flag(o, "required");
    f->maxChars = static_cast<std::size_t>(num(o, "max_chars", 0));
    f->minItems = static_cast<std::size_t>(num(o, "min_items", 0));
    f->maxItems = static_cast<std::size_t>(num(o, "max_items", 0));
    if (o->has("min")) f->min = num(o, "min", 0);
    if (o->has("max")) f->max = num(o, "max", 0);
    static const std::vector<std::string> types = {
        "object",  "array", "string", "text",      "number", "integer",  "credit_code", "choice",
        "choices", "date",  "mobile", "telephone", "email",  "postcode", "yearly",      "map"};
    if (std::find(types.begin(), types.end(), f->type) == types.end()) {
        templateError(where, "unknown field type \"" + f->type + "\"");
    }
    if (o->has("list")) f->list = loadList(str(o, "list"));
    if (auto options = o->getArray("options")) {
        auto list = std::make_unique<ReferenceList>();
        list->id = where;
        for (std::size_t i = 0; i < options->size(); ++i) {
            auto item = options->getObject(static_cast<unsigned>(i));
            if (!item) templateError(where, "options are {value, label}");
            list->items.push_back({str(item, "value"), str(item, "label", str(item, "value"))});
        }
        f->list = list.get();
        inlineLists.push_back(std::move(list));
    }
    if ((f->type == "choice" || f->type == "choices") && !f->list)
        templateError(where, "a choice needs a list or options");
    if (f->type == "object") {
        auto fields = o->getObject("fields");
        if (!fields) templateError(where, "an object field needs \"fields\"");
        // Poco's Object keeps insertion order only when asked to; order comes from "order" or
        // names.
        std::vector<std::string> names;
        fields->getNames(names);
        if (auto order = o->getArray("order")) {
            names.clear();
            for (std::size_t i = 0; i < order->size(); ++i)
                names.push_back(order->getElement<std::string>(static_cast<unsigned>(i)));
        }
        for (const auto& n : names)
            f->fields.emplace_back(n, parseField(fields->getObject(n), where + "." + n));
    }
    if (f->type == "array") f->items = parseField(o->getObject("items"), where + ".[]");
    if (f->type == "yearly" || f->type == "map")
        f->of = parseField(o->getObject("of"), where + ".*");
    if (f->type == "map") {
        std::string from = str(o, "keys_from");  // "constant.key"
        auto parts = split(from, '.');
        if (parts.size() != 2 || !constants.count(parts[0]))
            templateError(where, "a map needs \"keys_from\": \"<constant>.<key>\"");
        auto rows = constants[parts[0]];
        for (std::size_t i = 0; i < rows->size(); ++i) {
            auto row = rows->getObject(static_cast<unsigned>(i));
            f->keys.push_back(str(row, parts[1]));
        }
    }
    return f;
}

void DocumentTemplate::Impl::check(const Field& f, const Var& v, const std::string& path,
                                   std::vector<FieldProblem>& out) const {
    auto problem = [&](const std::string& p, const std::string& code, const std::string& message) {
        out.push_back({p, code, message});
    };
    auto stringValue = [&]() -> std::optional<std::string> {
        if (!v.isString()) {
            problem(path, "field.type", f.name(path) + " must be text.");
            return std::nullopt;
        }
        std::string s = v.convert<std::string>();
        if (!utf8::isValid(s)) {
            problem(path, "field.encoding", f.name(path) + " is not valid UTF-8.");
            return std::nullopt;
        }
        for (char32_t cp : utf8::decode(s)) {
            if ((cp < 0x20 && cp != U'\n' && cp != U'\t') || cp == 0x7F) {
                problem(path, "field.control_character",
                        f.name(path) + " contains a control character.");
                return std::nullopt;
            }
            if (cp != U'\n' && cp != U'\t' && !fonts::FontFace::printable(cp)) {
                problem(path, "field.glyph_missing",
                        f.name(path) + " contains " + utf8::describe(cp) +
                            ", which no available font can print; the PDF would lose it.");
                return std::nullopt;
            }
        }
        if (f.type != "text" && s.find('\n') != std::string::npos) {
            problem(path, "field.line_break", f.name(path) + " must be a single line.");
            return std::nullopt;
        }
        if (f.maxChars && charCount(s) > f.maxChars) {
            problem(path, "field.too_long",
                    f.name(path) + " has " + std::to_string(charCount(s)) +
                        " characters; at most " + std::to_string(f.maxChars) + " are allowed.");
        }
        return trim(s);
    };
    const std::string& t = f.type;
    if (t == "object") {
        auto o = asObject(v);
        if (!o) return problem(path, "field.type", f.name(path) + " must be an object.");
        std::vector<std::string> names;
        o->getNames(names);
        for (const auto& n : names) {
            if (path.empty() && ignoreUnknownFields) continue;
            if (!f.field(n))
                problem(path.empty() ? n : path + "." + n, "field.unknown",
                        "The template has no field \"" + n + "\" here.");
        }
        for (const auto& [n, sub] : f.fields) {
            std::string p = path.empty() ? n : path + "." + n;
            Var child = o->has(n) ? o->get(n) : Var();
            if (isBlank(child)) {
                if (sub->required) problem(p, "field.required", sub->name(p) + " is required.");
                continue;
            }
            check(*sub, child, p, out);
        }
    } else if (t == "array" || t == "choices") {
        auto a = asArray(v);
        if (!a) return problem(path, "field.type", f.name(path) + " must be a list.");
        if (f.maxItems && a->size() > f.maxItems) {
            problem(path, "field.too_many",
                    f.name(path) + " has " + std::to_string(a->size()) + " entries; at most " +
                        std::to_string(f.maxItems) + " are allowed.");
        }
        if (a->size() < f.minItems) {
            problem(path, "field.too_few",
                    f.name(path) + " needs at least " + std::to_string(f.minItems) + " entries.");
        }
        std::vector<std::string> seen;
        for (std::size_t i = 0; i < a->size(); ++i) {
            std::string p = path + "." + std::to_string(i);
            Var item = a->get(static_cast<unsigned>(i));
            if (t == "array") {
                if (isBlank(item)) {
                    problem(p, "field.required", f.name(path) + " has an empty entry.");
                } else {
                    check(*f.items, item, p, out);
                }
                continue;
            }
            if (!item.isString() || !f.list->find(item.convert<std::string>())) {
                problem(p, "field.not_in_list",
                        f.name(path) + ": \"" + item.toString() + "\" is not one of the options.");
                continue;
            }
            if (std::find(seen.begin(), seen.end(), item.convert<std::string>()) != seen.end()) {
                problem(p, "field.duplicate",
                        f.name(path) + ": \"" + item.toString() + "\" is chosen twice.");
            }
            seen.push_back(item.convert<std::string>());
        }
    } else if (t == "yearly" || t == "map") {
        auto o = asObject(v);
        if (!o) return problem(path, "field.type", f.name(path) + " must be an object.");
        std::vector<std::string> names;
        o->getNames(names);
        std::vector<std::string> allowed = f.keys;
        if (t == "yearly") {
            allowed.clear();
            for (int y : years) allowed.push_back(std::to_string(y));
        }
        for (const auto& n : names) {
            if (std::find(allowed.begin(), allowed.end(), n) == allowed.end()) {
                if (t == "yearly") {
                    problem(path + "." + n, "field.year",
                            f.name(path) + " is reported for the " + std::to_string(years.size()) +
                                " consecutive years " + allowed.front() + "–" + allowed.back() +
                                ", not " + n + ".");
                } else {
                    problem(path + "." + n, "field.unknown",
                            "The template has no entry \"" + n + "\" here.");
                }
            }
        }
        for (const auto& key : allowed) {
            std::string p = path + "." + key;
            Var child = o->has(key) ? o->get(key) : Var();
            if (isBlank(child)) {
                if (t == "yearly") {
                    problem(p, "field.year_missing",
                            f.name(path) + " needs all " + std::to_string(years.size()) +
                                " consecutive years " + allowed.front() + "–" + allowed.back() +
                                "; " + key + " is missing.");
                }
                continue;
            }
            check(*f.of, child, p, out);
        }
    } else if (t == "number" || t == "integer") {
        if (!v.isNumeric() || v.isString() || v.isBoolean()) {
            return problem(path, "field.not_a_number",
                           f.name(path) + " must be a number (not text).");
        }
        double d = v.convert<double>();
        if (!std::isfinite(d))
            return problem(path, "field.not_a_number", f.name(path) + " must be a finite number.");
        if (t == "integer" && !v.isInteger() && d != std::floor(d)) {
            return problem(path, "field.not_an_integer", f.name(path) + " must be a whole number.");
        }
        if ((f.min && d < *f.min) || (f.max && d > *f.max)) {
            std::string range =
                f.min && f.max ? "between " + formatNumber(*f.min) + " and " + formatNumber(*f.max)
                : f.min        ? "at least " + formatNumber(*f.min)
                               : "at most " + formatNumber(*f.max);
            problem(path, "field.range", f.name(path) + " must be " + range + ".");
        }
    } else {
        auto s = stringValue();
        if (!s) return;
        if (t == "credit_code") {
            auto checked = CreditCode::check(*s);
            if (!checked.valid) {
                problem(path, "field.credit_code",
                        f.name(path) + " is not a valid 统一社会信用代码 (" +
                            std::string(CreditCode::problemName(checked.problem)) + ").");
            }
        } else if (t == "choice") {
            if (!f.list->find(*s))
                problem(path, "field.not_in_list",
                        f.name(path) + ": \"" + *s + "\" is not one of the options.");
        } else if (t == "date") {
            if (!chineseDate(*s))
                problem(path, "field.date", f.name(path) + " must be a date written YYYY-MM-DD.");
        } else if (t == "mobile") {
            static const std::regex mobile(R"(^1[3-9]\d{9}$)");
            if (!std::regex_match(*s, mobile))
                problem(path, "field.mobile", f.name(path) + " must be an 11-digit mobile number.");
        } else if (t == "telephone") {
            static const std::regex phone(R"(^\+?[0-9()\- ]{7,24}$)");
            if (!std::regex_match(*s, phone))
                problem(path, "field.telephone", f.name(path) + " must be a telephone number.");
        } else if (t == "email") {
            static const std::regex email(R"(^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$)");
            if (!std::regex_match(*s, email))
                problem(path, "field.email", f.name(path) + " must be an e-mail address.");
        } else if (t == "postcode") {
            static const std::regex postcode(R"(^\d{6}$)");
            if (!std::regex_match(*s, postcode))
                problem(path, "field.postcode", f.name(path) + " must be a 6-digit postcode.");
        }
    }
}

// ---------------------------------------------------------------------------------------
// Emission: the body resolved against data, as blocks ready to lay out.

namespace {

struct LineSpec {
    std::string label, value, suffix;
    double size = 14;
    double indent = 0;  // from the left margin
    double width = 0;   // of the fill-in area; 0 = to the right margin
    bool underline = true;
    bool center = false;
};

struct Block {
    enum class Kind {
        Title,
        Heading,
        Paragraph,
        Note,
        Line,
        Signature,
        Spacer,
        PageBreak,
        Table
    } kind;
    std::string text;
    TextStyle style;
    double spaceAfter = 0;
    std::vector<LineSpec> lines;  // Line (one), Signature (several)
    bool sealBox = false;
    std::string sealLabel;
    Table table;
    double height = 0;
    double indent = -1;  // Signature: where its lines start (points from the left margin)
};

struct Context {
    Var item;  // the current array item ("@")
    const Field* itemSchema = nullptr;
    std::map<std::string, std::string> params;  // {name} substitutions
};

}  // namespace

class Emitter {
  public:
    Emitter(const DocumentTemplate::Impl& t, Var data, bool strict)
        : t_(t), data_(std::move(data)), strict_(strict) {}

    std::vector<Block> run() {
        Context ctx;
        ctx.params = t_.globals;
        blocks(t_.root->getArray("body"), ctx, "body");
        return std::move(out_);
    }

    /// The value at a data path as printed (e.g. the PDF author from "author_field").
    std::string valueAt(const std::string& path) const { return value(path, Context{}); }

  private:
    const DocumentTemplate::Impl& t_;
    Var data_;
    bool strict_;  // at load: every field a template names must exist in its schema
    std::vector<Block> out_;

    std::string subst(const std::string& s, const Context& ctx) const {
        std::string r;
        for (std::size_t i = 0; i < s.size();) {
            if (s[i] == '{' && i + 1 < s.size() && s[i + 1] == '{') {
                std::size_t end = s.find("}}", i + 2);
                if (end == std::string::npos) templateError(s, "unclosed {{");
                std::string v = value(subst(s.substr(i + 2, end - i - 2), ctx), ctx);
                r += v.empty() ? "__________" : v;
                i = end + 2;
            } else if (s[i] == '{') {
                std::size_t end = s.find('}', i + 1);
                if (end == std::string::npos) templateError(s, "unclosed {");
                std::string name = s.substr(i + 1, end - i - 1);
                auto it = ctx.params.find(name);
                if (it == ctx.params.end()) templateError(s, "no parameter {" + name + "} here");
                r += it->second;
                i = end + 1;
            } else {
                r += s[i++];
            }
        }
        return r;
    }

    /// The data at `path` ("a.b.0", "@", "@.name") and its schema.
    std::pair<Var, const Field*> lookup(const std::string& path, const Context& ctx) const {
        Var v;
        const Field* f;
        std::vector<std::string> segs;
        if (path == "@" || path.rfind("@.", 0) == 0) {
            v = ctx.item;
            f = ctx.itemSchema;
            if (path.size() > 2) segs = split(path.substr(2), '.');
        } else {
            v = data_;
            f = t_.schema.get();
            segs = split(path, '.');
        }
        f = t_.schemaAt(f, segs);
        if (!f && strict_)
            templateError(path, "the field \"" + path + "\" is not declared in \"fields\"");
        for (const auto& s : segs) {
            if (auto o = asObject(v)) {
                v = o->has(s) ? o->get(s) : Var();
            } else if (auto a = asArray(v); a && allDigits(s) && std::stoul(s) < a->size()) {
                v = a->get(static_cast<unsigned>(std::stoul(s)));
            } else {
                v = Var();
            }
        }
        return {v, f};
    }

    /// A value as printed: choices by their label, dates the Chinese way, numbers shortest.
    std::string value(const std::string& path, const Context& ctx) const {
        auto [v, f] = lookup(path, ctx);
        if (isBlank(v)) return {};
        if (auto a = asArray(v)) {
            std::string r;
            for (std::size_t i = 0; i < a->size(); ++i) {
                Var item = a->get(static_cast<unsigned>(i));
                if (!r.empty()) r += "、";
                std::string s = item.isString() ? item.convert<std::string>() : item.toString();
                const ReferenceList::Item* hit = f && f->list ? f->list->find(s) : nullptr;
                r += hit ? hit->label : s;
            }
            return r;
        }
        if (v.isBoolean()) return v.convert<bool>() ? "是" : "否";
        if (v.isNumeric() && !v.isString()) return formatNumber(v);
        if (!v.isString()) return {};
        std::string s = trim(v.convert<std::string>());
        if (f && f->list) {
            if (const auto* hit = f->list->find(s)) return hit->label;
        }
        if (f && f->type == "date") {
            if (auto d = chineseDate(s)) return *d;
        }
        return s;
    }

    std::string checkboxes(const Object::Ptr& spec, const Context& ctx) const {
        std::string path = subst(str(spec, "field"), ctx);
        auto [v, f] = lookup(path, ctx);
        const ReferenceList* list = f ? f->list : nullptr;
        if (spec->has("list")) list = t_.loadList(str(spec, "list"));
        if (!list) templateError(path, "checkboxes need a list");
        std::vector<std::string> chosen;
        if (auto a = asArray(v)) {
            for (std::size_t i = 0; i < a->size(); ++i)
                chosen.push_back(a->get(static_cast<unsigned>(i)).toString());
        } else if (v.isString()) {
            chosen.push_back(trim(v.convert<std::string>()));
        }
        std::string r;
        for (const auto& item : list->items) {
            if (!r.empty()) r += "  ";
            bool on = std::find(chosen.begin(), chosen.end(), item.value) != chosen.end();
            r += (on ? "☑" : "☐") + item.label;
        }
        return r;
    }

    std::string content(const Object::Ptr& o, const Context& ctx) const {
        std::string r;
        if (auto parts = o->getArray("parts")) {
            for (std::size_t i = 0; i < parts->size(); ++i)
                r += content(parts->getObject(static_cast<unsigned>(i)), ctx);
            return r;
        }
        if (o->has("text")) r += subst(str(o, "text"), ctx);
        if (o->has("checkboxes")) r += checkboxes(o->getObject("checkboxes"), ctx);
        if (o->has("field")) {
            std::string path = subst(str(o, "field"), ctx);
            std::string v = value(path, ctx);
            if (v.empty()) {
                auto [data, f] = lookup(path, ctx);
                if (f && f->type == "date") v = kBlankDate;  // to fill in by hand
            }
            r += v;
        }
        return r;
    }

    TextStyle style(const Object::Ptr& o, TextStyle s) const {
        std::string face = str(o, "face");
        if (face == "hei") s.face = Face::Hei;
        if (face == "song") s.face = Face::Song;
        s.size = num(o, "size", s.size);
        s.lineHeight = num(o, "line_height", s.lineHeight);
        s.firstLineIndentEm = num(o, "indent", s.firstLineIndentEm);
        std::string align = str(o, "align");
        if (align == "center") s.align = TextStyle::Align::Center;
        if (align == "left") s.align = TextStyle::Align::Left;
        return s;
    }

    LineSpec line(const Object::Ptr& o, const Context& ctx, double size) const {
        LineSpec l;
        l.label = subst(str(o, "label"), ctx);
        l.suffix = subst(str(o, "suffix"), ctx);
        l.size = num(o, "size", size);
        l.indent = num(o, "indent", 0);
        l.width = num(o, "width", 0);
        l.center = str(o, "align") == "center";
        l.underline = !o->has("underline") || flag(o, "underline");
        if (o->has("field")) {
            std::string path = subst(str(o, "field"), ctx);
            l.value = value(path, ctx);
            auto [v, f] = lookup(path, ctx);
            if (f && f->type == "date" && l.value.empty()) {
                l.value = kBlankDate;
                l.underline = false;
            } else if (f && f->type == "date") {
                l.underline = false;
            }
        } else if (o->has("text")) {
            l.value = subst(str(o, "text"), ctx);
        }
        return l;
    }

    void rows(const Object::Ptr& row, const Context& ctx, Table& table, const std::string& where) {
        auto emitCells = [&](const Context& c, bool first) {
            auto cells = row->getArray("cells");
            if (!cells) templateError(where, "a row needs \"cells\"");
            std::vector<TableCell> out;
            for (std::size_t i = 0; i < cells->size(); ++i) {
                auto cell = cells->getObject(static_cast<unsigned>(i));
                if (!cell) templateError(where, "a cell is an object");
                if (flag(cell, "first_only") && !first) continue;
                TableCell tc;
                tc.text = content(cell, c);
                tc.colspan = static_cast<int>(num(cell, "colspan", 1));
                tc.rowspan = static_cast<int>(num(cell, "rowspan", 1));
                tc.header = flag(cell, "header");
                tc.minHeight = num(cell, "min_height", 0);
                tc.top = str(cell, "valign") == "top";
                std::string align = str(cell, "align");
                if (align == "left") tc.align = TableCell::Align::Left;
                if (align == "center") tc.align = TableCell::Align::Center;
                if (align == "right") tc.align = TableCell::Align::Right;
                out.push_back(std::move(tc));
            }
            table.rows.push_back(std::move(out));
        };
        if (row->has("each")) {
            Var each = row->get("each");
            Array::Ptr params;
            if (each.isString()) {
                std::string name = each.convert<std::string>();
                if (name == "years") {
                    params = new Array;
                    for (int y : t_.years) {
                        Object::Ptr p = new Object;
                        p->set("year", std::to_string(y));
                        params->add(p);
                    }
                } else if (auto it = t_.constants.find(name); it != t_.constants.end()) {
                    params = it->second;
                } else {
                    templateError(where, "\"each\": no constant \"" + name + "\"");
                }
            } else {
                params = asArray(each);
            }
            if (!params)
                templateError(where, "\"each\" is \"years\", a constant or a list of objects");
            for (std::size_t i = 0; i < params->size(); ++i) {
                Context c = ctx;
                auto p = params->getObject(static_cast<unsigned>(i));
                std::vector<std::string> names;
                if (p) p->getNames(names);
                for (const auto& n : names) c.params[n] = p->get(n).toString();
                c.params["#"] = std::to_string(i + 1);
                emitCells(c, i == 0);
            }
        } else if (row->has("each_item")) {
            std::string path = subst(str(row, "each_item"), ctx);
            auto [v, f] = lookup(path, ctx);
            if (f && f->type != "array") templateError(where, "\"each_item\" needs a list field");
            auto a = asArray(v);
            std::size_t n = a ? a->size() : 0;
            std::size_t minRows = static_cast<std::size_t>(num(row, "min_rows", 0));
            if (strict_)
                minRows = std::max<std::size_t>(minRows, 1);  // check the cells' fields too
            for (std::size_t i = 0; i < std::max(n, minRows); ++i) {
                Context c = ctx;
                c.item = i < n ? a->get(static_cast<unsigned>(i)) : Var();
                c.itemSchema = f ? f->items.get() : nullptr;
                c.params["#"] =
                    std::to_string(i + static_cast<std::size_t>(num(row, "number_from", 1)));
                emitCells(c, i == 0);
            }
        } else {
            emitCells(ctx, true);
        }
    }

    void blocks(const Array::Ptr& body, const Context& ctx, const std::string& where) {
        if (!body) templateError(where, "a body is a list of blocks");
        for (std::size_t i = 0; i < body->size(); ++i) {
            auto o = body->getObject(static_cast<unsigned>(i));
            std::string at = where + "[" + std::to_string(i) + "]";
            if (!o) templateError(at, "a block is an object");
            block(o, ctx, at);
        }
    }

    void block(const Object::Ptr& o, const Context& ctx, const std::string& at) {
        std::string type = str(o, "type");
        Block b{};
        if (type == "title") {
            b.kind = Block::Kind::Title;
            b.text = content(o, ctx);
            b.style = style(o, {Face::Hei, 18, 1.6, TextStyle::Align::Center, 0});  // 小二号
            b.spaceAfter = num(o, "space_after", 12);
        } else if (type == "heading") {
            b.kind = Block::Kind::Heading;
            b.text = content(o, ctx);
            b.style = style(o, {Face::Hei, 16, 1.6, TextStyle::Align::Center, 0});  // 三号
            b.spaceAfter = num(o, "space_after", 6);
        } else if (type == "paragraph") {
            b.kind = Block::Kind::Paragraph;
            b.text = content(o, ctx);
            b.style = style(o, {Face::Song, 14, 1.6, TextStyle::Align::Left, 0});  // 四号
            b.spaceAfter = num(o, "space_after", 0);
            if (flag(o, "split_lines")) {  // each line of the text its own paragraph (indented)
                std::istringstream lines(b.text);
                std::string line;
                bool any = false;
                while (std::getline(lines, line)) {
                    if (trim(line).empty()) continue;
                    Block p = b;
                    p.text = trim(line);
                    out_.push_back(std::move(p));
                    any = true;
                }
                if (!any) out_.push_back(b);
                return;
            }
        } else if (type == "note") {
            b.kind = Block::Kind::Note;
            b.text = content(o, ctx);
            b.style = style(o, {Face::Song, 10.5, 1.5, TextStyle::Align::Left, 0});  // 五号
            b.spaceAfter = num(o, "space_after", 8);
        } else if (type == "line") {
            b.kind = Block::Kind::Line;
            b.lines.push_back(line(o, ctx, 14));
        } else if (type == "signature") {
            b.kind = Block::Kind::Signature;
            auto lines = o->getArray("lines");
            if (!lines) templateError(at, "a signature needs \"lines\"");
            for (std::size_t i = 0; i < lines->size(); ++i) {
                auto l = line(lines->getObject(static_cast<unsigned>(i)), ctx, 14);
                if (!lines->getObject(static_cast<unsigned>(i))->has("indent"))
                    l.indent = -1;  // laid out by the block
                b.lines.push_back(l);
            }
            b.indent = num(o, "indent", -1);
            b.sealBox = o->has("seal_box");
            b.sealLabel =
                b.sealBox ? subst(str(o->getObject("seal_box"), "label", "盖章处"), ctx) : "";
        } else if (type == "spacer") {
            b.kind = Block::Kind::Spacer;
            b.height = num(o, "height", 12);
        } else if (type == "page_break") {
            b.kind = Block::Kind::PageBreak;
        } else if (type == "table") {
            if (o->has("title")) {
                Block title{};
                title.kind = Block::Kind::Heading;
                title.text = subst(str(o, "title"), ctx);
                title.style = {Face::Hei, 16, 1.6, TextStyle::Align::Center, 0};
                title.spaceAfter = 6;
                out_.push_back(title);
            }
            b.kind = Block::Kind::Table;
            auto cols = o->getArray("columns");
            if (!cols || cols->size() == 0) templateError(at, "a table needs \"columns\"");
            for (std::size_t i = 0; i < cols->size(); ++i)
                b.table.columns.push_back(cols->getElement<double>(static_cast<unsigned>(i)));
            b.table.headerRows = static_cast<int>(num(o, "header_rows", 0));
            b.table.fontSize = num(o, "font_size", 12);
            auto rowsSpec = o->getArray("rows");
            if (!rowsSpec) templateError(at, "a table needs \"rows\"");
            for (std::size_t i = 0; i < rowsSpec->size(); ++i) {
                Var r = rowsSpec->get(static_cast<unsigned>(i));
                std::string rat = at + ".rows[" + std::to_string(i) + "]";
                if (auto cells = asArray(r)) {
                    Object::Ptr wrapped = new Object;
                    wrapped->set("cells", cells);
                    rows(wrapped, ctx, b.table, rat);
                } else if (auto row = asObject(r)) {
                    rows(row, ctx, b.table, rat);
                } else {
                    templateError(rat, "a row is a list of cells or an object");
                }
            }
            out_.push_back(std::move(b));
            if (o->has("note")) {
                Block note{};
                note.kind = Block::Kind::Note;
                note.text = subst(str(o, "note"), ctx);
                note.style = {Face::Song, 10.5, 1.5, TextStyle::Align::Left, 0};
                note.spaceAfter = 8;
                out_.push_back(note);
            }
            return;
        } else if (type == "repeat") {
            std::string path = subst(str(o, "over"), ctx);
            auto [v, f] = lookup(path, ctx);
            if (f && f->type != "array") templateError(at, "\"over\" needs a list field");
            auto a = asArray(v);
            std::size_t n = a ? a->size() : 0;
            std::size_t minimum = static_cast<std::size_t>(num(o, "min", strict_ ? 1 : 0));
            if (strict_) minimum = std::max<std::size_t>(minimum, 1);
            std::size_t count = std::max(n, minimum);
            for (std::size_t i = 0; i < count; ++i) {
                if (i > 0 && flag(o, "page_break_between")) {
                    Block pageBreak{};
                    pageBreak.kind = Block::Kind::PageBreak;
                    out_.push_back(pageBreak);
                }
                Context c = ctx;
                c.item = i < n ? a->get(static_cast<unsigned>(i)) : Var();
                c.itemSchema = f ? f->items.get() : nullptr;
                c.params["#"] = std::to_string(i + 1);
                blocks(o->getArray("body"), c, at + ".body");
            }
            return;
        } else {
            templateError(at, "unknown block type \"" + type + "\"");
        }
        out_.push_back(std::move(b));
    }
};

// ---------------------------------------------------------------------------------------
// Layout

namespace {

void drawLine(PdfComposer& pdf, const LineSpec& l, double indent) {
    const auto& page = pdf.page();
    double contentW = page.width - page.marginLeft - page.marginRight;
    TextStyle st{Face::Song, l.size, 1.2, TextStyle::Align::Left, 0};
    double labelW = pdf.textWidth(l.label, st);
    double suffixW = pdf.textWidth(l.suffix, st);
    double area = l.width > 0 ? l.width : contentW - indent - labelW - suffixW;
    area = std::max(area, l.size * 2);
    // The value shrinks to fit its line (down to 8 pt), then wraps.
    double size = l.size;
    TextStyle vs = st;
    while (size > 8 && pdf.textWidth(l.value, vs) > area - 4) {
        size -= 0.5;
        vs.size = size;
    }
    std::vector<std::u32string> lines{utf8::decode(l.value)};
    if (pdf.textWidth(l.value, vs) > area - 4) {
        auto measure = [&](char32_t cp) {
            return pdf.textWidth(utf8::encode(std::u32string(1, cp)), vs);
        };
        lines = LineBreaker(measure, area - 4).breakLines(utf8::decode(l.value));
    }
    double lineStep = l.size * 2.0;
    double extra = (lines.size() - 1) * size * 1.3;
    pdf.ensureSpace(lineStep + extra);
    double x = page.marginLeft + indent;
    if (l.center) x = page.marginLeft + (contentW - labelW - area - suffixW) / 2;
    double baseline = pdf.cursor() - l.size * 1.4;
    pdf.textAt(x, baseline, l.label, st);
    double y = baseline;
    for (const auto& text : lines) {
        pdf.textAt(x + labelW + 2, y, utf8::encode(text), vs);
        y -= size * 1.3;
    }
    double underY = baseline - extra - 3;
    if (l.underline) pdf.line(x + labelW, underY, x + labelW + area, underY, 0.5);
    pdf.textAt(x + labelW + area, baseline, l.suffix, st);
    pdf.space(lineStep + extra);
}

void layout(PdfComposer& pdf, const std::vector<Block>& blocks) {
    const auto& page = pdf.page();
    double contentW = page.width - page.marginLeft - page.marginRight;
    for (const auto& b : blocks) {
        switch (b.kind) {
            case Block::Kind::Title:
            case Block::Kind::Heading:
            case Block::Kind::Paragraph:
            case Block::Kind::Note:
                if (!b.text.empty()) pdf.paragraph(b.text, b.style);
                if (b.spaceAfter > 0) pdf.space(b.spaceAfter);
                break;
            case Block::Kind::Line:
                drawLine(pdf, b.lines.front(), b.lines.front().indent);
                break;
            case Block::Kind::Signature: {
                const double seal = 116;  // a 42 mm 公章
                double height = 0;
                for (const auto& l : b.lines) height += l.size * 2.0;
                pdf.ensureSpace(std::max(height, b.sealBox ? seal + 8 : 0.0));
                double top = pdf.cursor();
                double indent = b.indent >= 0 ? b.indent : contentW * 0.38;
                for (const auto& l : b.lines) drawLine(pdf, l, l.indent >= 0 ? l.indent : indent);
                if (b.sealBox) {
                    double x = page.marginLeft + contentW - seal;
                    double y = top - seal - 4;
                    pdf.strokeRect(x, y, seal, seal, 0.5, 0.6);
                    pdf.textAt(x + seal / 2, y + 6, b.sealLabel,
                               {Face::Song, 9, 1.2, TextStyle::Align::Center, 0});
                    if (pdf.cursor() > y - 8) pdf.space(pdf.cursor() - (y - 8));
                }
                break;
            }
            case Block::Kind::Spacer:
                pdf.space(b.height);
                break;
            case Block::Kind::PageBreak:
                if (pdf.cursor() < page.height - page.marginTop - 0.5) pdf.pageBreak();
                break;
            case Block::Kind::Table:
                pdf.table(b.table);
                break;
        }
    }
}

}  // namespace

// ---------------------------------------------------------------------------------------

DocumentTemplate::DocumentTemplate(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DocumentTemplate::~DocumentTemplate() = default;

const std::string& DocumentTemplate::id() const { return impl_->id; }
const std::string& DocumentTemplate::title() const { return impl_->title; }

std::shared_ptr<const DocumentTemplate> DocumentTemplate::load(const std::string& dir,
                                                               const std::string& id) {
    static const std::regex safe("^[a-z0-9][a-z0-9-]{0,63}$");
    if (!std::regex_match(id, safe)) {
        throw Error(codes::kRenderUnknownDocument, "There is no template with this name.", id);
    }
    static std::mutex mutex;
    static std::map<std::string, std::shared_ptr<const DocumentTemplate>> cache;
    std::string path = dir + "/" + id + ".json";
    {
        std::lock_guard lock(mutex);
        if (auto it = cache.find(path); it != cache.end()) return it->second;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(codes::kRenderUnknownDocument, "There is no template with this name.", id);
    std::stringstream buf;
    buf << in.rdbuf();
    auto loaded = parse(buf.str(), dir + "/lists");
    std::lock_guard lock(mutex);
    return cache.emplace(path, loaded).first->second;
}

std::shared_ptr<const DocumentTemplate> DocumentTemplate::parse(const std::string& json,
                                                                const std::string& listDir) {
    auto impl = std::make_unique<Impl>();
    impl->listDir = listDir;
    try {
        impl->root = orderedParser().parse(json).extract<Object::Ptr>();
    } catch (const Poco::Exception& e) {
        templateError("", "not a JSON object: " + e.displayText());
    } catch (const std::exception& e) {
        templateError("", std::string("not a JSON object: ") + e.what());
    }
    auto& r = impl->root;
    if (str(r, "format") != kFormat)
        templateError("format", std::string("\"format\" must be \"") + kFormat + "\"");
    impl->id = str(r, "id");
    impl->ignoreUnknownFields = flag(r, "ignore_unknown_fields");
    impl->title = str(r, "title");
    if (auto years = r->getArray("years")) {
        for (std::size_t i = 0; i < years->size(); ++i) {
            int y = years->getElement<int>(static_cast<unsigned>(i));
            if (i > 0 && y != impl->years.back() + 1)
                templateError("years", "\"years\" must be consecutive");
            impl->years.push_back(y);
            impl->globals["year" + std::to_string(i + 1)] = std::to_string(y);
        }
        if (!impl->years.empty()) impl->globals["last_year"] = std::to_string(impl->years.back());
    }
    if (auto constants = r->getObject("constants")) {
        std::vector<std::string> names;
        constants->getNames(names);
        for (const auto& n : names) {
            auto a = constants->getArray(n);
            if (!a) templateError("constants." + n, "a constant is a list of objects");
            impl->constants[n] = a;
        }
    }
    if (auto page = r->getObject("page")) {
        if (str(page, "orientation") == "landscape") std::swap(impl->page.width, impl->page.height);
        impl->page.pageNumbers = !page->has("page_numbers") || flag(page, "page_numbers");
        impl->page.firstNumberedPage = static_cast<int>(num(page, "numbers_from", 1));
    }
    Object::Ptr fields = r->getObject("fields");
    Object::Ptr rootSpec = new Object;
    rootSpec->set("type", "object");
    rootSpec->set("fields", fields ? fields : Object::Ptr(new Object));
    if (r->has("field_order")) rootSpec->set("order", r->get("field_order"));
    impl->schema = impl->parseField(rootSpec, "fields");
    // Dry run on empty data: every block, list and field reference is checked now, not when
    // the first applicant renders.
    std::shared_ptr<const DocumentTemplate> t(new DocumentTemplate(std::move(impl)));
    auto blocks = Emitter(*t->impl_, Var(Object::Ptr(new Object)), true).run();
    try {
        PdfComposer pdf(t->impl_->page);
        layout(pdf, blocks);  // tables that do not fit their columns, and the like
    } catch (const Error& e) {
        if (e.code() == codes::kRenderGlyphMissing) throw;
        templateError(e.detail(), e.message());
    }
    return t;
}

namespace {

Var parseData(const std::string& json) {
    Var v;
    try {
        v = orderedParser().parse(json);
    } catch (const Poco::Exception& e) {
        throw Error(codes::kRequestMalformed, "The data is not valid JSON.", e.displayText());
    } catch (const std::exception& e) {
        throw Error(codes::kRequestMalformed, "The data is not valid JSON.", e.what());
    }
    if (!isObject(v)) throw Error(codes::kRequestMalformed, "The data must be a JSON object.");
    return v;
}

}  // namespace

namespace {

/// Every problem of `data` against the template (a draft tolerates what is missing).
void checkData(const DocumentTemplate::Impl& impl, const Var& data, bool draft) {
    std::vector<FieldProblem> problems;
    impl.check(*impl.schema, data, "", problems);
    if (draft) {
        std::erase_if(problems, [](const FieldProblem& p) {
            return p.code == "field.required" || p.code == "field.year_missing";
        });
    }
    if (!problems.empty()) throw ValidationError(std::move(problems));
}

}  // namespace

void DocumentTemplate::validate(const std::string& json, bool draft) const {
    checkData(*impl_, parseData(json), draft);
}

std::string DocumentTemplate::render(const std::string& json, std::int64_t createdMicros,
                                     bool draft) const {
    Var data = parseData(json);
    checkData(*impl_, data, draft);
    Emitter emitter(*impl_, data, false);
    auto blocks = emitter.run();
    DocumentInfo info{impl_->title, {}, createdMicros};
    if (impl_->root->has("author_field"))
        info.author = emitter.valueAt(str(impl_->root, "author_field"));
    PdfComposer pdf(impl_->page, info);
    layout(pdf, blocks);
    return pdf.finish();
}

std::vector<DocumentTemplate::Item> DocumentTemplate::flatten(const std::string& json,
                                                              bool draft) const {
    Var data = parseData(json);
    checkData(*impl_, data, draft);
    auto blocks = Emitter(*impl_, data, false).run();
    std::vector<Item> items;
    auto add = [&items](Item::Kind kind, std::string text) {
        Item item{};
        item.kind = kind;
        item.text = std::move(text);
        items.push_back(std::move(item));
        return &items.back();
    };
    for (const auto& b : blocks) {
        switch (b.kind) {
            case Block::Kind::Title:
                add(Item::Kind::Title, b.text);
                break;
            case Block::Kind::Heading:
                add(Item::Kind::Heading, b.text);
                break;
            case Block::Kind::Paragraph:
                add(Item::Kind::Paragraph, b.text);
                break;
            case Block::Kind::Note:
                add(Item::Kind::Note, b.text);
                break;
            case Block::Kind::Line:
            case Block::Kind::Signature:
                for (const auto& l : b.lines) add(Item::Kind::Line, l.label + l.value + l.suffix);
                if (b.sealBox) add(Item::Kind::Line, b.sealLabel);
                break;
            case Block::Kind::Spacer:
                break;
            case Block::Kind::PageBreak:
                add(Item::Kind::PageBreak, {});
                break;
            case Block::Kind::Table: {
                Item* start = add(Item::Kind::TableStart, {});
                start->columns = b.table.columns;
                start->fontSize = b.table.fontSize;
                start->headerRows = b.table.headerRows;
                for (const auto& row : b.table.rows) {
                    add(Item::Kind::Row, {});
                    for (const auto& c : row) {
                        Item* cell = add(Item::Kind::Cell, c.text);
                        cell->colspan = c.colspan;
                        cell->rowspan = c.rowspan;
                        cell->header = c.header;
                    }
                }
                add(Item::Kind::TableEnd, {});
                break;
            }
        }
    }
    return items;
}

}  // namespace dossier::renderers

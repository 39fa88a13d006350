#include "TemplateSchema.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>

#include "TemplateJson.h"
#include "dossier/core/CreditCode.h"
#include "dossier/core/Utf8.h"
#include "dossier/fonts/FontFace.h"

namespace dossier::renderers {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

/// 2^53 − 1: the largest integer a double holds exactly.
constexpr double kSafeInteger = 9007199254740991.0;

}  // namespace

TemplateSchema::TemplateSchema(const Object::Ptr& r, std::string listDir)
    : listDir_(std::move(listDir)) {
    ignoreUnknownFields_ = flag(r, "ignore_unknown_fields");
    if (auto years = r->getArray("years")) {
        for (std::size_t i = 0; i < years->size(); ++i) {
            int y = years->getElement<int>(static_cast<unsigned>(i));
            if (i > 0 && y != years_.back() + 1)
                templateError("years", "\"years\" must be consecutive");
            years_.push_back(y);
        }
    }
    if (auto constants = r->getObject("constants")) {
        std::vector<std::string> names;
        constants->getNames(names);
        for (const auto& n : names) {
            auto a = constants->getArray(n);
            if (!a) templateError("constants." + n, "a constant is a list of objects");
            constants_[n] = a;
        }
    }
    Object::Ptr fields = r->getObject("fields");
    Object::Ptr rootSpec = new Object;
    rootSpec->set("type", "object");
    rootSpec->set("fields", fields ? fields : Object::Ptr(new Object));
    if (r->has("field_order")) rootSpec->set("order", r->get("field_order"));
    root_ = parseField(rootSpec, "fields");
}

Array::Ptr TemplateSchema::constant(const std::string& name) const {
    auto it = constants_.find(name);
    return it == constants_.end() ? nullptr : it->second;
}

const ReferenceList* TemplateSchema::list(const std::string& name) const {
    std::lock_guard lock(listsMutex_);
    if (auto it = lists_.find(name); it != lists_.end()) return it->second.get();
    auto list = ReferenceList::load(listDir_, name);
    return (lists_[name] = std::move(list)).get();
}

const TemplateField* TemplateSchema::fieldAt(const TemplateField* from,
                                             const std::vector<std::string>& segs) const {
    const TemplateField* f = from;
    for (const auto& s : segs) {
        if (!f) return nullptr;
        if (f->type == FieldType::Object) {
            f = f->field(s);
        } else if (f->type == FieldType::Array && allDigits(s)) {
            f = f->items.get();
        } else if (f->type == FieldType::Yearly || f->type == FieldType::Map) {
            f = f->of.get();
        } else {
            return nullptr;
        }
    }
    return f;
}

std::shared_ptr<TemplateField> TemplateSchema::parseField(const Object::Ptr& o,
                                                          const std::string& where) {
    if (!o) templateError(where, "a field is an object with a \"type\"");
    auto f = std::make_shared<TemplateField>();
    std::string type = str(o, "type");
    f->label = str(o, "label");
    f->required = flag(o, "required");
    f->maxChars = static_cast<std::size_t>(num(o, "max_chars", 0));
    f->maxLength = static_cast<std::size_t>(num(o, "max_length", 0));
    f->maxBytes = static_cast<std::size_t>(num(o, "max_bytes", 0));
    f->minItems = static_cast<std::size_t>(num(o, "min_items", 0));
    f->maxItems = static_cast<std::size_t>(num(o, "max_items", 0));
    if (o->has("min")) f->min = num(o, "min", 0);
    if (o->has("max")) f->max = num(o, "max", 0);
    auto named = fieldTypeNamed(type);
    if (!named) templateError(where, "unknown field type \"" + type + "\"");
    f->type = *named;
    f->format = str(o, "format");
    if (!f->format.empty() && !(f->format == "bytes" && f->type == FieldType::Integer))
        templateError(where, "\"format\": \"bytes\" is the only format, for an integer");
    if (o->has("list")) f->list = list(str(o, "list"));
    if (auto options = o->getArray("options")) {
        auto list = std::make_unique<ReferenceList>();
        list->id = where;
        for (std::size_t i = 0; i < options->size(); ++i) {
            auto item = options->getObject(static_cast<unsigned>(i));
            if (!item) templateError(where, "options are {value, label}");
            list->items.push_back({str(item, "value"), str(item, "label", str(item, "value")), {}});
        }
        f->list = list.get();
        inlineLists_.push_back(std::move(list));
    }
    if ((f->type == FieldType::Choice || f->type == FieldType::Choices) && !f->list)
        templateError(where, "a choice needs a list or options");
    if (f->type == FieldType::Object) {
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
    if (f->type == FieldType::Array) f->items = parseField(o->getObject("items"), where + ".[]");
    if (f->type == FieldType::Yearly || f->type == FieldType::Map)
        f->of = parseField(o->getObject("of"), where + ".*");
    if (f->type == FieldType::Map) {
        std::string from = str(o, "keys_from");  // "constant.key"
        auto parts = split(from, '.');
        if (parts.size() != 2 || !constants_.count(parts[0]))
            templateError(where, "a map needs \"keys_from\": \"<constant>.<key>\"");
        auto rows = constants_[parts[0]];
        for (std::size_t i = 0; i < rows->size(); ++i) {
            auto row = rows->getObject(static_cast<unsigned>(i));
            f->keys.push_back(str(row, parts[1]));
        }
    }
    return f;
}

std::vector<FieldProblem> TemplateSchema::problems(const Var& data, bool draft) const {
    std::vector<FieldProblem> problems;
    check(*root_, data, "", problems);
    if (draft) {
        std::erase_if(problems, [](const FieldProblem& p) {
            return p.code == codes::kFieldRequired || p.code == codes::kFieldYearMissing;
        });
    }
    return problems;
}

void TemplateSchema::validate(const Var& data, bool draft) const {
    auto found = problems(data, draft);
    if (!found.empty()) throw ValidationError(std::move(found));
}

void TemplateSchema::check(const TemplateField& f, const Var& v, const std::string& path,
                           std::vector<FieldProblem>& out) const {
    auto problem = [&](const std::string& p, ErrorCode code, const std::string& message) {
        out.push_back({p, code, message});
    };
    auto stringValue = [&]() -> std::optional<std::string> {
        if (!v.isString()) {
            problem(path, codes::kFieldType, f.name(path) + " must be text.");
            return std::nullopt;
        }
        std::string s = v.convert<std::string>();
        if (!utf8::isValid(s)) {
            problem(path, codes::kFieldEncoding, f.name(path) + " is not valid UTF-8.");
            return std::nullopt;
        }
        for (char32_t cp : utf8::decode(s)) {
            if ((cp < 0x20 && cp != U'\n' && cp != U'\t') || cp == 0x7F) {
                problem(path, codes::kFieldControlCharacter,
                        f.name(path) + " contains a control character.");
                return std::nullopt;
            }
            if (cp != U'\n' && cp != U'\t' && !fonts::FontFace::printable(cp)) {
                problem(path, codes::kFieldGlyphMissing,
                        f.name(path) + " contains " + utf8::describe(cp) +
                            ", which no available font can print; the PDF would lose it.");
                return std::nullopt;
            }
        }
        if (f.type != FieldType::Text && s.find('\n') != std::string::npos) {
            problem(path, codes::kFieldLineBreak, f.name(path) + " must be a single line.");
            return std::nullopt;
        }
        if (f.maxChars && charCount(s) > f.maxChars) {
            problem(path, codes::kFieldTooLong,
                    f.name(path) + " has " + std::to_string(charCount(s)) +
                        " characters; at most " + std::to_string(f.maxChars) + " are allowed.");
        }
        const std::size_t length = utf8::decode(s).size();
        if (f.maxLength && length > f.maxLength) {
            problem(path, codes::kFieldTooLong,
                    f.name(path) + " has " + std::to_string(length) + " characters; at most " +
                        std::to_string(f.maxLength) + " fit.");
        } else if (f.maxBytes && s.size() > f.maxBytes) {
            problem(path, codes::kFieldTooLong,
                    f.name(path) + " has " + std::to_string(s.size()) + " bytes; at most " +
                        std::to_string(f.maxBytes) + " fit.");
        }
        return trim(s);
    };
    switch (f.type) {
        case FieldType::Object: {
            auto o = asObject(v);
            if (!o) return problem(path, codes::kFieldType, f.name(path) + " must be an object.");
            std::vector<std::string> names;
            o->getNames(names);
            for (const auto& n : names) {
                if (path.empty() && ignoreUnknownFields_) continue;
                if (!f.field(n))
                    problem(path.empty() ? n : path + "." + n, codes::kFieldUnknown,
                            "The template has no field \"" + n + "\" here.");
            }
            for (const auto& [n, sub] : f.fields) {
                std::string p = path.empty() ? n : path + "." + n;
                Var child = o->has(n) ? o->get(n) : Var();
                // An empty list or object is blank only where a list or object belongs;
                // elsewhere it is the wrong type.
                const bool list = sub->type == FieldType::Array || sub->type == FieldType::Choices;
                const bool object = sub->type == FieldType::Object ||
                                    sub->type == FieldType::Yearly || sub->type == FieldType::Map;
                const bool blank = isArray(child)    ? list && isBlank(child)
                                   : isObject(child) ? object && isBlank(child)
                                                     : isBlank(child);
                if (blank) {
                    if (sub->required)
                        problem(p, codes::kFieldRequired, sub->name(p) + " is required.");
                    continue;
                }
                check(*sub, child, p, out);
            }
            return;
        }
        case FieldType::Array:
        case FieldType::Choices: {
            auto a = asArray(v);
            if (!a) return problem(path, codes::kFieldType, f.name(path) + " must be a list.");
            if (f.maxItems && a->size() > f.maxItems) {
                problem(path, codes::kFieldTooMany,
                        f.name(path) + " has " + std::to_string(a->size()) + " entries; at most " +
                            std::to_string(f.maxItems) + " are allowed.");
            }
            if (a->size() < f.minItems) {
                problem(
                    path, codes::kFieldTooFew,
                    f.name(path) + " needs at least " + std::to_string(f.minItems) + " entries.");
            }
            std::vector<std::string> seen;
            for (std::size_t i = 0; i < a->size(); ++i) {
                std::string p = path + "." + std::to_string(i);
                Var item = a->get(static_cast<unsigned>(i));
                if (f.type == FieldType::Array) {
                    if (isBlank(item)) {
                        problem(p, codes::kFieldRequired, f.name(path) + " has an empty entry.");
                    } else {
                        check(*f.items, item, p, out);
                    }
                    continue;
                }
                if (!item.isString() || !f.list->find(item.convert<std::string>())) {
                    problem(p, codes::kFieldNotInList,
                            f.name(path) + ": " + describe(item) + " is not one of the options.");
                    continue;
                }
                if (std::find(seen.begin(), seen.end(), item.convert<std::string>()) !=
                    seen.end()) {
                    problem(p, codes::kFieldDuplicate,
                            f.name(path) + ": " + describe(item) + " is chosen twice.");
                }
                seen.push_back(item.convert<std::string>());
            }
            return;
        }
        case FieldType::Yearly:
        case FieldType::Map: {
            bool yearly = f.type == FieldType::Yearly;
            auto o = asObject(v);
            if (!o) return problem(path, codes::kFieldType, f.name(path) + " must be an object.");
            std::vector<std::string> names;
            o->getNames(names);
            std::vector<std::string> allowed = f.keys;
            if (yearly) {
                allowed.clear();
                for (int y : years_) allowed.push_back(std::to_string(y));
            }
            for (const auto& n : names) {
                if (std::find(allowed.begin(), allowed.end(), n) == allowed.end()) {
                    if (yearly) {
                        problem(path + "." + n, codes::kFieldYear,
                                f.name(path) + " is reported for the " +
                                    std::to_string(years_.size()) + " consecutive years " +
                                    allowed.front() + "–" + allowed.back() + ", not " + n + ".");
                    } else {
                        problem(path + "." + n, codes::kFieldUnknown,
                                "The template has no entry \"" + n + "\" here.");
                    }
                }
            }
            for (const auto& key : allowed) {
                std::string p = path + "." + key;
                Var child = o->has(key) ? o->get(key) : Var();
                if (isBlank(child)) {
                    if (yearly) {
                        problem(p, codes::kFieldYearMissing,
                                f.name(path) + " needs all " + std::to_string(years_.size()) +
                                    " consecutive years " + allowed.front() + "–" + allowed.back() +
                                    "; " + key + " is missing.");
                    }
                    continue;
                }
                check(*f.of, child, p, out);
            }
            return;
        }
        case FieldType::Number:
        case FieldType::Integer: {
            if (!v.isNumeric() || v.isString() || v.isBoolean()) {
                return problem(path, codes::kFieldNotANumber, f.name(path) + " must be a number.");
            }
            double d = v.convert<double>();
            if (!std::isfinite(d))
                return problem(path, codes::kFieldNotANumber,
                               f.name(path) + " must be a finite number.");
            if (f.type == FieldType::Integer && !v.isInteger() && d != std::floor(d)) {
                return problem(path, codes::kFieldNotAnInteger,
                               f.name(path) + " must be a whole number.");
            }
            // Every number stays within what a double holds exactly (and what JSON parsers
            // agree on, RFC 7493 §2.2), whatever the template allows: beyond it a value would
            // print as another number than the one sent.
            const bool belowTemplate = f.min && d < *f.min, aboveTemplate = f.max && d > *f.max;
            if (belowTemplate || aboveTemplate) {
                std::string range = f.min && f.max ? "between " + formatNumber(*f.min) + " and " +
                                                         formatNumber(*f.max)
                                    : f.min ? "at least " + formatNumber(*f.min)
                                            : "at most " + formatNumber(*f.max);
                problem(path, codes::kFieldRange, f.name(path) + " must be " + range + ".");
            } else if (std::fabs(d) > kSafeInteger) {
                problem(path, codes::kFieldRange,
                        f.name(path) + " must be between " + formatNumber(-kSafeInteger) + " and " +
                            formatNumber(kSafeInteger) + ".");
            }
            return;
        }
        case FieldType::String:
        case FieldType::Text:
        case FieldType::CreditCode:
        case FieldType::Choice:
        case FieldType::Date:
        case FieldType::Mobile:
        case FieldType::Telephone:
        case FieldType::Email:
        case FieldType::Postcode:
        case FieldType::Url:
            break;
    }
    auto s = stringValue();
    if (!s) return;
    switch (f.type) {
        case FieldType::CreditCode: {
            auto checked = CreditCode::check(*s);
            if (!checked.valid) {
                problem(path, codes::kFieldCreditCode,
                        f.name(path) + " is not a valid 统一社会信用代码 (" +
                            std::string(CreditCode::problemName(checked.problem)) + ").");
            }
            break;
        }
        case FieldType::Choice:
            if (!f.list->find(*s))
                problem(path, codes::kFieldNotInList,
                        f.name(path) + ": " + describe(Var(*s)) + " is not one of the options.");
            break;
        case FieldType::Date:
            if (!chineseDate(*s))
                problem(path, codes::kFieldDate,
                        f.name(path) + " must be a date written YYYY-MM-DD.");
            break;
        case FieldType::Mobile: {
            static const std::regex mobile(R"(^1[3-9]\d{9}$)");
            if (!std::regex_match(*s, mobile))
                problem(path, codes::kFieldMobile,
                        f.name(path) + " must be an 11-digit mobile number.");
            break;
        }
        case FieldType::Telephone: {
            static const std::regex phone(R"(^\+?[0-9()\- ]{7,24}$)");
            if (!std::regex_match(*s, phone))
                problem(path, codes::kFieldTelephone,
                        f.name(path) + " must be a telephone number.");
            break;
        }
        case FieldType::Email: {
            static const std::regex email(R"(^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$)");
            if (!std::regex_match(*s, email))
                problem(path, codes::kFieldEmail, f.name(path) + " must be an e-mail address.");
            break;
        }
        case FieldType::Postcode: {
            static const std::regex postcode(R"(^\d{6}$)");
            if (!std::regex_match(*s, postcode))
                problem(path, codes::kFieldPostcode, f.name(path) + " must be a 6-digit postcode.");
            break;
        }
        case FieldType::Url:
            // https only: what the URL leads to is the public proof of a certificate.
            if (s->rfind("https://", 0) != 0 || s->size() <= 8 ||
                s->find_first_of(" \t\r\n") != std::string::npos) {
                problem(path, codes::kFieldUrl, f.name(path) + " must start with https://.");
            }
            break;
        case FieldType::String:
        case FieldType::Text:  // the checks every text gets, in stringValue
            break;
        case FieldType::Object:
        case FieldType::Array:
        case FieldType::Choices:
        case FieldType::Yearly:
        case FieldType::Map:
        case FieldType::Number:
        case FieldType::Integer:  // not text: checked above
            break;
    }
}

}  // namespace dossier::renderers

#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <optional>
#include <string>
#include <vector>

// Reading a template's JSON and the data bound to it: shared by the schema, the binding and
// the layout of DocumentTemplate. Every function here is pure and thread-safe.
namespace dossier::renderers {

/// Throws render.template: "The template is malformed: <what>", `where` as the detail.
[[noreturn]] void templateError(const std::string& where, const std::string& what);

/// A parser whose objects keep the order they were written in (fields, problems and rows
/// follow it).
Poco::JSON::Parser orderedParser();

bool isObject(const Poco::Dynamic::Var& v);
bool isArray(const Poco::Dynamic::Var& v);
/// The object or array in `v`, or null when it is something else.
Poco::JSON::Object::Ptr asObject(const Poco::Dynamic::Var& v);
Poco::JSON::Array::Ptr asArray(const Poco::Dynamic::Var& v);

/// A template's string member, `fallback` when missing or null; render.template when it is
/// not a string.
std::string str(const Poco::JSON::Object::Ptr& o, const std::string& key,
                const std::string& fallback = {});
/// A template's number member, `fallback` when missing or null; render.template when it is
/// not a number.
double num(const Poco::JSON::Object::Ptr& o, const std::string& key, double fallback);
/// True only for a member that is the boolean true.
bool flag(const Poco::JSON::Object::Ptr& o, const std::string& key);

/// "a.b.0" → {"a", "b", "0"}; an empty string is one empty part.
std::vector<std::string> split(const std::string& path, char sep);
bool allDigits(const std::string& s);
/// Without leading and trailing ASCII blanks.
std::string trim(const std::string& s);
/// Characters as people count them in a word limit ("30字以内"): code points, blanks excluded.
std::size_t charCount(const std::string& s);
/// The shortest text that reads back as the same number ("12", "0.5").
std::string formatNumber(const Poco::Dynamic::Var& v);
/// A file size as receipts print it: the exact bytes with thousands separators and, from
/// 1 KB, the size in binary units as file managers show it: "1,234,567 字节（1.2 MB）",
/// "512 字节". Expects a whole number ≥ 0 (anything else prints as formatNumber does).
std::string formatBytes(const Poco::Dynamic::Var& v);
/// A value for a message: text quoted and cut at 40 characters, anything else by its JSON
/// type ("a list"); never throws.
std::string describe(const Poco::Dynamic::Var& v);
/// The JSON text `json` as data (an object, as requests send it); request.number_out_of_range
/// for a number beyond 64-bit integers or doubles, request.malformed for anything that is
/// not a JSON object. `what` names it in the message ("The label data ...").
Poco::Dynamic::Var parseRequestData(const std::string& json, const std::string& what);
/// Missing, blank text, an empty list or an empty object.
bool isBlank(const Poco::Dynamic::Var& v);
/// "2022-06-20" → the date as Chinese forms print it; nullopt when it is not a real
/// YYYY-MM-DD date between 1900 and 2200.
std::optional<std::string> chineseDate(const std::string& iso);

}  // namespace dossier::renderers

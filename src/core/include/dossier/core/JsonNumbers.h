#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace dossier {

/// Throws request.number_out_of_range (422) when the JSON text `json` holds a number that
/// no parser of ours can represent: an integer literal (no fraction, no exponent) outside
/// −2^63 … 2^64−1, or any other number whose magnitude is beyond the largest double
/// (≈ 1.8e308). Poco's JSON parser would refuse the first as "not valid JSON" or, worse,
/// read 18446744073709551616 as 0 and −9223372036854775809 as −2^63, so every request body
/// is scanned with this before it is parsed. A number too small to represent (1e-400) reads
/// as 0 and is accepted. The message names the number (its first 40 characters) and its
/// byte offset; nothing else of the text. Strings are skipped; malformed JSON is left for
/// the parser to refuse. Pure and thread-safe.
void requireRepresentableNumbers(std::string_view json);

/// The text of every number of a JSON document, by its path in the form validation errors
/// name fields: members joined by '.', list elements as [i] ("economics[0].revenue"). Poco's
/// parser keeps only a double, which cannot tell 0.10000000000000001 or 1e-400 from what
/// they round to.
using JsonNumberTexts = std::map<std::string, std::string, std::less<>>;

/// Checks a request body before Poco parses it, for what that parser lets through:
/// request.number_out_of_range (422) as requireRepresentableNumbers, and request.malformed
/// (400) for an object that names a key twice (the parser would keep the last silently; the
/// message names the key, after escapes are read, and the object's path). Returns the text
/// of every number. Malformed JSON is otherwise left for the parser to refuse (the scan stops
/// where it stops making sense). Pure and thread-safe.
JsonNumberTexts inspectJsonBody(std::string_view json);

/// The decimal places of the exact value a JSON number literal stands for, trailing zeros
/// not counted: "100.0" → 0, "1.5e1" → 0, "1.230" → 2, "0.10000000000000001" → 17,
/// "1e-400" → 400 (an exponent beyond ±10^15 counts as 10^15). A literal of zeros is 0.
/// What is not a JSON number gives −1. Pure.
std::int64_t decimalPlaces(std::string_view literal);

}  // namespace dossier

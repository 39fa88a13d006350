#pragma once

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

}  // namespace dossier

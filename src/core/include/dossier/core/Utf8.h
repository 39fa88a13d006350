#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dossier::utf8 {

inline constexpr char32_t kReplacement = 0xFFFD;

/// Decodes UTF-8, replacing every malformed, overlong or surrogate sequence with U+FFFD.
std::u32string decode(std::string_view text);
/// Encodes code points; invalid ones (surrogates, > U+10FFFF) become U+FFFD.
std::string encode(std::u32string_view text);
void append(std::string& out, char32_t cp);
/// "'𠮷' (U+20BB7)": a character for messages.
std::string describe(char32_t cp);
/// True if `text` is well-formed UTF-8.
bool isValid(std::string_view text);

}  // namespace dossier::utf8

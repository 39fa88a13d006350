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
/// Characters no text field of Dossier takes (names, addresses, keywords, comments), line
/// breaks aside, which each field rules on itself: C0 and C1 controls, DEL, U+2028/U+2029,
/// and the invisible format characters that change how the rest reads or hide what is
/// there — bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069, the marks
/// U+200E, U+200F, U+061C: "Trojan Source", CVE-2021-42574, would show a reviewer another
/// name than the one stored), zero-width characters (U+200B–U+200D, U+2060, U+FEFF: a name
/// of nothing visible) and U+FFF9–U+FFFB.
bool isRefusedInText(char32_t c);

}  // namespace dossier::utf8

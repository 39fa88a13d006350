#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace dossier {

/// How many bytes of a value one log line carries (after escaping) before it is cut.
inline constexpr std::size_t kLogValueCap = 256;

/// `value` made safe to put into one `key=value` log line, whatever it holds (a client's
/// text, an exception's message): a log line must stay one line and its fields must stay
/// the fields they appear to be, or an investigation can be misled by what a client sent.
///   - control characters (C0, DEL, C1), the line and paragraph separators U+2028/U+2029
///     and the bidi controls (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C) are
///     written as \n, \r, \t or \uXXXX; bytes that are not UTF-8 as \xNN; a backslash as \\;
///   - a value that is empty or holds a space, '"' or '=' is quoted ("…", \" inside);
///   - the escaped text is cut at `cap` bytes on a character boundary and marked
///     `…(cut, N bytes)` with N the original size, so no line grows with its input.
/// Pure and thread-safe.
std::string logValue(std::string_view value, std::size_t cap = kLogValueCap);

/// " key=<logValue(value)>": one field to append to a log line. `key` is the caller's own
/// constant and is not escaped.
std::string logField(std::string_view key, std::string_view value, std::size_t cap = kLogValueCap);

}  // namespace dossier

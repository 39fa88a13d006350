#include "dossier/renderers/LineBreaker.h"

#include <string_view>

namespace dossier::renderers {
namespace {

// Closing brackets and quotes, pausing and ending punctuation, small kana-like marks.
constexpr std::u32string_view kNoStart =
    U"，。、；：！？）」』》〉】〕｝］〗〙〛”’…‥·・ー～,.;:!?)]}%‰℃°"
    U"\u3001\u3002\uff0c\uff0e";
constexpr std::u32string_view kNoEnd = U"（「『《〈【〔｛［〖〘〚“‘([{￥$#";

}  // namespace

bool LineBreaker::mayNotStartLine(char32_t cp) {
    return kNoStart.find(cp) != std::u32string_view::npos;
}
bool LineBreaker::mayNotEndLine(char32_t cp) {
    return kNoEnd.find(cp) != std::u32string_view::npos;
}

bool LineBreaker::isWordChar(char32_t cp) {
    return (cp >= U'0' && cp <= U'9') || (cp >= U'A' && cp <= U'Z') || (cp >= U'a' && cp <= U'z') ||
           cp == U'.' || cp == U'-' || cp == U'/' || cp == U'_' || cp == U'%' || cp == U':' ||
           cp == U'+' || cp == U'#' || cp == U'@' || cp == U'&' || cp == U'=';
}

std::vector<std::u32string> LineBreaker::breakLines(std::u32string_view text) const {
    std::vector<std::u32string> lines;
    std::u32string line;
    double lineWidth = 0;

    auto widthOf = [&](std::u32string_view s) {
        double w = 0;
        for (char32_t cp : s) w += measure_(cp);
        return w;
    };
    auto trimEnd = [](std::u32string& s) {
        while (!s.empty() && s.back() == U' ') s.pop_back();
    };
    auto finish = [&] {
        trimEnd(line);
        lines.push_back(line);
        line.clear();
        lineWidth = 0;
    };
    // Starts a new line with `carry` (opening punctuation moved down from the last line).
    auto breakBefore = [&] {
        std::u32string carry;
        while (!line.empty() && mayNotEndLine(line.back())) {
            carry.insert(carry.begin(), line.back());
            line.pop_back();
        }
        if (line.empty()) {  // nothing but opening marks: keep them, break anyway
            line = carry;
            carry.clear();
        }
        finish();
        line = carry;
        lineWidth = widthOf(line);
    };

    // The width of the line being filled (the first may be indented).
    auto limit = [&] { return lines.empty() ? firstWidth_ : width_; };
    std::size_t i = 0;
    while (i < text.size()) {
        char32_t cp = text[i];
        if (cp == U'\n') {
            finish();
            ++i;
            continue;
        }
        // The next unit: a whole word run, or one character.
        std::size_t end = i + 1;
        if (isWordChar(cp)) {
            while (end < text.size() && isWordChar(text[end])) ++end;
        }
        std::u32string_view unit = text.substr(i, end - i);
        double w = widthOf(unit);
        if (line.empty() && unit == U" ") {  // no leading spaces
            i = end;
            continue;
        }
        if (lineWidth + w <= limit() || line.empty()) {
            if (w > limit() && unit.size() > 1) {
                // A run longer than a whole line: split it by characters.
                for (char32_t c : unit) {
                    double cw = measure_(c);
                    if (lineWidth + cw > limit() && !line.empty()) finish();
                    line += c;
                    lineWidth += cw;
                }
            } else {
                line += unit;
                lineWidth += w;
            }
            i = end;
            continue;
        }
        if (unit.size() == 1 && mayNotStartLine(cp)) {
            if (lineWidth <= limit()) {
                // Hanging punctuation: one mark stays on this line, past the edge.
                line += cp;
                lineWidth += w;
                i = end;
                continue;
            }
            // A second mark would hang too: push the last character (with the marks after
            // it) down instead, so the mark starts no line and no line overflows by more.
            std::u32string moved;
            while (!line.empty() && mayNotStartLine(line.back())) {
                moved.insert(moved.begin(), line.back());
                line.pop_back();
            }
            if (line.empty()) {
                // Nothing but marks on the line (a very narrow column): let them hang.
                line = moved + cp;
                lineWidth = widthOf(line);
                i = end;
                continue;
            }
            moved.insert(moved.begin(), line.back());
            line.pop_back();
            finish();
            line = moved;
            lineWidth = widthOf(line);
            continue;
        }
        breakBefore();
    }
    if (!line.empty() || lines.empty()) finish();
    return lines;
}

}  // namespace dossier::renderers

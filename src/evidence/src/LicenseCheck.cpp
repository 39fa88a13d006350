#include "dossier/evidence/LicenseCheck.h"

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <sstream>

#include <leptonica/allheaders.h>

#include "PageImageImpl.h"
#include "dossier/core/CreditCode.h"
#include "dossier/core/Utf8.h"

namespace dossier::evidence {
namespace {

constexpr int kLocateLongSide = 1600;
constexpr int kOsdLongSide = 900;

std::string squeeze(std::string_view text) {
    std::string out;
    for (char32_t cp : utf8::decode(text)) {
        if (cp == U' ' || cp == 0x3000 || cp == U'\t') continue;
        utf8::append(out, cp);
    }
    return out;
}

bool isCodeLabel(const std::string& squeezed) {
    for (const char* key : {"信用代码", "社会信用", "统一社会", "用代码"}) {
        if (squeezed.find(key) != std::string::npos) return true;
    }
    return false;
}

/// Letters OCR reads for a digit (and the other way round) in the code's face.
constexpr std::string_view kDigitLookalikes = "ABDGJLQTU";

/// The shape of a credit code: registering authority, entity type, then the six-digit
/// administrative-division code (a letter there that OCR confuses with a digit is let through,
/// for the check character to settle). Text misread by a whitelisted OCR pass rarely has it.
bool looksLikeCode(const std::string& c) {
    if (c.size() != 18 || std::string_view("123456789ANYT").find(c[0]) == std::string_view::npos) {
        return false;
    }
    int lookalikes = 0;
    for (std::size_t i = 1; i < 8; ++i) {
        if (c[i] >= '0' && c[i] <= '9') continue;
        if (kDigitLookalikes.find(c[i]) == std::string_view::npos || ++lookalikes > 2) return false;
    }
    return true;
}

/// Valid by GB 32100 and shaped as issued (digits where the division code stands).
bool isValidCode(const std::string& c) {
    if (!CreditCode::isValid(c)) return false;
    for (std::size_t i = 1; i < 8; ++i) {
        if (c[i] < '0' || c[i] > '9') return false;
    }
    return true;
}

struct CodeCandidate {
    std::string code;
    bool valid = false;
    PixelRect box;  // full-resolution coordinates of the upright page
    const char* readBy = "first_reading";
};

/// Tokens of an eng-pass line, and runs of up to four adjacent tokens (OCR splits codes),
/// whose normalized form is exactly 18 characters.
void candidatesFromLine(const OcrLine& line, const PixelRect& offset,
                        std::vector<CodeCandidate>& out) {
    std::istringstream in(line.text);
    std::vector<std::string> tokens;
    std::string t;
    while (in >> t) {
        std::string n = CreditCode::normalize(t);
        // Only runs of the code alphabet can be (parts of) a code; punctuation splits them.
        std::string run;
        for (char c : n) {
            if (CreditCode::kAlphabet.find(c) != std::string_view::npos) {
                run += c;
            } else if (!run.empty()) {
                tokens.push_back(run);
                run.clear();
            }
        }
        if (!run.empty()) tokens.push_back(run);
    }
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        std::string joined;
        for (std::size_t j = i; j < tokens.size() && j < i + 4; ++j) {
            joined += tokens[j];
            if (joined.size() == 18 && looksLikeCode(joined)) {
                CodeCandidate c;
                c.code = joined;
                c.valid = isValidCode(joined);
                c.box = {offset.x + line.box.x, offset.y + line.box.y, line.box.width,
                         line.box.height};
                out.push_back(c);
            }
            if (joined.size() >= 18) break;
        }
        // A long run that holds a valid code inside (label glyphs read as letters).
        const std::string& tok = tokens[i];
        if (tok.size() > 18) {
            for (std::size_t k = 0; k + 18 <= tok.size(); ++k) {
                std::string window = tok.substr(k, 18);
                if (looksLikeCode(window) && isValidCode(window)) {
                    out.push_back({window,
                                   true,
                                   {offset.x + line.box.x, offset.y + line.box.y, line.box.width,
                                    line.box.height}});
                }
            }
        }
    }
}

/// The labels of the fields that share the 名称 line or follow it.
bool isOtherFieldLabel(const std::string& squeezed) {
    for (const char* key : {"注册资本", "成立日期", "住所", "类型", "法定代表人", "经营范围",
                            "营业期限", "经营场所", "负责人", "执行事务合伙人"}) {
        if (squeezed.rfind(key, 0) == 0) return true;
    }
    return false;
}

std::string stripLeadingPunctuation(const std::string& s) {
    auto cps = utf8::decode(s);
    std::size_t i = 0;
    while (i < cps.size() &&
           std::u32string_view(U":：“”\"'`‘’·.,，、|").find(cps[i]) != std::u32string_view::npos) {
        ++i;
    }
    std::string out;
    for (; i < cps.size(); ++i) utf8::append(out, cps[i]);
    return out;
}

/// The 名称 field: its label and the blocks of its value.
struct NameField {
    bool found = false;
    PixelRect label;              // the line holding the label
    int labelEnd = 0;             // x where the label ends and the value may start
    std::string text;             // the value, blanks removed, blocks joined left to right
    std::vector<OcrLine> blocks;  // the value's blocks (a seal over the name splits it)
};

/// The value of the 名称 field: the text after "名称" on its line, then the blocks to the right
/// on the same baseline that follow closely (sparse-text OCR reads "名      称" and its value
/// as separate lines, and splits a name a seal is stamped over), up to the next field.
NameField nameFieldOf(const std::vector<OcrLine>& lines) {
    for (const auto& line : lines) {
        std::string sq = squeeze(line.text);
        auto pos = sq.find("名称");
        std::size_t labelLength = 6;
        // The spaced label read apart: "名" alone, then "称" opening the value's line.
        if (pos == std::string::npos && sq.rfind("称", 0) == 0) pos = 0, labelLength = 3;
        NameField f;
        f.labelEnd = line.box.x + line.box.width;
        if (pos != std::string::npos) {
            f.text = stripLeadingPunctuation(sq.substr(pos + labelLength));
            if (!f.text.empty()) {
                f.blocks.push_back(line);
                for (const auto& symbol : line.symbols) {
                    if (symbol.text == "称") {
                        f.labelEnd = symbol.box.x + symbol.box.width;
                        break;
                    }
                }
            }
        } else {
            auto cps = utf8::decode(sq);
            if (cps.empty() || cps.size() > 2 || cps.back() != U'称') continue;
        }
        f.found = true;
        f.label = line.box;
        // The label's own glyphs give the line's height and place: the line's box also takes
        // in whatever OCR joined to it (the arc of a seal stamped over the value, a piece of
        // the next line), and a box twice too tall puts the seal probe on the neighbouring lines.
        int top = INT_MAX, bottom = INT_MIN;
        for (const auto& symbol : line.symbols) {
            if (symbol.text != "名" && symbol.text != "称") continue;
            top = std::min(top, symbol.box.y);
            bottom = std::max(bottom, symbol.box.y + symbol.box.height);
        }
        if (bottom > top && bottom - top < f.label.height) {
            f.label.y = top;
            f.label.height = bottom - top;
        }
        const int h = std::max(line.box.height, 8);
        std::vector<const OcrLine*> right;
        for (const auto& other : lines) {
            if (&other == &line || other.box.x < line.box.x + line.box.width - h / 2) continue;
            int top = std::max(other.box.y, line.box.y);
            int bottom = std::min(other.box.y + other.box.height, line.box.y + line.box.height);
            if (bottom - top > std::min(line.box.height, other.box.height) / 3) {
                right.push_back(&other);
            }
        }
        std::sort(right.begin(), right.end(),
                  [](const OcrLine* x, const OcrLine* y) { return x->box.x < y->box.x; });
        int edge = line.box.x + line.box.width;
        for (const OcrLine* b : right) {
            // The label is spaced out and set apart from its value; the value's own blocks
            // follow each other closely; the next column is far.
            int gap = b->box.x - edge;
            if (gap > (f.blocks.empty() ? 9 : 3) * h) break;
            std::string t = squeeze(b->text);
            if (isOtherFieldLabel(t)) break;
            f.text += t;
            f.blocks.push_back(*b);
            edge = std::max(edge, b->box.x + b->box.width);
        }
        return f;
    }
    return {};
}

/// The line the name sits on: its centre y = a + slope·x (a sheet fed askew tilts it) and
/// the height of its characters.
struct NameLine {
    double a = 0, slope = 0;
    int height = 8;
    double centreAt(int x) const { return a + slope * x; }
};

/// Fitted through the label and the value's characters of ordinary height (a seal stamped
/// over the name makes some OCR boxes taller than the print). The label read on its own is
/// the best measure of the height: nothing is stamped over it.
NameLine nameLineOf(const NameField& field) {
    std::vector<int> heights;
    for (const auto& b : field.blocks) {
        for (const auto& symbol : b.symbols) {
            if (symbol.box.x >= field.labelEnd) heights.push_back(symbol.box.height);
        }
    }
    NameLine line;
    line.height = std::max(field.label.height, 8);
    line.a = field.label.y + field.label.height / 2.0;
    if (heights.size() < 3) return line;
    std::nth_element(heights.begin(), heights.begin() + long(heights.size() / 2), heights.end());
    const int median = heights[heights.size() / 2];
    bool labelAlone = field.blocks.empty() || field.blocks.front().box.x != field.label.x;
    if (!labelAlone) line.height = std::max(std::min(median, field.label.height), 8);
    std::vector<std::pair<double, double>> points;
    if (labelAlone) points.push_back({field.label.x + field.label.width / 2.0, line.a});
    for (const auto& b : field.blocks) {
        for (const auto& symbol : b.symbols) {
            if (symbol.box.x < field.labelEnd || std::abs(symbol.box.height - median) > median / 3)
                continue;
            // Off the label's line: a piece of the seal, or of the next line.
            double centre = symbol.box.y + symbol.box.height / 2.0;
            if (labelAlone && std::abs(centre - line.a) > 0.6 * line.height) continue;
            points.push_back(
                {symbol.box.x + symbol.box.width / 2.0, symbol.box.y + symbol.box.height / 2.0});
        }
    }
    if (points.size() < 3) return line;
    double sx = 0, sy = 0, sxx = 0, sxy = 0, n = double(points.size());
    for (const auto& [x, y] : points) sx += x, sy += y, sxx += x * x, sxy += x * y;
    double denominator = n * sxx - sx * sx;
    if (std::abs(denominator) < 1e-6) return line;
    double slope = (n * sxy - sx * sy) / denominator;
    if (std::abs(slope) > 0.08) return line;  // over ~4.5°: a misfit, not a tilt
    line.slope = slope;
    line.a = (sy - slope * sx) / n;
    return line;
}

/// Where the value's first character was read: the label is set apart from it by a gap of
/// a few characters, which a width reckoned from the label's end would leave out at the end.
int valueStart(const NameField& field) {
    int start = INT_MAX;
    for (const auto& b : field.blocks) {
        for (const auto& symbol : b.symbols) {
            if (symbol.box.x >= field.labelEnd) start = std::min(start, symbol.box.x);
        }
    }
    return start == INT_MAX ? field.labelEnd : start;
}

/// Ink in the blank bands just above and below the name's line, across [x0, x1): what a
/// seal stamped over the line leaves (its ring and its text reach beyond the line), where
/// clean print leaves paper. The bands follow the line's tilt. Returns the horizontal extent
/// of that ink, if there is enough of it.
std::optional<std::pair<int, int>> inkAroundLine(const PageImage& page, const NameLine& line,
                                                 int x0, int x1) {
    const int h = line.height;
    if (x1 - x0 < h) return std::nullopt;
    // Paper, from the whole neighbourhood of the name (a small piece may be all seal).
    l_uint32 paper = 255;
    {
        int yc = static_cast<int>(line.centreAt((x0 + x1) / 2));
        PageImage around = page.cropped({x0, yc - 2 * h, x1 - x0, 4 * h});
        pixGetRankValue(around.impl().pix, 2, 0.9f, &paper);
    }
    const int threshold = std::max(static_cast<int>(paper) - 60, 20);
    std::vector<int> inkByColumn(static_cast<std::size_t>(x1 - x0), 0);
    long area = 0, inked = 0;
    const int step = std::max(h, 16);
    for (int x = x0; x < x1; x += step) {
        const int width = std::min(step, x1 - x);
        const double yc = line.centreAt(x + width / 2);
        for (int side = 0; side < 2; ++side) {
            int top = side == 0 ? static_cast<int>(yc - h / 2.0 - h * 0.7)
                                : static_cast<int>(yc + h / 2.0 + h * 0.2);
            PixelRect band{x, top, width, h / 2};
            if (band.y < 0 || band.y + band.height > page.height()) continue;
            PageImage crop = page.cropped(band);
            Pix* binary = pixThresholdToBinary(crop.impl().pix, threshold);
            Pix* opened = binary ? pixOpenBrick(nullptr, binary, 2, 2) : nullptr;
            pixDestroy(&binary);
            if (opened == nullptr) continue;
            NUMA* columns = pixCountPixelsByColumn(opened);
            pixDestroy(&opened);
            if (columns == nullptr) continue;
            for (int i = 0; i < numaGetCount(columns) && x - x0 + i < int(inkByColumn.size());
                 ++i) {
                l_float32 count = 0;
                numaGetFValue(columns, i, &count);
                inkByColumn[std::size_t(x - x0 + i)] += static_cast<int>(count);
                inked += static_cast<long>(count);
            }
            numaDestroy(&columns);
            area += long(band.width) * band.height;
        }
    }
    // The extent of the bulk of the ink (stray specks beyond it do not widen it).
    int first = -1, last = -1;
    long seen = 0;
    for (std::size_t x = 0; x < inkByColumn.size(); ++x) {
        seen += inkByColumn[x];
        if (first < 0 && seen > inked / 50) first = x0 + int(x);
        if (last < 0 && seen >= inked - inked / 50) last = x0 + int(x);
    }
    if (std::getenv("DOSSIER_DEBUG_OCR")) {
        std::fprintf(stderr,
                     "ink around the name (h %d, slope %.3f): %ld px of %ld (%.2f%%), x %d-%d\n", h,
                     line.slope, inked, area, area ? 100.0 * inked / area : 0.0, first, last);
    }
    if (area == 0 || inked < area / 100) return std::nullopt;
    return std::make_pair(first, last);
}

void debugField(const char* what, const NameField& f) {
    std::fprintf(stderr, "name field (%s): label %d,%d %dx%d, ends at x %d, text '%s'\n", what,
                 f.label.x, f.label.y, f.label.width, f.label.height, f.labelEnd, f.text.c_str());
    for (const auto& b : f.blocks) {
        std::fprintf(stderr, "  block %d,%d %dx%d '%s':", b.box.x, b.box.y, b.box.width,
                     b.box.height, b.text.c_str());
        for (const auto& s : b.symbols) {
            std::fprintf(stderr, " %s(%d,%d %dx%d c%.0f)", s.text.c_str(), s.box.x, s.box.y,
                         s.box.width, s.box.height, s.confidence);
        }
        std::fprintf(stderr, "\n");
    }
}

struct Attempt {
    std::vector<OcrLine> lines;  // chi_sim lines, full-resolution coordinates
    std::optional<PixelRect> label;
    std::vector<CodeCandidate> candidates;
    NameField name;
};

PixelRect scaleBox(const PixelRect& b, double inverse) {
    return {static_cast<int>(b.x * inverse), static_cast<int>(b.y * inverse),
            static_cast<int>(b.width * inverse), static_cast<int>(b.height * inverse)};
}

Attempt readUpright(OcrEngine& ocr, const PageImage& page) {
    Attempt a;
    double scale = std::min(1.0, double(kLocateLongSide) / std::max(page.width(), page.height()));
    PageImage small = page.scaled(scale);
    auto lines = ocr.readLines(small);
    for (auto& line : lines) {
        line.box = scaleBox(line.box, 1.0 / scale);
        for (auto& symbol : line.symbols) symbol.box = scaleBox(symbol.box, 1.0 / scale);
        std::string sq = squeeze(line.text);
        if (!a.label && isCodeLabel(sq)) a.label = line.box;
    }
    a.name = nameFieldOf(lines);
    if (std::getenv("DOSSIER_DEBUG_OCR") &&
        std::string_view(std::getenv("DOSSIER_DEBUG_OCR")) == "2") {
        for (const auto& line : lines) {
            std::fprintf(stderr, "  line %d,%d %dx%d c%.0f '%s'\n", line.box.x, line.box.y,
                         line.box.width, line.box.height, line.confidence, line.text.c_str());
        }
    }
    a.lines = std::move(lines);

    auto alnumCount = [](const std::string& text) {
        int n = 0;
        for (char c : CreditCode::normalize(text)) {
            n += CreditCode::kAlphabet.find(c) != std::string_view::npos;
        }
        return n;
    };
    // A line that may hold the code, widened: the locate pass often reads only part of it.
    auto widened = [&](const PixelRect& b) {
        int h = std::max(b.height, 12);
        return PixelRect{b.x - 12 * h, b.y - h / 2, b.width + 24 * h, h * 2};
    };
    std::vector<PixelRect> regions;
    if (a.label) {
        const auto& l = *a.label;
        int lh = std::max(l.height, 12);
        // Right of the label, on its line.
        regions.push_back({l.x - lh, l.y - lh / 2, page.width() - l.x + lh, lh * 2});
        // Lines just below the label that hold letters or digits.
        for (const auto& line : a.lines) {
            if (line.box.y > l.y && line.box.y < l.y + 4 * lh && alnumCount(line.text) >= 6) {
                regions.push_back(widened(line.box));
            }
        }
        // The band below the label, from the left margin.
        regions.push_back({std::max(0, l.x - 10 * lh), l.y + l.height - lh / 4,
                           page.width() / 2 + 10 * lh, lh * 3});
    }
    // Anywhere on the page: lines that look like a code (many letters and digits).
    for (const auto& line : a.lines) {
        if (alnumCount(line.text) >= 10 && regions.size() < 10)
            regions.push_back(widened(line.box));
    }
    for (const auto& r : regions) {
        PageImage crop = page.cropped(r);
        PixelRect origin{std::max(r.x, 0), std::max(r.y, 0), 0, 0};
        for (const auto& line : ocr.readCodeRegion(crop))
            candidatesFromLine(line, origin, a.candidates);
        if (std::any_of(a.candidates.begin(), a.candidates.end(),
                        [](auto& c) { return c.valid; })) {
            break;
        }
    }
    // The chi_sim lines themselves, as a last resort.
    for (const auto& line : a.lines) candidatesFromLine(line, {0, 0, 0, 0}, a.candidates);
    return a;
}

bool hasValid(const Attempt& a) {
    return std::any_of(a.candidates.begin(), a.candidates.end(), [](auto& c) { return c.valid; });
}

/// Second readings of the code's line, only when the first failed its check character: the
/// line cut out with a margin, enlarged or reduced, and binarized three ways (Tesseract's own
/// global Otsu loses strokes under uneven light, blur and JPEG noise). Stops at the first
/// reading that passes GB 32100; every reading joins `a.candidates`.
void rereadCode(OcrEngine& ocr, const PageImage& upright, Attempt& a) {
    std::vector<PixelRect> boxes;
    for (const auto& c : a.candidates) {
        if (c.valid || c.box.width <= 0 || boxes.size() >= 3) continue;
        bool seen = std::any_of(boxes.begin(), boxes.end(), [&](const PixelRect& b) {
            return std::abs(b.y - c.box.y) < std::max(b.height, 8) / 2 &&
                   std::abs(b.x - c.box.x) < std::max(b.height, 8) * 2;
        });
        if (!seen) boxes.push_back(c.box);
    }
    if (boxes.empty() && a.label) {
        const auto& l = *a.label;
        int lh = std::max(l.height, 12);
        boxes.push_back({l.x, l.y + l.height, upright.width() / 3, lh * 2});
        boxes.push_back({l.x + l.width, l.y, upright.width() / 3, lh});
    }
    using B = PageImage::Binarization;
    for (const auto& box : boxes) {
        const int h = std::max(box.height, 12);
        PixelRect r{box.x - h, box.y - h / 2, box.width + 2 * h, box.height + h};
        PageImage crop = upright.cropped(r);
        PixelRect origin{std::max(r.x, 0), std::max(r.y, 0), 0, 0};
        // Tesseract reads best with capitals some 30 px high.
        const double fit = h < 40 ? 2.0 : h > 90 ? 0.5 : 1.5;
        struct Variant {
            double scale;
            std::optional<B> binarization;
        };
        for (const Variant& v :
             {Variant{fit, std::nullopt}, Variant{1.0, B::Sauvola}, Variant{1.0, B::Otsu},
              Variant{1.0, B::Normalized}, Variant{fit, B::Sauvola}, Variant{0.75, std::nullopt}}) {
            PageImage image = crop.scaled(v.scale);
            if (v.binarization) image = image.binarized(*v.binarization);
            std::size_t before = a.candidates.size();
            for (auto line : ocr.readCodeRegion(image)) {
                line.box = scaleBox(line.box, 1.0 / v.scale);
                candidatesFromLine(line, origin, a.candidates);
            }
            for (std::size_t i = before; i < a.candidates.size(); ++i) {
                a.candidates[i].readBy = "second_reading";
            }
            if (hasValid(a)) return;
        }
    }
}

/// True if the credit-code label shows in the top 45% of an upright small copy.
bool labelInTopStrip(OcrEngine& ocr, const PageImage& page) {
    PageImage strip = page.cropped({0, 0, page.width(), page.height() * 45 / 100});
    double scale = std::min(1.0, 1100.0 / std::max(strip.width(), strip.height()));
    for (const auto& line : ocr.readLines(strip.scaled(scale))) {
        if (isCodeLabel(squeeze(line.text))) return true;
    }
    return false;
}

enum class NameVerdict { Different, Obscured, Unsure };

/// How many characters of the name as read contradict the filed one: an edit distance in
/// which a character OCR was unsure of costs half — low confidence, or a box overlapping its
/// neighbour's (Tesseract reads one glyph such as 饮 or 管 as two pieces, stacked or side by
/// side) — and so does a filed character nothing was read for (a character the model lacks,
/// such as 𠮷, is dropped, which contradicts nothing). A name misread in a few places is not
/// taken for another company's; one printed four characters apart is.
double contradictions(const NameField& field, std::u32string_view want) {
    struct Read {
        char32_t c;
        PixelRect box;
        bool unsure;
    };
    std::vector<Read> read;
    for (const auto& b : field.blocks) {
        for (const auto& symbol : b.symbols) {
            if (symbol.box.x + symbol.box.width <= field.labelEnd) continue;  // the label
            for (char32_t c : utf8::decode(normalizeOrganizationName(symbol.text))) {
                read.push_back({c, symbol.box, symbol.confidence < 70});
            }
        }
    }
    for (std::size_t i = 0; i + 1 < read.size(); ++i) {
        const auto &l = read[i].box, &r = read[i + 1].box;
        int overlap = std::min(l.x + l.width, r.x + r.width) - std::max(l.x, r.x);
        // Pieces of one glyph overlap much of each other; a box merely drawn too wide
        // (Tesseract's boxes are loose) overlaps little of itself.
        if (overlap > std::max(l.width, r.width) / 3) read[i].unsure = read[i + 1].unsure = true;
    }
    std::vector<double> prev(want.size() + 1), cur(want.size() + 1);
    for (std::size_t j = 0; j <= want.size(); ++j) prev[j] = 0.5 * double(j);
    for (const auto& r : read) {
        const double miss = r.unsure ? 0.5 : 1.0;
        cur[0] = prev[0] + miss;
        for (std::size_t j = 1; j <= want.size(); ++j) {
            cur[j] = std::min({prev[j - 1] + (r.c == want[j - 1] ? 0.0 : miss), prev[j] + miss,
                               cur[j - 1] + 0.5});
        }
        std::swap(prev, cur);
    }
    return prev[want.size()];
}

/// A declared name the page text does not hold closely: clearly different, partly hidden
/// (ink of a seal across the name line, and no block of the name clear of it contradicts the
/// filing), or merely read poorly. A name that differs in four characters or more where
/// nothing hides it is different.
NameVerdict judgeName(const PageImage& upright, const NameField& field, std::u32string_view want) {
    if (!field.found) return NameVerdict::Unsure;
    if (std::getenv("DOSSIER_DEBUG_OCR")) debugField("judged", field);
    auto read = utf8::decode(normalizeOrganizationName(field.text));
    const NameLine line = nameLineOf(field);
    const int h = line.height;
    int x0 = field.labelEnd;
    int x1 = x0;
    for (const auto& b : field.blocks) x1 = std::max(x1, b.box.x + b.box.width);
    x1 = std::max<int>(x1, valueStart(field) + static_cast<int>(want.size() + 2) * h);
    auto ink = inkAroundLine(upright, line, x0, std::min(x1, upright.width()));
    if (ink) {
        // Only characters clear of the seal can contradict the filing: each run of them
        // must be part of the filed name.
        std::vector<std::u32string> runs(1);
        for (const auto& b : field.blocks) {
            for (const auto& symbol : b.symbols) {
                if (symbol.box.x < x0) continue;  // the label
                bool clear = symbol.box.x + symbol.box.width < ink->first - h / 2 ||
                             symbol.box.x > ink->second + h / 2;
                if (!clear) {
                    if (!runs.back().empty()) runs.emplace_back();
                    continue;
                }
                runs.back() += utf8::decode(normalizeOrganizationName(symbol.text));
            }
        }
        for (const auto& run : runs) {
            if (std::getenv("DOSSIER_DEBUG_OCR")) {
                std::fprintf(stderr, "name run clear of the seal: %s\n", utf8::encode(run).c_str());
            }
            // What shows contradicts the filing in three characters, or in half of a short
            // run (a seal over a short name leaves two or three of the four in sight); two
            // rare characters misread in a longer run (鑫淼 as 完箔) do not make another name.
            const int n = static_cast<int>(run.size());
            const int allowed = n < 6 ? (n - 1) / 2 : std::max(2, n / 4);
            if (n >= 3 && !approximatelyContains(want, run, allowed)) {
                return NameVerdict::Different;
            }
        }
        return NameVerdict::Obscured;
    }
    double d = contradictions(field, want);
    if (std::getenv("DOSSIER_DEBUG_OCR")) {
        std::fprintf(stderr, "name contradictions %.1f\n", d);
    }
    double similarity = 1.0 - d / double(std::max(read.size(), want.size()));
    // A fragment of the declared name (OCR lost part of the line) is no contradiction.
    bool fragment =
        approximatelyContains(want, read, std::max<int>(1, static_cast<int>(read.size()) / 5));
    if (read.size() >= 4 && !fragment && (d >= 3.5 || similarity < 0.5)) {
        return NameVerdict::Different;
    }
    return NameVerdict::Unsure;
}

/// The name's line read again on its own at full resolution (the locate pass reads a reduced
/// page, where 饮, 管 or 鑫 are a few pixels of strokes): the value's blocks replaced by what
/// this reading gives, in page coordinates.
NameField rereadName(OcrEngine& ocr, const PageImage& upright, const NameField& field,
                     std::size_t nameLength, double glyphPx) {
    const NameLine line = nameLineOf(field);
    const int h = line.height;
    int x0 = field.labelEnd + h / 4;
    int x1 = valueStart(field) + static_cast<int>(nameLength + 2) * h;
    for (const auto& b : field.blocks) x1 = std::max(x1, b.box.x + b.box.width + h / 2);
    x1 = std::min(x1, upright.width());
    double y0 = std::min(line.centreAt(x0), line.centreAt(x1)) - h;
    double y1 = std::max(line.centreAt(x0), line.centreAt(x1)) + h;
    PixelRect r{x0, static_cast<int>(y0), x1 - x0, static_cast<int>(y1 - y0)};
    double scale = std::clamp(glyphPx / h, 0.5, 2.0);
    PageImage crop = upright.cropped(r).scaled(scale);
    NameField out = field;
    out.blocks.clear();
    out.text.clear();
    for (auto l : ocr.readLine(crop)) {
        auto place = [&](PixelRect& b) {
            b = scaleBox(b, 1.0 / scale);
            b.x += std::max(r.x, 0);
            b.y += std::max(r.y, 0);
        };
        place(l.box);
        for (auto& symbol : l.symbols) place(symbol.box);
        // The end of the label, when the line was cut out from before it (the label was not
        // read, only a piece of the name): 称 and its colon are not part of the name.
        if (out.blocks.empty()) {
            std::size_t skip = 0;
            while (skip < l.symbols.size() &&
                   (l.symbols[skip].text == "名" || l.symbols[skip].text == "称" ||
                    stripLeadingPunctuation(l.symbols[skip].text).empty())) {
                out.labelEnd =
                    std::max(out.labelEnd, l.symbols[skip].box.x + l.symbols[skip].box.width);
                ++skip;
            }
            if (skip > 0) {
                l.symbols.erase(l.symbols.begin(), l.symbols.begin() + long(skip));
                l.text.clear();
                for (const auto& symbol : l.symbols) l.text += symbol.text;
            }
        }
        out.text += stripLeadingPunctuation(squeeze(l.text));
        out.blocks.push_back(std::move(l));
    }
    return out;
}

/// Without a 名称 label (a seal stamped over it), its place: one line above 类型 as far as
/// 法定代表人 is below it, the value starting where 类型's label ends.
NameField nameFieldAbove(const std::vector<OcrLine>& lines) {
    const OcrLine* type = nullptr;
    const OcrLine* representative = nullptr;
    for (const auto& line : lines) {
        std::string sq = squeeze(line.text);
        if (!type && (sq.rfind("类型", 0) == 0 || sq == "类")) type = &line;
        if (!representative && sq.rfind("法定代表", 0) == 0) representative = &line;
    }
    if (!type || !representative || representative->box.y <= type->box.y) return {};
    const int step = representative->box.y - type->box.y;
    const int h = std::max(type->box.height, 8);
    if (step > 4 * h) return {};
    int labelEnd = type->box.x + type->box.width;
    for (const auto& line : lines) {
        for (const auto& symbol : line.symbols) {
            if (symbol.text == "型" && std::abs(symbol.box.y - type->box.y) < h &&
                symbol.box.x >= type->box.x) {
                labelEnd = std::max(labelEnd, symbol.box.x + symbol.box.width);
            }
        }
    }
    NameField f;
    f.found = true;
    f.label = {type->box.x, type->box.y - step, labelEnd - type->box.x, type->box.height};
    f.labelEnd = labelEnd;
    return f;
}

/// Without a 名称 label (a seal over it), the line that holds most of the filed name stands
/// for the field: it only says where to look; what it says is judged as read.
NameField nameFieldNear(const std::vector<OcrLine>& lines, std::u32string_view want) {
    NameField best;
    std::size_t longest = 3;
    for (const auto& line : lines) {
        auto text = utf8::decode(normalizeOrganizationName(squeeze(line.text)));
        // A piece of the name, four characters or more, nearly as filed.
        if (text.size() <= longest ||
            !approximatelyContains(want, text, static_cast<int>(text.size() / 4))) {
            continue;
        }
        longest = text.size();
        best.found = true;
        best.blocks = {line};
    }
    if (!best.found) return best;
    // The rest of the name's line: the blocks beside the piece on the same row that follow
    // it closely (a skewed, low-resolution line is read in pieces, some of them garbled).
    const OcrLine piece = best.blocks.front();
    const int h = std::max(piece.box.height, 8);
    int left = piece.box.x, right = piece.box.x + piece.box.width;
    for (bool grew = true; grew;) {
        grew = false;
        for (const auto& other : lines) {
            int top = std::max(other.box.y, piece.box.y);
            int bottom = std::min(other.box.y + other.box.height, piece.box.y + piece.box.height);
            if (bottom - top <= std::min(piece.box.height, other.box.height) / 3) continue;
            if (other.box.x >= left && other.box.x + other.box.width <= right) continue;
            bool before = other.box.x < left && left - (other.box.x + other.box.width) < 2 * h;
            bool after = other.box.x + other.box.width > right && other.box.x - right < 2 * h;
            if (!before && !after) continue;
            best.blocks.push_back(other);
            left = std::min(left, other.box.x);
            right = std::max(right, other.box.x + other.box.width);
            grew = true;
        }
    }
    std::sort(best.blocks.begin(), best.blocks.end(),
              [](const OcrLine& x, const OcrLine& y) { return x.box.x < y.box.x; });
    for (const auto& b : best.blocks) best.text += squeeze(b.text);
    best.label = {left, piece.box.y, 0, piece.box.height};
    // No label: the value starts at the first block (half a character of margin).
    best.labelEnd = left - h / 2;
    return best;
}

/// A photograph lit from one side, flattened: Tesseract thresholds a page globally and loses
/// the darker half (the code, the name) otherwise. Even scans are left as they are.
PageImage evenlyLitIfNeeded(const PageImage& page) {
    constexpr double kUneven = 1.3;
    const double falloff = page.lightFalloff();
    if (std::getenv("DOSSIER_DEBUG_OCR")) std::fprintf(stderr, "light falloff %.2f\n", falloff);
    return falloff > kUneven ? page.evenlyLit() : page;
}

std::string joinedText(const std::vector<OcrLine>& lines) {
    std::string out;
    for (const auto& l : lines) out += l.text + "\n";
    return out;
}

}  // namespace

namespace {

/// What OCR reads for each character of the code alphabet in the faces licenses use.
std::string_view lookalikesOf(char c) {
    switch (c) {
        case '0':
            return "DQU";
        case '1':
            return "7TLJ";
        case '3':
            return "8B";
        case '4':
            return "A";
        case '5':
            return "6";
        case '6':
            return "G58";
        case '7':
            return "1T";
        case '8':
            return "B36";
        case 'A':
            return "4";
        case 'B':
            return "83";
        case 'C':
            return "G0";
        case 'D':
            return "0Q";
        case 'E':
            return "F";
        case 'F':
            return "EP";
        case 'G':
            return "6C";
        case 'H':
            return "NMK";
        case 'J':
            return "1";
        case 'K':
            return "XRH";
        case 'L':
            return "1";
        case 'M':
            return "NHW";
        case 'N':
            return "MH";
        case 'P':
            return "RF";
        case 'Q':
            return "0D";
        case 'R':
            return "PK";
        case 'T':
            return "17Y";
        case 'U':
            return "0";
        case 'W':
            return "M";
        case 'X':
            return "KY";
        case 'Y':
            return "XT";
        default:
            return "";
    }
}

/// Characters GB 32100 allows at a position (0-based): the registering authority, the entity
/// type and division code (digits), the organization code's body, its check (digit or X),
/// then the check character.
bool allowedAt(std::size_t position, char c) {
    if (CreditCode::kAlphabet.find(c) == std::string_view::npos) return false;
    if (position == 0) return std::string_view("123456789ANY").find(c) != std::string_view::npos;
    if (position < 8) return c >= '0' && c <= '9';
    if (position == 16) return (c >= '0' && c <= '9') || c == 'X';
    return true;
}

void validRepairs(const std::string& read, std::vector<std::string>& out) {
    if (read.size() != 18) return;
    // Characters that cannot stand where they are must be lookalikes of one that can.
    std::vector<std::string> bases{read};
    for (std::size_t i = 0; i < 18; ++i) {
        if (allowedAt(i, read[i])) continue;
        std::vector<std::string> next;
        for (const auto& b : bases) {
            for (char alt : lookalikesOf(read[i])) {
                if (!allowedAt(i, alt)) continue;
                std::string c = b;
                c[i] = alt;
                next.push_back(c);
            }
        }
        bases = std::move(next);
        if (bases.empty() || bases.size() > 16) return;
    }
    auto add = [&](const std::string& c) {
        if (isValidCode(c) && std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
    };
    for (const auto& b : bases) {
        add(b);
        // At most one more: two free changes would let the check characters be met by chance.
        for (std::size_t i = 0; i < 18; ++i) {
            if (!allowedAt(i, read[i])) continue;
            for (char alt : lookalikesOf(read[i])) {
                if (!allowedAt(i, alt)) continue;
                std::string c = b;
                c[i] = alt;
                add(c);
            }
        }
    }
}

}  // namespace

std::optional<std::string> resolveConfusables(const std::vector<std::string>& reads) {
    std::vector<std::string> valid;
    for (const auto& read : reads) validRepairs(CreditCode::normalize(read), valid);
    if (valid.size() != 1) return std::nullopt;
    return valid.front();
}

std::string normalizeOrganizationName(std::string_view name) {
    std::string out;
    for (char32_t cp : utf8::decode(name)) {
        if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;  // （ → (, full-width letters → ASCII
        if (cp == U' ' || cp == 0x3000 || cp == U'\t' || cp == 0xA0) continue;
        if (cp == 0x3014 || cp == 0x3010) cp = U'(';  // 〔【
        if (cp == 0x3015 || cp == 0x3011) cp = U')';
        utf8::append(out, cp);
    }
    return out;
}

std::size_t editDistance(std::u32string_view a, std::u32string_view b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            cur[j] = std::min(
                {prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1), prev[j] + 1, cur[j - 1] + 1});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

bool approximatelyContains(std::u32string_view hay, std::u32string_view needle, int maxEdits) {
    if (needle.empty()) return true;
    std::vector<int> prev(needle.size() + 1), cur(needle.size() + 1);
    for (std::size_t j = 0; j <= needle.size(); ++j) prev[j] = static_cast<int>(j);
    if (prev[needle.size()] <= maxEdits) return true;
    for (char32_t h : hay) {
        cur[0] = 0;  // a match may start anywhere
        for (std::size_t j = 1; j <= needle.size(); ++j) {
            int sub = prev[j - 1] + (needle[j - 1] == h ? 0 : 1);
            cur[j] = std::min({sub, prev[j] + 1, cur[j - 1] + 1});
        }
        if (cur[needle.size()] <= maxEdits) return true;
        std::swap(prev, cur);
    }
    return false;
}

CheckResult LicenseCheck::run(const PageImage& scan, const DeclaredOrganization& declared) {
    CheckResult r = read(scan, declared);
    // What was found on the turned page is shown on the page as stored.
    auto rotation = r.details.find("rotation");
    int turned = rotation != r.details.end() && rotation->second.isCount()
                     ? static_cast<int>(rotation->second.count())
                     : 0;
    for (auto& region : r.regions) region = unturned(region, turned, scan.width(), scan.height());
    return r;
}

CheckResult LicenseCheck::read(const PageImage& scan, const DeclaredOrganization& declared) {
    CheckResult r;
    r.check = "license";
    std::string declaredCode = CreditCode::normalize(declared.creditCode);
    // A negative (light on dark) is read as the positive it came from.
    const bool negative = scan.looksNegative();
    PageImage page = evenlyLitIfNeeded(negative ? scan.inverted() : scan);
    r.details["inverted"] = negative;

    Attempt best;
    int bestRotation = 0;
    // Most scans are upright: a quick look for the code's label in the top part of a small
    // copy (~0.15 s) settles that. Otherwise the orientation Tesseract's OSD sees (~0.5 s,
    // against a wasted ~0.7 s locate pass), then upright, then the rest.
    std::vector<int> order{-1, 0, 1, 3, 2};
    if (labelInTopStrip(ocr_, page)) order = {0, -1, 1, 3, 2};
    std::vector<int> tried;
    for (std::size_t step = 0; step < order.size(); ++step) {
        int quarter = order[step];
        if (quarter < 0) {
            double osdScale =
                std::min(1.0, double(kOsdLongSide) / std::max(page.width(), page.height()));
            auto started = std::chrono::steady_clock::now();
            quarter = ocr_.uprightQuarterTurns(page.scaled(osdScale));
            if (std::getenv("DOSSIER_DEBUG_OCR")) {
                std::fprintf(stderr, "osd %d (%.0f ms)\n", quarter,
                             std::chrono::duration<double, std::milli>(
                                 std::chrono::steady_clock::now() - started)
                                 .count());
            }
            if (quarter < 0) continue;
        }
        if (std::find(tried.begin(), tried.end(), quarter) != tried.end()) continue;
        tried.push_back(quarter);
        auto started = std::chrono::steady_clock::now();
        Attempt a = readUpright(ocr_, page.rotated(quarter));
        if (std::getenv("DOSSIER_DEBUG_OCR")) {
            double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                                  started)
                            .count();
            std::fprintf(stderr, "--- rotation %d (%.0f ms): %zu lines, label %d, %zu candidates\n",
                         quarter * 90, ms, a.lines.size(), a.label ? 1 : 0, a.candidates.size());
        }
        bool valid =
            std::any_of(a.candidates.begin(), a.candidates.end(), [](auto& c) { return c.valid; });
        bool better =
            valid || (a.label && !best.label) || (best.candidates.empty() && !a.candidates.empty());
        if (quarter == 0 || better) {
            best = std::move(a);
            bestRotation = quarter * 90;
        }
        if (valid || best.label) break;  // found the code, or found where it should be
    }
    // Only a reading that fails its check character (or none at all) pays for more attempts.
    std::vector<std::string> invalidReads;
    auto keepInvalid = [&](const Attempt& a) {
        for (const auto& c : a.candidates) {
            if (!c.valid &&
                std::find(invalidReads.begin(), invalidReads.end(), c.code) == invalidReads.end()) {
                invalidReads.push_back(c.code);
            }
        }
    };
    if (!hasValid(best) && (best.label || !best.candidates.empty())) {
        rereadCode(ocr_, page.rotated(bestRotation / 90), best);
    }
    // The label proves the orientation; without it, the turns not yet tried.
    if (!hasValid(best) && !best.label) {
        for (int quarter : {0, 1, 3, 2}) {
            if (std::find(tried.begin(), tried.end(), quarter) != tried.end()) continue;
            tried.push_back(quarter);
            PageImage turned = page.rotated(quarter);
            Attempt a = readUpright(ocr_, turned);
            if (!hasValid(a) && (a.label || !a.candidates.empty())) rereadCode(ocr_, turned, a);
            for (auto& c : a.candidates) c.readBy = "orientation";
            if (hasValid(a) || (a.label && !best.label)) {
                keepInvalid(best);
                best = std::move(a);
                bestRotation = quarter * 90;
            } else {
                keepInvalid(a);
            }
            if (hasValid(best)) break;
        }
    }
    // Nothing at all on a page not taken for a negative: it may be one all the same (a
    // negative photographed on a light desk); the inverted page, upright as OSD sees it.
    if (!negative && !best.label && best.candidates.empty()) {
        PageImage positive = evenlyLitIfNeeded(page.inverted());
        double osdScale =
            std::min(1.0, double(kOsdLongSide) / std::max(page.width(), page.height()));
        int quarter = std::max(0, ocr_.uprightQuarterTurns(positive.scaled(osdScale)));
        Attempt a = readUpright(ocr_, positive.rotated(quarter));
        if (!hasValid(a) && (a.label || !a.candidates.empty())) {
            rereadCode(ocr_, positive.rotated(quarter), a);
        }
        if (a.label || !a.candidates.empty()) {
            best = std::move(a);
            bestRotation = quarter * 90;
            page = positive;
            r.details["inverted"] = true;
        }
    }
    if (!hasValid(best)) {
        keepInvalid(best);
        if (auto repaired = resolveConfusables(invalidReads)) {
            CodeCandidate c;
            c.code = *repaired;
            c.valid = true;
            c.readBy = "confusables";
            // Where the reading it came from was found.
            for (const auto& other : best.candidates) {
                if (editDistance(utf8::decode(other.code), utf8::decode(c.code)) <= 3) {
                    c.box = other.box;
                    r.details["code_as_read"] = other.code;
                    break;
                }
            }
            best.candidates.push_back(c);
        }
    }
    r.details["rotation"] = bestRotation;
    r.details["ocr_text"] = joinedText(best.lines);
    if (best.label)
        r.regions.push_back({1, best.label->x, best.label->y, best.label->width, best.label->height,
                             "credit_code_label"});

    // Prefer the valid candidate equal to the declared code, then any valid one.
    const CodeCandidate* chosen = nullptr;
    for (const auto& c : best.candidates) {
        if (c.valid && c.code == declaredCode) chosen = &c;
    }
    for (const auto& c : best.candidates) {
        if (!chosen && c.valid) chosen = &c;
    }
    if (!chosen) {
        for (const auto& c : best.candidates) {
            if (!chosen) chosen = &c;
        }
    }
    if (!chosen) {
        r.status = CheckStatus::Fail;
        r.code = codes::kLicenseCodeNotFound;
        r.message =
            "No 统一社会信用代码 could be read on the license. Upload a clear, complete "
            "scan of the license.";
        return r;
    }
    r.details["code_read"] = chosen->code;
    r.details["code_read_by"] = chosen->readBy;
    r.regions.push_back(
        {1, chosen->box.x, chosen->box.y, chosen->box.width, chosen->box.height, "credit_code"});
    if (!chosen->valid) {
        r.status = CheckStatus::Fail;
        r.code = codes::kLicenseCodeInvalid;
        r.message = "The credit code read on the license (" + chosen->code +
                    ") fails the GB 32100 check; the scan may be unclear or altered.";
        return r;
    }
    if (!declaredCode.empty() && chosen->code != declaredCode) {
        r.status = CheckStatus::Fail;
        r.code = codes::kLicenseCodeMismatch;
        r.message = "The license shows credit code " + chosen->code + ", not the filed " +
                    declaredCode + ".";
        return r;
    }
    if (!best.name.text.empty()) r.details["name_read"] = best.name.text;
    if (!declared.name.empty()) {
        auto want = utf8::decode(normalizeOrganizationName(declared.name));
        auto text = utf8::decode(normalizeOrganizationName(joinedText(best.lines)));
        // About one character in six may be misread (rare characters such as 鑫 or 淼 are).
        int allowed = std::max<int>(1, static_cast<int>((want.size() + 3) / 6));
        auto read = utf8::decode(normalizeOrganizationName(best.name.text));
        // The field's blocks joined, or anywhere in the page's text (the line may be split).
        if (!approximatelyContains(read, want, allowed) &&
            !approximatelyContains(text, want, allowed)) {
            const PageImage upright = page.rotated(bestRotation / 90);
            NameField field = best.name;
            if (!field.found) field = nameFieldNear(best.lines, want);
            if (!field.found) field = nameFieldAbove(best.lines);
            if (field.found) {
                // The line read again at full resolution, characters some 40 px high (they
                // read best), then 56 px (rare characters such as 鑫 or 淼 need the strokes):
                // any reading that holds the filed name matches it.
                auto holds = [&](const NameField& f) {
                    return approximatelyContains(utf8::decode(normalizeOrganizationName(f.text)),
                                                 want, allowed);
                };
                std::vector<NameField> readings{field};
                for (double glyphPx : {40.0, 56.0}) {
                    readings.push_back(rereadName(ocr_, upright, field, want.size(), glyphPx));
                    if (std::getenv("DOSSIER_DEBUG_OCR")) debugField("reread", readings.back());
                    if (holds(readings.back())) break;
                }
                // Otherwise the one nearer the filed name is judged (any may have lost
                // characters to the seal or to the reduced page), unless another holds two
                // Chinese characters more: a reading that lost part of the line is nearer a
                // different name only for what it lost (Latin letters in it are noise).
                auto distance = [&](const NameField& f) {
                    return editDistance(utf8::decode(normalizeOrganizationName(f.text)), want);
                };
                auto chinese = [&](const NameField& f) {
                    std::size_t n = 0;
                    for (char32_t c : utf8::decode(f.text)) n += c >= 0x3400;
                    return n;
                };
                const NameField* judged = nullptr;
                for (const auto& f : readings) {
                    if (holds(f)) {
                        judged = &f;
                        break;
                    }
                    if (f.text.empty()) continue;
                    if (!judged || distance(f) < distance(*judged)) judged = &f;
                }
                if (judged && !holds(*judged)) {
                    for (const auto& f : readings) {
                        if (chinese(f) >= chinese(*judged) + 2) judged = &f;
                    }
                }
                if (judged) field = *judged;
                r.details["name_read"] = field.text;
            }
            auto reread = utf8::decode(normalizeOrganizationName(field.text));
            if (approximatelyContains(reread, want, allowed)) {
                r.status = CheckStatus::Pass;
                r.code = codes::kLicenseMatch;
                r.message = "The credit code and name on the license match the filing.";
                return r;
            }
            NameVerdict verdict = judgeName(upright, field, want);
            r.details["name_obscured"] = verdict == NameVerdict::Obscured;
            if (verdict == NameVerdict::Different) {
                r.status = CheckStatus::Fail;
                r.code = codes::kLicenseNameMismatch;
                r.message = "The license names \"" + field.text + "\", not the filed \"" +
                            declared.name + "\".";
                return r;
            }
            r.status = CheckStatus::Warn;
            if (verdict == NameVerdict::Obscured) {
                r.code = codes::kLicenseNameObscured;
                r.message =
                    "The credit code matches; the name is partly hidden (a seal is stamped over "
                    "it) and what shows agrees with the filing. Check the name by eye.";
            } else {
                r.code = codes::kLicenseNameUncertain;
                r.message =
                    "The credit code matches; the name could not be read with certainty. Check "
                    "the name by eye.";
            }
            return r;
        }
    }
    if (declaredCode.empty() && declared.name.empty()) {
        r.status = CheckStatus::Pass;
        r.code = codes::kLicenseCodeRead;
        r.message = "Read a valid credit code; nothing was declared to compare it with.";
        return r;
    }
    r.status = CheckStatus::Pass;
    r.code = codes::kLicenseMatch;
    r.message = declared.name.empty() ? "The credit code on the license matches the filing."
                                      : "The credit code and name on the license match the filing.";
    return r;
}

}  // namespace dossier::evidence

#include "dossier/evidence/LicenseCheck.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <sstream>

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

/// The shape of a credit code: registering authority, entity type, then the six-digit
/// administrative-division code. Text misread by a whitelisted OCR pass rarely has it.
bool looksLikeCode(const std::string& c) {
    if (c.size() != 18 || std::string_view("123456789ANY").find(c[0]) == std::string_view::npos) {
        return false;
    }
    for (std::size_t i = 1; i < 8; ++i) {
        if (c[i] < '0' || c[i] > '9') return false;
    }
    return true;
}

struct CodeCandidate {
    std::string code;
    bool valid = false;
    PixelRect box;  // full-resolution coordinates of the upright page
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
                c.valid = CreditCode::isValid(joined);
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
                if (looksLikeCode(window) && CreditCode::isValid(window)) {
                    out.push_back({window,
                                   true,
                                   {offset.x + line.box.x, offset.y + line.box.y, line.box.width,
                                    line.box.height}});
                }
            }
        }
    }
}

/// The value of the 名称 field: the text after "名称" on its line, else the line to its right
/// on the same baseline (sparse-text OCR reads "名      称" and its value as separate lines).
std::string nameFieldOf(const std::vector<OcrLine>& lines) {
    for (const auto& line : lines) {
        std::string sq = squeeze(line.text);
        auto pos = sq.find("名称");
        bool labelOnly = false;
        if (pos != std::string::npos) {
            std::string rest = sq.substr(pos + 6);
            if (utf8::decode(rest).size() >= 2) return rest;
            labelOnly = true;
        } else {
            auto cps = utf8::decode(sq);
            labelOnly = !cps.empty() && cps.size() <= 2 && cps.back() == U'称';
        }
        if (!labelOnly) continue;
        const OcrLine* best = nullptr;
        int bestOverlap = 0;
        for (const auto& other : lines) {
            if (other.box.x <= line.box.x + line.box.width) continue;
            int top = std::max(other.box.y, line.box.y);
            int bottom = std::min(other.box.y + other.box.height, line.box.y + line.box.height);
            int overlap = bottom - top;
            if (overlap > line.box.height / 2 && overlap > bestOverlap) {
                // The nearest block to the right on this baseline.
                if (!best || other.box.x < best->box.x) {
                    best = &other;
                    bestOverlap = overlap;
                }
            }
        }
        if (best) return squeeze(best->text);
    }
    return {};
}

struct Attempt {
    std::vector<OcrLine> lines;  // chi_sim lines, full-resolution coordinates
    std::optional<PixelRect> label;
    std::vector<CodeCandidate> candidates;
    std::string nameRead;
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
        std::string sq = squeeze(line.text);
        if (!a.label && isCodeLabel(sq)) a.label = line.box;
    }
    a.nameRead = nameFieldOf(lines);
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

/// True if the credit-code label shows in the top 45% of an upright small copy.
bool labelInTopStrip(OcrEngine& ocr, const PageImage& page) {
    PageImage strip = page.cropped({0, 0, page.width(), page.height() * 45 / 100});
    double scale = std::min(1.0, 1100.0 / std::max(strip.width(), strip.height()));
    for (const auto& line : ocr.readLines(strip.scaled(scale))) {
        if (isCodeLabel(squeeze(line.text))) return true;
    }
    return false;
}

std::string joinedText(const std::vector<OcrLine>& lines) {
    std::string out;
    for (const auto& l : lines) out += l.text + "\n";
    return out;
}

}  // namespace

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

CheckResult LicenseCheck::run(const PageImage& page, const DeclaredOrganization& declared) {
    CheckResult r;
    r.check = "license";
    std::string declaredCode = CreditCode::normalize(declared.creditCode);

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
    if (!best.nameRead.empty()) r.details["name_read"] = best.nameRead;
    if (!declared.name.empty()) {
        auto want = utf8::decode(normalizeOrganizationName(declared.name));
        auto text = utf8::decode(normalizeOrganizationName(joinedText(best.lines)));
        int allowed = std::max<int>(1, static_cast<int>(want.size()) / 6);
        if (!approximatelyContains(text, want, allowed)) {
            auto nameRead = utf8::decode(normalizeOrganizationName(best.nameRead));
            // Only a clearly different name is a mismatch; a poorly read one is a warning.
            double similarity = nameRead.empty()
                                    ? 1.0
                                    : 1.0 - double(editDistance(nameRead, want)) /
                                                double(std::max(nameRead.size(), want.size()));
            // A fragment of the declared name (OCR split the line) is no contradiction.
            bool fragment = approximatelyContains(
                want, nameRead, std::max<int>(1, static_cast<int>(nameRead.size()) / 5));
            if (nameRead.size() >= 4 && similarity < 0.5 && !fragment) {
                r.status = CheckStatus::Fail;
                r.code = codes::kLicenseNameMismatch;
                r.message = "The license names \"" + best.nameRead + "\", not the filed \"" +
                            declared.name + "\".";
                return r;
            }
            r.status = CheckStatus::Warn;
            r.code = codes::kLicenseNameUncertain;
            r.message =
                "The credit code matches; the name could not be read with certainty (a "
                "seal over it?). Check the name by eye.";
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

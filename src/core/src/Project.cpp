#include "dossier/core/Project.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstdio>

#include "dossier/core/Clock.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/Utf8.h"

namespace dossier {

std::vector<std::string> ProjectContent::documentIds() const {
    std::vector<std::string> out;
    auto add = [&out](const std::string& id) {
        if (!id.empty() && std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
    };
    for (const auto& row : ipRights) add(row.documentId);
    for (const auto& row : honours) add(row.documentId);
    for (const auto& id : otherDocuments) add(id);
    return out;
}

namespace project_rules {
namespace {

bool isBlank(char32_t c) { return c == U' ' || c == U'\t' || c == 0x3000 || c == 0xA0; }

bool isControl(char32_t c, bool multiline) {
    if (multiline && (c == U'\n' || c == U'\t')) return false;
    return utf8::isRefusedInText(c);
}

bool isLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int daysIn(int year, int month) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && isLeap(year) ? 29 : kDays[month - 1];
}

std::string number(std::size_t n) { return std::to_string(n); }

}  // namespace

void checkText(const std::string& path, const std::string& value, std::size_t maxChars,
               bool multiline, bool required, std::vector<FieldProblem>& out) {
    if (!utf8::isValid(value)) {
        out.push_back({path, codes::kFieldEncoding, "The text is not valid UTF-8."});
        return;
    }
    auto cps = utf8::decode(value);
    if (required && std::all_of(cps.begin(), cps.end(), isBlank)) {
        out.push_back({path, codes::kFieldRequired, "A value is required here."});
        return;
    }
    bool lineBreak = !multiline && std::any_of(cps.begin(), cps.end(), [](char32_t c) {
        return c == U'\n' || c == U'\r' || c == 0x2028 || c == 0x2029;
    });
    bool control = false;
    for (std::size_t k = 0; k < cps.size() && !control; ++k) {
        // A CR is a line break only as the first half of CRLF; alone it is not text.
        bool crlf = multiline && cps[k] == U'\r' && k + 1 < cps.size() && cps[k + 1] == U'\n';
        control = !crlf && isControl(cps[k], multiline);
    }
    if (lineBreak) {
        out.push_back({path, codes::kFieldLineBreak, "This value is a single line."});
    } else if (control) {
        out.push_back({path, codes::kFieldControlCharacter,
                       multiline ? "The text contains a control character (only line breaks "
                                   "and tabs are allowed)."
                                 : "The text contains a control character."});
    }
    if (cps.size() > maxChars) {
        out.push_back(
            {path, codes::kFieldTooLong,
             "At most " + number(maxChars) + " characters; this has " + number(cps.size()) + "."});
    }
}

void checkPastDate(const std::string& path, const std::string& value, const std::string& today,
                   std::vector<FieldProblem>& out) {
    bool shaped = value.size() == 10 && value[4] == '-' && value[7] == '-';
    for (std::size_t i = 0; shaped && i < value.size(); ++i) {
        if (i != 4 && i != 7) shaped = value[i] >= '0' && value[i] <= '9';
    }
    int y = 0, m = 0, d = 0;
    if (shaped) {
        y = std::stoi(value.substr(0, 4));
        m = std::stoi(value.substr(5, 2));
        d = std::stoi(value.substr(8, 2));
    }
    if (!shaped || m < 1 || m > 12 || d < 1 || d > daysIn(y, m)) {
        out.push_back({path, codes::kFieldDate,
                       "The date must exist and be written YYYY-MM-DD, such as 2023-05-16."});
        return;
    }
    if (y < kEarliestYear) {
        out.push_back({path, codes::kFieldDate,
                       "The date must be in " + std::to_string(kEarliestYear) + " or later."});
        return;
    }
    // Same shape, so the text order is the calendar order.
    if (value > today) {
        out.push_back({path, codes::kFieldFutureDate,
                       "The date lies in the future (today is " + today + " in Beijing)."});
    }
}

std::string trim(std::string_view value) {
    auto cps = utf8::decode(value);
    std::size_t first = 0, last = cps.size();
    while (first < last && isBlank(cps[first])) ++first;
    while (last > first && isBlank(cps[last - 1])) --last;
    return utf8::encode(std::u32string_view(cps).substr(first, last - first));
}

std::string keywordKey(std::string_view keyword) {
    std::string text = trim(keyword);
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* fold = icu::Normalizer2::getNFKCCasefoldInstance(status);
    if (U_FAILURE(status)) return text;
    icu::UnicodeString folded = fold->normalize(icu::UnicodeString::fromUTF8(text), status);
    if (U_FAILURE(status)) return text;
    std::string out;
    folded.toUTF8String(out);
    return out;
}

bool hasListSeparator(std::string_view keyword) {
    for (char32_t c : utf8::decode(keyword)) {
        if (c == U',' || c == U';' || c == 0x3001 || c == 0xFF0C || c == 0xFF1B) return true;
    }
    return false;
}

std::string beijingDate(std::int64_t micros) {
    return formatTimestamp(micros + 8LL * 3600 * 1000000).substr(0, 10);
}

void validate(const ProjectContent& p, const std::string& today,
              const std::set<std::string>& categories, std::vector<FieldProblem>& out) {
    checkText("name", p.name, kNameMax, false, true, out);

    if (p.keywords.size() < kKeywordsMin) {
        out.push_back(
            {"keywords", codes::kFieldTooFew, "Give 1 to 3 keywords (主题词), such as 质量追溯."});
    } else if (p.keywords.size() > kKeywordsMax) {
        out.push_back({"keywords", codes::kFieldTooMany,
                       "At most 3 keywords; this has " + number(p.keywords.size()) + "."});
    }
    std::vector<std::string> seen;
    for (std::size_t i = 0; i < p.keywords.size(); ++i) {
        std::string path = "keywords[" + number(i) + "]";
        const std::string& k = p.keywords[i];
        std::size_t before = out.size();
        checkText(path, k, kKeywordMax, false, true, out);
        if (out.size() != before) continue;
        if (hasListSeparator(k)) {
            out.push_back({path, codes::kFieldSeparator,
                           "One keyword per entry: split \"" + k + "\" at its separator."});
            continue;
        }
        std::string key = keywordKey(k);
        auto it = std::find(seen.begin(), seen.end(), key);
        if (it != seen.end()) {
            out.push_back({path, codes::kFieldDuplicate,
                           "The same keyword as keywords[" +
                               number(static_cast<std::size_t>(it - seen.begin())) +
                               "] (compared ignoring case, width and surrounding spaces)."});
        }
        seen.push_back(key);
    }

    checkText("summary", p.summary, kSummaryMax, true, false, out);

    if (p.ipRights.size() > kIpRightsMax) {
        out.push_back({"ip_rights", codes::kFieldTooMany,
                       "At most " + number(kIpRightsMax) + " rows; this has " +
                           number(p.ipRights.size()) + "."});
    }
    for (std::size_t i = 0; i < p.ipRights.size(); ++i) {
        const IpRight& r = p.ipRights[i];
        std::string at = "ip_rights[" + number(i) + "].";
        if (r.category.empty()) {
            out.push_back({at + "category", codes::kFieldRequired,
                           "The category (知识产权类别) is required."});
        } else if (!categories.count(r.category)) {
            std::string all;
            for (const auto& c : categories) all += (all.empty() ? "" : "、") + c;
            out.push_back(
                {at + "category", codes::kFieldNotInList, "The category is one of " + all + "."});
        }
        checkText(at + "name", r.name, kRowNameMax, false, true, out);
        checkText(at + "country", r.country, kCountryMax, false, false, out);
        if (!r.grantedOn.empty()) checkPastDate(at + "granted_on", r.grantedOn, today, out);
        checkText(at + "certificate_number", r.certificateNumber, kNumberMax, false, false, out);
        checkText(at + "holder", r.holder, kPartiesMax, false, false, out);
        checkText(at + "inventors", r.inventors, kPartiesMax, false, false, out);
        if (r.validityYears &&
            (*r.validityYears < kValidityYearsMin || *r.validityYears > kValidityYearsMax)) {
            out.push_back({at + "validity_years", codes::kFieldRange,
                           "The term of protection is 1 to 50 whole years."});
        }
        checkText(at + "application_number", r.applicationNumber, kNumberMax, false, false, out);
        checkText(at + "grant_number", r.grantNumber, kNumberMax, false, false, out);
    }

    if (p.honours.size() > kHonoursMax) {
        out.push_back({"honours", codes::kFieldTooMany,
                       "At most " + number(kHonoursMax) + " rows; this has " +
                           number(p.honours.size()) + "."});
    }
    for (std::size_t i = 0; i < p.honours.size(); ++i) {
        const Honour& h = p.honours[i];
        std::string at = "honours[" + number(i) + "].";
        checkText(at + "name", h.name, kRowNameMax, false, true, out);
        checkText(at + "level", h.level, kLevelMax, false, false, out);
        checkText(at + "issuer", h.issuer, kIssuerMax, false, false, out);
        if (!h.awardedOn.empty()) checkPastDate(at + "awarded_on", h.awardedOn, today, out);
        checkText(at + "description", h.description, kDescriptionMax, true, false, out);
    }

    for (std::size_t i = 0; i < p.otherDocuments.size(); ++i) {
        if (p.otherDocuments[i].empty()) {
            out.push_back({"other_documents[" + number(i) + "]", codes::kFieldRequired,
                           "Each entry is the id of an uploaded document."});
        }
    }
    if (p.otherDocuments.size() > kOtherDocumentsMax) {
        out.push_back({"other_documents", codes::kFieldTooMany,
                       "At most " + number(kOtherDocumentsMax) + " documents; this has " +
                           number(p.otherDocuments.size()) + "."});
    }
}

}  // namespace project_rules
}  // namespace dossier

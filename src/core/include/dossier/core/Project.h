#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "dossier/core/ValidationError.h"

namespace dossier {

/// One row of a project's IP-rights table (项目所获知识产权情况, seed 000). Text as sent;
/// empty means not given.
struct IpRight {
    std::string category;   // 知识产权类别: a value of templates/lists/ip-right-categories
    std::string name;       // 知识产权名称
    std::string country;    // 国别(地区)
    std::string grantedOn;  // 授权日期, YYYY-MM-DD
    std::string certificateNumber;              // 证书编号
    std::string holder;                         // 权利人
    std::string inventors;                      // 发明人
    std::optional<std::int64_t> validityYears;  // 有效期(年)
    std::string applicationNumber;              // 申请号
    std::string grantNumber;                    // 授权号(专利号)
    std::string documentId;  // 专利证实性材料: a document of the organization
};

/// One row of a project's honours table (本项目曾获荣誉, seed 000).
struct Honour {
    std::string name;         // 奖项名称
    std::string level;        // 奖励等级
    std::string issuer;       // 颁奖部门
    std::string awardedOn;    // 获奖时间, YYYY-MM-DD
    std::string description;  // 获奖说明 (line breaks allowed)
    std::string documentId;   // 获奖证实材料
};

/// What an organization keeps about one project (申报主体, seed 000 section 4): the part a
/// client sends and an application snapshots when it is submitted.
struct ProjectContent {
    std::string name;                   // 项目名称
    std::vector<std::string> keywords;  // 主题词, stored trimmed
    std::string summary;                // 项目简介
    std::vector<IpRight> ipRights;
    std::vector<Honour> honours;
    std::vector<std::string> otherDocuments;  // 项目其他证实性材料

    /// Every document the project names, each once, in order of first mention.
    std::vector<std::string> documentIds() const;
};

/// The rules of a project's fields. Where a limit has a source it is named here; the others
/// are chosen to fit real values with room and say so.
namespace project_rules {

inline constexpr std::size_t kNameMax = 100;      // issue 11 ("≤ 100 characters")
inline constexpr std::size_t kKeywordsMin = 1;    // seed 000: "填写 1-3 个关键词"
inline constexpr std::size_t kKeywordsMax = 3;    // seed 000
inline constexpr std::size_t kKeywordMax = 20;    // issue 11 ("each ≤ 20 characters")
inline constexpr std::size_t kSummaryMax = 2000;  // issue 11 ("≤ 2000 characters")
// No source caps the tables (the seed's form pages them ten at a time). 50 rows each keeps
// the largest project, every field full of four-byte characters, under the 1 MiB body limit.
inline constexpr std::size_t kIpRightsMax = 50;
inline constexpr std::size_t kHonoursMax = 50;
inline constexpr std::size_t kOtherDocumentsMax = 20;
// Text lengths of the table fields: no source gives them. Names and issuers fit the longest
// official titles (a ministry's full name is under 40 characters); numbers fit every Chinese
// format with room (专利号 ZL202310123456.7 is 17 characters, a 申请号 14, a 商标注册号 ≤ 10).
inline constexpr std::size_t kRowNameMax = 100;  // 知识产权名称, 奖项名称
inline constexpr std::size_t kCountryMax = 50;   // 国别(地区)
inline constexpr std::size_t kNumberMax = 50;    // 证书编号, 申请号, 授权号
inline constexpr std::size_t kPartiesMax = 200;  // 权利人, 发明人 (several names)
inline constexpr std::size_t kLevelMax = 50;    // 奖励等级 (国家级, 省部级一等奖, …)
inline constexpr std::size_t kIssuerMax = 100;  // 颁奖部门
inline constexpr std::size_t kDescriptionMax = 500;  // 获奖说明
// 有效期(年): the longest statutory term is 50 years (software copyright of a legal person,
// 《计算机软件保护条例》第十四条); patents run 20 (发明, extendable by up to 5), 15 or 10
// years (《专利法》第四十二条), trademarks 10 (renewable). A whole number in 1–50.
inline constexpr std::int64_t kValidityYearsMin = 1;
inline constexpr std::int64_t kValidityYearsMax = 50;
// Dates before 1900 are typing mistakes for any IP right or award still worth citing.
inline constexpr int kEarliestYear = 1900;

/// A text value: valid UTF-8, no control characters (line breaks only when `multiline`, as
/// LF or CRLF), at most `maxChars` code points, and not blank when `required` (then
/// field.required). Appends every problem to `out`.
void checkText(const std::string& path, const std::string& value, std::size_t maxChars,
               bool multiline, bool required, std::vector<FieldProblem>& out);
/// A date written YYYY-MM-DD that exists (no 02-30), not before kEarliestYear
/// (field.date), and not after `today` (field.future_date; both YYYY-MM-DD, Asia/Shanghai).
void checkPastDate(const std::string& path, const std::string& value, const std::string& today,
                   std::vector<FieldProblem>& out);
/// The value without white space (ASCII, U+3000 ideographic space, NBSP) at either end.
std::string trim(std::string_view value);
/// What two keywords are compared by: trimmed, NFKC case-folded (ICU), so "AI", "ai" and
/// the full-width "ＡＩ" are the same keyword. Expects valid UTF-8.
std::string keywordKey(std::string_view keyword);
/// True when `keyword` holds a list separator (、，,；;): two keywords typed as one.
bool hasListSeparator(std::string_view keyword);
/// The calendar date of `micros` in Asia/Shanghai (UTC+8, no daylight saving): YYYY-MM-DD.
std::string beijingDate(std::int64_t micros);

/// Every value rule of `content` (not the documents, which need the database): texts,
/// keyword count and duplicates, dates against `today`, validity years, categories from
/// `categories` (field.not_in_list), table sizes. Paths as the JSON has them:
/// `keywords[1]`, `ip_rights[2].granted_on`.
void validate(const ProjectContent& content, const std::string& today,
              const std::set<std::string>& categories, std::vector<FieldProblem>& out);

}  // namespace project_rules

}  // namespace dossier

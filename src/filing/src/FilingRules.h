#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dossier/core/Document.h"
#include "dossier/core/JsonNumbers.h"
#include "dossier/core/ValidationError.h"
#include "dossier/renderers/ReferenceList.h"

// The rules of the organization filing (组织备案, seed 000): what a draft may hold, what a
// submission must hold, and the one JSON form the data is stored and shown in. Pure (the
// documents are looked up through the caller's function) and thread-safe.
namespace dossier::filing {

/// One year of the economic table (企业经营状况). Amounts in hundredths of 万元, exact.
struct EconomicsRow {
    std::optional<int> year;
    std::optional<std::int64_t> totalAssets, revenue, otherRevenue, profit, tax;
    std::optional<std::int64_t> employees;
    std::string evidenceDocumentId;
};

/// The filed data; "" and nullopt are blank.
struct FilingData {
    std::string name;  // as on the seal
    std::string creditCode;
    std::string economicType;  // 经济类型: lists/enterprise-types
    std::string province;      // GB/T 2260, two digits: lists/provinces
    std::string city;          // four digits: lists/cities, inside the province
    std::string address;
    std::string industry;  // GB/T 4754-2017 division (大类), two digits
    std::string qualityManagerName;
    std::string qualityManagerPhone;
    std::string organizationSize;  // lists/organization-sizes
    std::string licenseDocumentId;
    std::vector<EconomicsRow> economics;
};

/// The reference lists the rules check codes against, loaded once.
class FilingLists {
  public:
    /// Loads each list from `<listDir>/<name>.json` (renderers::ReferenceList::load); throws
    /// render.template when one is missing or malformed.
    explicit FilingLists(const std::string& listDir);

    std::unique_ptr<renderers::ReferenceList> economicTypes, provinces, cities, industries,
        organizationSizes, rejectionReasons;
};

/// Limits, with where they come from (README, "The filing journey").
inline constexpr std::size_t kMaxNameChars = 100;
inline constexpr std::size_t kMaxAddressChars = 200;
inline constexpr std::size_t kMaxPersonChars = 50;
inline constexpr std::size_t kMaxPhoneChars = 24;
inline constexpr std::size_t kMaxEconomicsRows = 10;
inline constexpr std::size_t kMaxCommentChars = 2000;
/// 100 万亿元 in 万元, in hundredths: beyond any organization's figures.
inline constexpr std::int64_t kMaxHundredths = 10'000'000'000LL * 100;
inline constexpr std::int64_t kMaxEmployees = 10'000'000;

using DocumentLookup = std::function<std::optional<Document>(const std::string& id)>;

/// Reads a draft body: every problem of every field given (types, unknown fields, lengths,
/// control characters, codes, ranges, decimals, documents) into `problems`. Blank fields are
/// fine. Documents must be `organizationId`'s. A credit code other than `registeredCode` is
/// field.read_only; the data returned always carries `registeredCode`. `numbers`: the text
/// of the body's numbers (inspectJsonBody), which decides decimals and whole numbers.
FilingData parseFilingData(const Poco::JSON::Object::Ptr& body, const JsonNumberTexts& numbers,
                           const FilingLists& lists, const std::string& organizationId,
                           const std::string& registeredCode, const DocumentLookup& documents,
                           std::vector<FieldProblem>& problems);
/// What a submission needs beyond a valid draft: every field filled in, a city where the
/// province has cities, and exactly the economic rows of `years` (three consecutive calendar
/// years), each complete, no year twice.
void checkComplete(const FilingData& data, const FilingLists& lists, const std::vector<int>& years,
                   std::vector<FieldProblem>& problems);
/// The data as stored and shown: every field, null when blank, amounts as decimals with at
/// most two places (never binary fractions: 0.3 is written 0.3).
std::string filingDataJson(const FilingData& data);
/// The documents the data names (license first, then each year's evidence), once each.
std::vector<std::string> documentIdsOf(const FilingData& data);
/// The documents stored data (filingDataJson) names, as documentIdsOf; empty for text that
/// is not such data.
std::vector<std::string> documentIdsIn(const std::string& dataJson);
/// "123.45" for 12345 hundredths; "-0.5", "7".
std::string formatHundredths(std::int64_t hundredths);
/// A JSON string literal of UTF-8 `text` (quoted, escaped).
std::string jsonQuote(const std::string& text);

}  // namespace dossier::filing

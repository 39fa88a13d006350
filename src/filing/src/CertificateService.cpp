#include "dossier/filing/CertificateService.h"

#include <Poco/Logger.h>
#include <openssl/rand.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "BodyReader.h"
#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/ImageHeader.h"
#include "dossier/core/JsonString.h"
#include "dossier/core/LogValue.h"
#include "dossier/core/Project.h"
#include "dossier/core/ShanghaiTime.h"
#include "dossier/core/Utf8.h"
#include "dossier/core/ValidationError.h"
#include "dossier/renderers/LeaderCertificate.h"
#include "dossier/renderers/LeaderLabel.h"
#include "dossier/sheets/CellValues.h"
#include "dossier/storage/Sha256.h"

namespace dossier::filing {
namespace {

using storage::CandidateRow;
using storage::CertificateRow;
using storage::ObjectionRow;

constexpr std::size_t kMaxTextChars = 40;  // what the certificate and label print per line
constexpr std::size_t kMaxModels = 100;
constexpr std::size_t kMaxSealBytes = 1 << 20;
constexpr std::uint32_t kMaxSealSide = 2000;

void requireMember(const Viewer& viewer) {
    if (viewer.role != Role::Applicant) {
        throw Error(codes::kAuthForbidden,
                    "Declarations belong to an organization; staff accounts make none.");
    }
    if (viewer.organizationId.empty()) {
        throw Error(codes::kOrganizationMembershipRequired,
                    "Join an organization (or register one) to declare a leader standard.");
    }
}

/// Members of an organization and the evaluator; everyone else is refused here.
void requireParty(const Viewer& viewer) {
    if (viewer.role != Role::Evaluator) requireMember(viewer);
}

void requireEvaluator(const Viewer& viewer) {
    if (viewer.role != Role::Evaluator) {
        throw Error(codes::kAuthForbidden, "Only the evaluator (评估机构) may do this.");
    }
}

[[noreturn]] void candidateNotFound() {
    throw Error(codes::kCertificateCandidateNotFound, "There is no such leader candidate.");
}

void checkText(const std::string& path, const std::string& value, std::size_t maxChars,
               std::vector<FieldProblem>& problems) {
    account_rules::checkName(path, value, maxChars, problems);
}

/// A note (BodyReader::note: several lines, CRLF kept as LF, tabs kept, no other control
/// character) that must say something: field.required when it is only white space.
void requireWords(const std::string& path, const std::string& note,
                  std::vector<FieldProblem>& problems) {
    auto cps = utf8::decode(note);
    if (std::all_of(cps.begin(), cps.end(),
                    [](char32_t c) { return c == ' ' || c == '\n' || c == '\t' || c == 0x3000; })) {
        problems.push_back({path, codes::kFieldRequired, path + " is required."});
    }
}

bool hasProblemAt(const std::vector<FieldProblem>& problems, const std::string& path) {
    return std::any_of(problems.begin(), problems.end(), [&](const FieldProblem& p) {
        return p.path == path || p.path.rfind(path + ".", 0) == 0 ||
               p.path.rfind(path + "[", 0) == 0;
    });
}

/// Reads `values` of `product`: a finite number for each indicator, nothing else.
std::map<std::string, double> readValues(const KeyFieldProduct& product,
                                         const Poco::JSON::Object::Ptr& values,
                                         std::vector<FieldProblem>& problems) {
    std::map<std::string, double> out;
    if (!values) {
        problems.push_back({"values", codes::kFieldRequired,
                            "values holds a number for each indicator of the product."});
        return out;
    }
    std::vector<std::string> keys;
    for (const auto& k : product.indicators) keys.push_back(k.key);
    BodyReader(values, "values.", problems).refuseOthers(keys);
    for (const auto& k : product.indicators) {
        std::string at = "values." + k.key;
        auto v = values->get(k.key);
        if (v.isEmpty()) {
            problems.push_back(
                {at, codes::kFieldRequired, k.name + " (" + k.unit + ") is required."});
        } else if (v.isBoolean() || !v.isNumeric()) {
            problems.push_back({at, codes::kFieldType, at + " must be a number."});
        } else {
            out[k.key] = v.convert<double>();
        }
    }
    return out;
}

std::string randomNumberPart() {
    // Crockford-style base 32 without I, L, O, U: 12 characters, 60 bits from the CSPRNG.
    static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    unsigned char bytes[12];
    if (RAND_bytes(bytes, sizeof bytes) != 1) {
        throw Error(codes::kInternal, "Internal server error.", "RAND_bytes failed");
    }
    std::string out;
    for (unsigned char b : bytes) out += kAlphabet[b & 31];
    return out;
}

std::chrono::sys_days parseDay(const std::string& date) {
    int y = 0;
    unsigned m = 0, d = 0;
    std::sscanf(date.c_str(), "%d-%u-%u", &y, &m, &d);
    return std::chrono::sys_days(std::chrono::year(y) / std::chrono::month(m) /
                                 std::chrono::day(d));
}

std::string formatDay(std::chrono::sys_days day) {
    std::chrono::year_month_day ymd(day);
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return buffer;
}

/// One year of validity: the last day is the day before the anniversary (29 Feb → 28 Feb).
std::string validUntilOf(const std::string& issuedOn) {
    std::chrono::year_month_day ymd(parseDay(issuedOn));
    std::chrono::year_month_day next = ymd + std::chrono::years(1);
    if (!next.ok()) next = next.year() / next.month() / std::chrono::last;
    return formatDay(std::chrono::sys_days(next) - std::chrono::days(1));
}

std::string models(const CandidateRow& row) {
    std::string out = "[";
    for (std::size_t i = 0; i < row.models.size(); ++i) {
        const auto& m = row.models[i];
        out += i ? ",{\"position\":" : "{\"position\":";
        out += std::to_string(m.position) + ",\"model\":";
        appendJsonString(out, m.model);
        out +=
            std::string(",\"added_after_issue\":") + (m.addedAfterIssue ? "true" : "false") + "}";
    }
    return out + "]";
}

}  // namespace

namespace {

/// The digest of the stamped file downloads serve ("" while unstamped).
std::string stampedPdfOf(const CertificateRow& row) {
    return row.stampedPdfSha256.empty() ? row.stampedSha256 : row.stampedPdfSha256;
}

}  // namespace

CertificateService::CertificateService(storage::CertificateRepository& rows,
                                       storage::OrganizationRepository& organizations,
                                       AuditLog& audit, const Clock& clock, const IdGenerator& ids,
                                       const KeyFieldCatalog& catalog,
                                       const CertificateSigner& signer, DocumentService& documents,
                                       storage::BlobStore& blobs, std::string publicUrl)
    : rows_(rows),
      organizations_(organizations),
      audit_(audit),
      clock_(clock),
      ids_(ids),
      catalog_(catalog),
      signer_(signer),
      documents_(documents),
      blobs_(blobs),
      publicUrl_(std::move(publicUrl)) {
    while (!publicUrl_.empty() && publicUrl_.back() == '/') publicUrl_.pop_back();
}

std::string CertificateService::today() const {
    return formatShanghai(clock_.nowMicros()).substr(0, 10);
}

std::string CertificateService::addDays(const std::string& date, int days) {
    return formatDay(parseDay(date) + std::chrono::days(days));
}

std::string CertificateService::productsJson() const {
    std::string items;
    for (const auto& [id, product] : catalog_.all()) {
        items += (items.empty() ? "" : ",") + KeyFieldCatalog::json(product);
    }
    return "{\"items\":[" + items + "]}";
}

std::string CertificateService::productJson(const std::string& productId) const {
    return KeyFieldCatalog::json(catalog_.get(productId));
}

std::string CertificateService::benchmark(const std::string& productId,
                                          const std::string& json) const {
    const KeyFieldProduct& product = catalog_.get(productId);
    std::vector<FieldProblem> problems;
    auto body = parseBodyObject(json);
    BodyReader read(body, "", problems);
    read.refuseOthers({"values"});
    auto values = readValues(product, read.object("values"), problems);
    if (!problems.empty()) throw ValidationError(std::move(problems));
    return KeyFieldCatalog::benchmark(product, values).json(product);
}

CandidateRow CertificateService::declare(const Viewer& viewer, const std::string& json) {
    requireMember(viewer);
    std::vector<FieldProblem> problems;
    auto body = parseBodyObject(json);
    BodyReader read(body, "", problems);
    read.refuseOthers({"kind", "product", "product_name", "standard_number", "standard_name",
                       "models", "values", "star_level"});
    CandidateRow row;
    row.kind = read.has("kind") ? read.text("kind") : "leader";
    if (!hasProblemAt(problems, "kind") && row.kind != "leader" && row.kind != "self_declared") {
        problems.push_back({"kind", codes::kFieldChoice, "kind is leader or self_declared."});
    }
    row.productId = read.text("product");
    const KeyFieldProduct* product = nullptr;
    if (!hasProblemAt(problems, "product")) {
        auto it = catalog_.all().find(row.productId);
        if (row.productId.empty()) {
            problems.push_back({"product", codes::kFieldRequired, "Name the key-field product."});
        } else if (it == catalog_.all().end()) {
            problems.push_back(
                {"product", codes::kFieldNotInList,
                 "product is not a key-field product (GET /api/v1/key-field-products)."});
        } else {
            product = &it->second;
        }
    }
    // The standard's number and the models are identifiers: stored as imported QC cells are
    // (NFKC, trimmed), so the one-live-declaration rule compares like with like
    // (" Q/GZJK 001-2025" or a full-width Ｑ／ is the same standard). The names are printed on
    // the certificate and label as written (full-width （） stays), only trimmed.
    row.productName = project_rules::trim(read.text("product_name"));
    row.standardNumber = sheets::normalizeCell(read.text("standard_number"));
    row.standardName = project_rules::trim(read.text("standard_name"));
    for (const auto& [name, value] :
         {std::pair<std::string, std::string>{"product_name", row.productName},
          {"standard_number", row.standardNumber},
          {"standard_name", row.standardName}}) {
        if (!hasProblemAt(problems, name)) checkText(name, value, kMaxTextChars, problems);
    }
    std::int64_t now = clock_.nowMicros();
    if (auto list = read.array("models")) {
        if (list->size() == 0) {
            problems.push_back(
                {"models", codes::kFieldTooFew, "Name at least one model (型号/规格)."});
        } else if (list->size() > kMaxModels) {
            problems.push_back({"models", codes::kFieldTooMany, "At most 100 models."});
        }
        for (std::size_t i = 0; i < list->size() && i < kMaxModels; ++i) {
            std::string at = "models[" + std::to_string(i) + "]";
            auto item = list->get(static_cast<unsigned>(i));
            if (!item.isString()) {
                problems.push_back({at, codes::kFieldType, at + " must be a string."});
                continue;
            }
            std::string model = sheets::normalizeCell(item.extract<std::string>());
            std::size_t before = problems.size();
            checkText(at, model, kMaxTextChars, problems);
            if (problems.size() != before) continue;
            bool twice =
                std::any_of(row.models.begin(), row.models.end(),
                            [&](const storage::LeaderModelRow& m) { return m.model == model; });
            if (twice) {
                problems.push_back({at, codes::kFieldDuplicate, at + " names a model twice."});
                continue;
            }
            row.models.push_back({model, static_cast<int>(row.models.size() + 1), false, now});
        }
    } else if (!hasProblemAt(problems, "models")) {
        problems.push_back(
            {"models", codes::kFieldRequired, "Name at least one model (型号/规格)."});
    }
    auto star = read.integer("star_level");
    int target = 5;
    if (row.kind == "self_declared") {
        if (!star && !hasProblemAt(problems, "star_level")) {
            problems.push_back({"star_level", codes::kFieldRequired,
                                "A self-declared product names its star level, 3 or 4."});
        } else if (star && *star != 3 && *star != 4) {
            problems.push_back({"star_level", codes::kFieldChoice,
                                "A self-declared product is of 3 or 4 stars (5 stars is the "
                                "leader certificate's)."});
        } else if (star) {
            target = static_cast<int>(*star);
        }
    } else if (star && *star != 5) {
        problems.push_back({"star_level", codes::kFieldChoice, "A leader standard is of 5 stars."});
    }
    std::map<std::string, double> values;
    if (product) {
        values = readValues(*product, read.object("values"), problems);
    }
    if (!problems.empty()) throw ValidationError(std::move(problems));

    BenchmarkResult result = KeyFieldCatalog::benchmark(*product, values);
    std::string benchmarkJson = result.json(*product);
    if (result.level < target) {
        throw Error(codes::kBenchmarkFailed,
                    "The values reach " +
                        (result.level ? std::to_string(result.level) + " stars"
                                      : std::string("no star level")) +
                        ", not the " + std::to_string(target) +
                        " the declaration asks for: 对标失败, it cannot go on.")
            .withMember("benchmark", benchmarkJson);
    }
    Poco::JSON::Object valuesObject(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& k : product->indicators) valuesObject.set(k.key, values.at(k.key));
    row.id = ids_.next();
    row.organizationId = viewer.organizationId;
    row.valuesJson = jsonText(valuesObject);
    row.benchmarkJson = benchmarkJson;
    row.starLevel = target;
    row.state = row.kind == "leader" ? "submitted" : "declared";
    row.createdBy = viewer.accountId;
    row.createdAtMicros = now;
    row.updatedAtMicros = now;
    auto audit =
        audit_.entry(viewer.accountId, "leader_candidate.declare", "leader-candidate:" + row.id,
                     {{"kind", row.kind},
                      {"product", row.productId},
                      {"standard_number", row.standardNumber},
                      {"star_level", std::to_string(row.starLevel)}});
    if (!rows_.insertCandidate(row, audit)) {
        throw Error(codes::kCertificateCandidateTaken,
                    "The organization has a live declaration for this product and enterprise "
                    "standard already.");
    }
    return row;
}

CandidateRow CertificateService::visible(const Viewer& viewer, const std::string& id) {
    requireParty(viewer);
    auto row = rows_.findCandidate(id);
    if (!row || (viewer.role == Role::Applicant && row->organizationId != viewer.organizationId)) {
        candidateNotFound();
    }
    return *row;
}

std::vector<CandidateRow> CertificateService::list(const Viewer& viewer, const std::string& state) {
    requireParty(viewer);
    static const char* const kStates[] = {"submitted", "notice",  "certified",
                                          "revoked",   "refused", "declared"};
    if (!state.empty() && std::none_of(std::begin(kStates), std::end(kStates),
                                       [&](const char* s) { return state == s; })) {
        throw Error(codes::kRequestMalformed,
                    "state is submitted, notice, certified, revoked, refused or declared.");
    }
    return rows_.listCandidates(viewer.role == Role::Evaluator ? "" : viewer.organizationId, state,
                                500);
}

CandidateRow CertificateService::get(const Viewer& viewer, const std::string& id) {
    return visible(viewer, id);
}

storage::CandidatePage CertificateService::notices(std::uint64_t page, std::uint64_t perPage) {
    return rows_.listNotices(today(), page, perPage);
}

CandidateRow CertificateService::decide(const Viewer& viewer, const std::string& id,
                                        const std::string& json) {
    requireEvaluator(viewer);
    std::vector<FieldProblem> problems;
    auto body = parseBodyObject(json);
    BodyReader read(body, "", problems);
    read.refuseOthers({"decision", "comment"});
    std::string decision = read.text("decision");
    std::string comment = read.text("comment");
    if (!hasProblemAt(problems, "decision") && decision != "approve" && decision != "refuse") {
        problems.push_back({"decision",
                            decision.empty() ? codes::kFieldRequired : codes::kFieldChoice,
                            "decision is approve or refuse."});
    }
    if (!comment.empty()) checkText("comment", comment, 2000, problems);
    if (decision == "refuse" && comment.empty() && !hasProblemAt(problems, "comment")) {
        problems.push_back({"comment", codes::kFieldRequired, "Say why the candidate is refused."});
    }
    if (!problems.empty()) throw ValidationError(std::move(problems));
    auto row = rows_.findCandidate(id);
    if (!row) candidateNotFound();
    std::string starts, ends;
    if (decision == "approve") {
        starts = today();
        ends = addDays(starts, kNoticeDays - 1);
    }
    std::string state = decision == "approve" ? "notice" : "refused";
    auto audit = audit_.entry(
        viewer.accountId, "leader_candidate." + decision, "leader-candidate:" + id,
        {{"before", row->state}, {"after", state}, {"notice_ends_on", ends}, {"comment", comment}});
    if (!rows_.decide(id, state, starts, ends, viewer.accountId, comment, clock_.nowMicros(),
                      audit)) {
        throw Error(
            codes::kCertificateCandidateState,
            "Only a submitted candidate is approved or refused; this one is " + row->state + ".");
    }
    return *rows_.findCandidate(id);
}

ObjectionRow CertificateService::object(const std::string& candidateId, const std::string& json) {
    std::vector<FieldProblem> problems;
    auto body = parseBodyObject(json);
    BodyReader read(body, "", problems);
    read.refuseOthers({"text", "contact"});
    ObjectionRow row;
    // An objection is a person's words over several lines (seed 003: 异议).
    row.text = read.note("text", 2000);
    row.contact = read.text("contact");
    if (!hasProblemAt(problems, "text")) requireWords("text", row.text, problems);
    if (!hasProblemAt(problems, "contact")) checkText("contact", row.contact, 100, problems);
    if (!problems.empty()) throw ValidationError(std::move(problems));
    auto candidate = rows_.findCandidate(candidateId);
    // Only a candidate in public notice is public: any other does not exist for anyone.
    if (!candidate || candidate->state != "notice") candidateNotFound();
    if (today() > candidate->noticeEndsOn) {
        throw Error(codes::kCertificateCandidateState, "The public notice ended on " +
                                                           candidate->noticeEndsOn +
                                                           ": objections are taken during it only.")
            .withMember("notice_ends_on", "\"" + candidate->noticeEndsOn + "\"");
    }
    row.id = ids_.next();
    row.candidateId = candidateId;
    row.lodgedAtMicros = clock_.nowMicros();
    row.state = "open";
    auto audit = audit_.entry("", "leader_objection.lodge", "leader-candidate:" + candidateId,
                              {{"objection", row.id}});
    if (!rows_.insertObjection(row, audit)) candidateNotFound();
    return row;
}

ObjectionRow CertificateService::resolve(const Viewer& viewer, const std::string& candidateId,
                                         const std::string& objectionId, const std::string& json) {
    requireEvaluator(viewer);
    std::vector<FieldProblem> problems;
    auto body = parseBodyObject(json);
    BodyReader read(body, "", problems);
    read.refuseOthers({"outcome", "resolution"});
    std::string outcome = read.text("outcome");
    std::string resolution = read.note("resolution", 2000);
    if (!hasProblemAt(problems, "outcome") && outcome != "upheld" && outcome != "dismissed") {
        problems.push_back({"outcome",
                            outcome.empty() ? codes::kFieldRequired : codes::kFieldChoice,
                            "outcome is upheld or dismissed."});
    }
    if (!hasProblemAt(problems, "resolution")) requireWords("resolution", resolution, problems);
    if (!problems.empty()) throw ValidationError(std::move(problems));
    if (!rows_.findCandidate(candidateId)) candidateNotFound();
    auto all = rows_.objections(candidateId);
    auto it = std::find_if(all.begin(), all.end(),
                           [&](const ObjectionRow& o) { return o.id == objectionId; });
    if (it == all.end()) {
        throw Error(codes::kCertificateObjectionNotFound, "There is no such objection.");
    }
    auto audit = audit_.entry(viewer.accountId, "leader_objection." + outcome,
                              "leader-candidate:" + candidateId,
                              {{"objection", objectionId}, {"resolution", resolution}});
    if (!rows_.resolveObjection(candidateId, objectionId, outcome, resolution, viewer.accountId,
                                clock_.nowMicros(), audit)) {
        throw Error(codes::kCertificateObjectionResolved, "The objection is resolved already.");
    }
    for (auto& o : rows_.objections(candidateId)) {
        if (o.id == objectionId) return o;
    }
    return *it;
}

std::vector<ObjectionRow> CertificateService::objections(const Viewer& viewer,
                                                         const std::string& candidateId) {
    visible(viewer, candidateId);
    return rows_.objections(candidateId);
}

std::string CertificateService::qrUrl(const CertificateRow& row) const {
    return publicUrl_ + "/api/v1/certificates/" + row.number + "/verify?cc=" + row.creditCode +
           "&star=" + std::to_string(row.starLevel) + "&from=" + row.issuedOn +
           "&until=" + row.validUntil + "&sig=" + row.signature;
}

std::string CertificateService::renderPdf(const CertificateRow& row, bool stamped) const {
    renderers::LeaderCertificate c;
    c.certificateNumber = row.number;
    c.enterpriseName = row.enterpriseName;
    c.creditCode = row.creditCode;
    c.domain = row.domain;
    c.productName = row.productName;
    c.standardNumber = row.standardNumber;
    c.standardName = row.standardName;
    c.evaluationBody = row.evaluationBody;
    c.starLevel = row.starLevel;
    c.issuedOn = row.issuedOn;
    c.validUntil = row.validUntil;
    c.verifyUrl = qrUrl(row);
    std::string seal;
    if (stamped) seal = CertificateSigner::fromBase64url(row.sealPngBase64);
    // Dated the issue: the same certificate renders to the same bytes, so the digest the
    // verification reports matches every download.
    return renderers::renderLeaderCertificate(c, seal, row.issuedAtMicros);
}

CertificateRow CertificateService::newRecord(const CandidateRow& candidate, const std::string& kind,
                                             const std::string& issuedOn) {
    auto organization = organizations_.find(candidate.organizationId);
    if (!organization) candidateNotFound();
    const KeyFieldProduct& product = catalog_.get(candidate.productId);
    CertificateRow row;
    row.kind = kind;
    row.number = (kind == "leader" ? "LP" : "SD") + today().substr(0, 4) + "-" + randomNumberPart();
    row.candidateId = candidate.id;
    row.organizationId = candidate.organizationId;
    row.enterpriseName = organization->name;
    row.creditCode = organization->creditCode;
    row.productId = candidate.productId;
    row.productName = candidate.productName;
    row.domain = product.name;
    row.standardNumber = candidate.standardNumber;
    row.standardName = candidate.standardName;
    // A self-declaration is the enterprise's own: no evaluation body vouches for it.
    row.evaluationBody = kind == "leader" ? product.evaluationBody : "";
    row.starLevel = candidate.starLevel;
    row.issuedOn = issuedOn;
    row.validUntil = validUntilOf(issuedOn);
    row.issuedAtMicros = clock_.nowMicros();
    row.keyId = signer_.keyId();
    row.signature = signer_.sign(CertificateSigner::message(
        row.number, row.creditCode, row.starLevel, row.issuedOn, row.validUntil));
    if (kind == "leader") row.unstampedSha256 = storage::Sha256::of(renderPdf(row, false));
    return row;
}

CertificateRow CertificateService::issueRecord(const Viewer& viewer, const CertificateRow& row) {
    std::map<std::string, std::string> details{{"candidate", row.candidateId},
                                               {"kind", row.kind},
                                               {"issued_on", row.issuedOn},
                                               {"valid_until", row.validUntil}};
    if (row.kind == "leader") {
        details.insert(
            {{"sha256", row.unstampedSha256}, {"before", "notice"}, {"after", "certified"}});
    }
    auto audit = audit_.entry(viewer.accountId,
                              row.kind == "leader" ? "certificate.issue" : "self_declaration.issue",
                              "certificate:" + row.number, details);
    switch (rows_.issue(row, audit)) {
        case storage::CertificateRepository::IssueOutcome::Issued:
        case storage::CertificateRepository::IssueOutcome::Exists:
            break;
        case storage::CertificateRepository::IssueOutcome::ObjectionOpen:
            throw Error(codes::kCertificateObjectionOpen,
                        "An objection (异议) to the candidate is unresolved: the certificate "
                        "issues once the evaluator resolves it.");
        case storage::CertificateRepository::IssueOutcome::NotInNotice:
            throw Error(codes::kCertificateNotIssued,
                        row.kind == "leader"
                            ? "The candidate has no certificate: it was refused."
                            : "The self-declaration was revoked: it has no labels.");
    }
    auto stored = rows_.certificateOf(row.candidateId);
    if (!stored) candidateNotFound();
    return *stored;
}

CertificateService::Pdf CertificateService::certificate(const Viewer& viewer,
                                                        const std::string& candidateId) {
    CandidateRow candidate = visible(viewer, candidateId);
    if (candidate.kind == "self_declared") {
        throw Error(codes::kCertificateSelfDeclared,
                    "A self-declared product (自我声明) has labels, not a certificate.");
    }
    auto existing = rows_.certificateOf(candidateId);
    if (!existing) {
        if (candidate.state == "refused") {
            throw Error(codes::kCertificateNotIssued,
                        "The candidate has no certificate: it was refused.");
        }
        if (candidate.state != "notice") {
            throw Error(codes::kCertificateCandidateState,
                        "The candidate awaits the evaluator's approval and its public notice.");
        }
        std::string from = addDays(candidate.noticeEndsOn, 1);
        if (today() < from) {
            throw Error(codes::kCertificateNoticeRunning,
                        "The public notice (公示) ends on " + candidate.noticeEndsOn +
                            " (Beijing time): the certificate is downloadable from " + from + ".")
                .withMember("notice_ends_on", "\"" + candidate.noticeEndsOn + "\"")
                .withMember("available_from", "\"" + from + "\"");
        }
        existing = issueRecord(viewer, newRecord(candidate, "leader", from));
    }
    if (existing->revokedAtMicros) {
        throw Error(
            codes::kCertificateNotIssued,
            "The certificate " + existing->number + " was revoked on " + existing->revokedOn + ".");
    }
    std::string variant = !existing->stampedPdfSha256.empty() ? "stamped_upload"
                          : !existing->stampedSha256.empty()  ? "stamped"
                                                              : "unstamped";
    std::string bytes;
    if (variant == "stamped_upload") {
        auto source = blobs_.open(existing->stampedPdfSha256);
        bytes.resize(source->size());
        bytes.resize(source->readAt(0, bytes.data(), bytes.size()));
        if (storage::Sha256::of(bytes) != existing->stampedPdfSha256) {
            throw Error(codes::kBlobCorrupt, "The stored certificate is damaged.",
                        "blob " + existing->stampedPdfSha256 + " of " + existing->number);
        }
    } else {
        bytes = renderPdf(*existing, variant == "stamped");
    }
    Pdf pdf{std::move(bytes),
            "领跑者证书-" + existing->number + (variant == "unstamped" ? "-无章" : "") + ".pdf",
            existing->number, variant != "unstamped"};
    audit_.record(viewer.accountId, "certificate.download", "certificate:" + existing->number,
                  {{"variant", variant}});
    return pdf;
}

CertificateRow CertificateService::stampable(const Viewer& viewer, const std::string& number) {
    requireEvaluator(viewer);
    auto row = rows_.findCertificate(number);
    if (!row) throw Error(codes::kCertificateNotFound, "There is no certificate of this number.");
    if (row->kind != "leader") {
        throw Error(codes::kCertificateSelfDeclared,
                    "A self-declaration (自我声明) has no certificate to stamp.");
    }
    if (row->revokedAtMicros) {
        throw Error(codes::kCertificateRevoked, "The certificate is revoked: it is not stamped.");
    }
    return *row;
}

CertificateRow CertificateService::uploadStamped(const Viewer& viewer, const std::string& number,
                                                 std::unique_ptr<Upload> upload) {
    stampable(viewer, number);
    PdfLimits limits{1, 1191, 150'000'000};  // one page up to A3 (420 mm), scans up to 150 MP
    auto stored = documents_.storeCheckedPdf(std::move(upload), kMaxStampedPdfBytes, limits,
                                             "stamped certificate");
    auto audit = audit_.entry(viewer.accountId, "certificate.stamp_upload", "certificate:" + number,
                              {{"sha256", stored.sha256}, {"size", std::to_string(stored.size)}});
    if (!rows_.attachStampedPdf(number, stored.sha256, stored.size, clock_.nowMicros(), audit)) {
        // Revoked meanwhile; the blob no row names goes at the next start-up sweep.
        throw Error(codes::kCertificateRevoked, "The certificate is revoked: it is not stamped.");
    }
    return *rows_.findCertificate(number);
}

CertificateRow CertificateService::stamp(const Viewer& viewer, const std::string& number,
                                         const std::string& sealPng) {
    auto row = std::optional<CertificateRow>(stampable(viewer, number));
    auto header = readImageHeader(sealPng);
    if (sealPng.size() > kMaxSealBytes || !header || header->type != MediaType::Png ||
        header->width == 0 || header->height == 0 || header->width > kMaxSealSide ||
        header->height > kMaxSealSide) {
        throw Error(codes::kCertificateSealInvalid,
                    "The seal must be a PNG image of at most 1 MB and 2000 × 2000 pixels.");
    }
    row->sealPngBase64 = CertificateSigner::base64url(sealPng);
    std::string pdf;
    try {
        pdf = renderPdf(*row, true);
    } catch (const Error& e) {
        throw Error(codes::kCertificateSealInvalid, "The seal image cannot be drawn.", e.detail());
    }
    row->stampedSha256 = storage::Sha256::of(pdf);
    auto audit = audit_.entry(viewer.accountId, "certificate.stamp", "certificate:" + number,
                              {{"sha256", row->stampedSha256}});
    if (!rows_.stamp(number, row->sealPngBase64, row->stampedSha256, clock_.nowMicros(), audit)) {
        throw Error(codes::kCertificateRevoked, "The certificate is revoked: it is not stamped.");
    }
    return *rows_.findCertificate(number);
}

CertificateRow CertificateService::revoke(const Viewer& viewer, const std::string& number,
                                          const std::string& json) {
    requireEvaluator(viewer);
    std::vector<FieldProblem> problems;
    auto body = parseBodyObject(json);
    BodyReader read(body, "", problems);
    read.refuseOthers({"reason"});
    std::string reason = read.text("reason");
    if (!hasProblemAt(problems, "reason")) checkText("reason", reason, 500, problems);
    if (!problems.empty()) throw ValidationError(std::move(problems));
    auto row = rows_.findCertificate(number);
    if (!row) throw Error(codes::kCertificateNotFound, "There is no certificate of this number.");
    std::string on = today();
    auto audit = audit_.entry(viewer.accountId, "certificate.revoke", "certificate:" + number,
                              {{"reason", reason},
                               {"revoked_on", on},
                               {"candidate", row->candidateId},
                               {"before", "certified"},
                               {"after", "revoked"}});
    if (!rows_.revoke(number, on, reason, clock_.nowMicros(), audit)) {
        throw Error(codes::kCertificateRevoked, "The certificate is revoked already.");
    }
    return *rows_.findCertificate(number);
}

std::string CertificateService::status(const CertificateRow& row) const {
    if (row.revokedAtMicros) return "revoked";
    return today() > row.validUntil ? "expired" : "valid";
}

std::string CertificateService::certificateJson(const CertificateRow& row) const {
    std::string out = "{\"number\":";
    appendJsonString(out, row.number);
    out += ",\"status\":\"" + status(row) + "\",\"enterprise\":{\"name\":";
    appendJsonString(out, row.enterpriseName);
    out += ",\"credit_code\":";
    appendJsonString(out, row.creditCode);
    out += "},\"product\":{\"key_field_product\":";
    appendJsonString(out, row.domain);
    out += ",\"name\":";
    appendJsonString(out, row.productName);
    out += ",\"standard_number\":";
    appendJsonString(out, row.standardNumber);
    out += ",\"standard_name\":";
    appendJsonString(out, row.standardName);
    out += "},\"kind\":\"" + row.kind + "\",\"evaluation_body\":";
    if (row.kind == "leader") {
        appendJsonString(out, row.evaluationBody);
    } else {
        out += "null";
    }
    out += ",\"star_level\":" + std::to_string(row.starLevel) + ",\"issued_on\":\"" + row.issuedOn +
           "\",\"valid_until\":\"" + row.validUntil + "\",\"revoked\":";
    if (row.revokedAtMicros) {
        out += "{\"on\":\"" + row.revokedOn + "\",\"reason\":";
        appendJsonString(out, row.revokedReason);
        out += "}";
    } else {
        out += "null";
    }
    // The digest of the file a download serves: the uploaded stamped certificate, else the
    // rendering with the seal, else the unstamped one; a self-declaration has no PDF.
    std::string stamped = stampedPdfOf(row);
    auto digest = [&](const std::string& sha) { return sha.empty() ? "null" : "\"" + sha + "\""; };
    out += std::string(",\"stamped\":") + (stamped.empty() ? "false" : "true") +
           ",\"stamped_by\":" +
           (!row.stampedPdfSha256.empty() ? "\"upload\""
            : !row.stampedSha256.empty()  ? "\"seal\""
                                          : "null") +
           ",\"pdf_sha256\":" + digest(stamped.empty() ? row.unstampedSha256 : stamped) +
           ",\"unstamped_pdf_sha256\":" + digest(row.unstampedSha256) + ",\"key_id\":\"" +
           row.keyId + "\",\"signature\":\"" + row.signature + "\",\"qr_url\":";
    appendJsonString(out, qrUrl(row));
    return out + "}";
}

std::string CertificateService::verify(const std::string& number, const std::string& signature) {
    std::optional<CertificateRow> row;
    // A number is 4–40 characters of [A-Z0-9-]; anything else is not looked up.
    bool plausible = number.size() >= 4 && number.size() <= 40 &&
                     std::all_of(number.begin(), number.end(), [](char c) {
                         return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
                     });
    if (plausible) row = rows_.findCertificate(number);
    auto& log = Poco::Logger::get("dossier.certificates");
    if (!row) {
        if (log.information()) log.information("verify" + logField("number", number) + " found=0");
        throw Error(codes::kCertificateNotFound, "There is no certificate of this number.");
    }
    std::string body = certificateJson(*row);
    if (!signature.empty()) {
        bool good =
            signer_.verify(CertificateSigner::message(row->number, row->creditCode, row->starLevel,
                                                      row->issuedOn, row->validUntil),
                           signature);
        body.insert(body.size() - 1,
                    std::string(",\"qr_signature\":\"") + (good ? "valid" : "invalid") + "\"");
    }
    if (log.information()) {
        log.information("verify" + logField("number", number) + " found=1 status=" + status(*row));
    }
    return body;
}

std::string CertificateService::keysJson() const {
    std::string out = "{\"keys\":[{\"key_id\":\"" + signer_.keyId() +
                      "\",\"algorithm\":\"Ed25519\",\"public_key\":\"" + signer_.publicKeyBase64() +
                      "\",\"public_key_pem\":";
    appendJsonString(out, signer_.publicKeyPem());
    out += "}],\"message_format\":";
    appendJsonString(out,
                     "dossier-leader-certificate/1\\n{number}\\n{credit_code}\\n{star_level}\\n"
                     "{issued_on}\\n{valid_until} (UTF-8, no trailing newline); the signature is "
                     "Ed25519 (RFC 8032), base64url without padding, in the QR code's sig");
    return out + "}";
}

CertificateService::Pdf CertificateService::label(const Viewer& viewer,
                                                  const std::string& candidateId, int position) {
    CandidateRow candidate = visible(viewer, candidateId);
    auto it =
        std::find_if(candidate.models.begin(), candidate.models.end(),
                     [&](const storage::LeaderModelRow& m) { return m.position == position; });
    if (it == candidate.models.end()) {
        throw Error(codes::kCertificateModelNotFound, "The candidate lists no such model.");
    }
    auto certificate = rows_.certificateOf(candidateId);
    if (candidate.kind == "self_declared") {
        // Seed 003: a self-declared 3/4-star product's labels download once it is declared;
        // the first issues the record they are numbered by and verified against.
        if (!certificate)
            certificate = issueRecord(viewer, newRecord(candidate, "self_declared", today()));
        if (certificate->revokedAtMicros) {
            throw Error(codes::kCertificateNotIssued, "The self-declaration " +
                                                          certificate->number + " was revoked on " +
                                                          certificate->revokedOn + ".");
        }
    } else if (!certificate || certificate->revokedAtMicros) {
        // The label is downloadable once the certificate is: issue it on the same terms.
        this->certificate(viewer, candidateId);
        certificate = rows_.certificateOf(candidateId);
        if (!certificate) candidateNotFound();
    }
    renderers::LeaderLabel l;
    l.selfDeclared = certificate->kind == "self_declared";
    l.certificateNumber = certificate->number;
    l.enterpriseName = certificate->enterpriseName;
    l.productName = certificate->productName;
    l.model = it->model;
    l.standardNumber = certificate->standardNumber;
    l.starLevel = certificate->starLevel;
    // The label's QR code is smaller (at most 200 bytes): the verification URL without the
    // signed fields; it is checked online. The certificate's carries the signature.
    l.verifyUrl = publicUrl_ + "/api/v1/certificates/" + certificate->number + "/verify";
    Pdf pdf{renderers::renderLeaderLabelPdf(l, certificate->issuedAtMicros),
            (l.selfDeclared ? "星级产品标识-" : "领跑者标识-") + certificate->number + "-" +
                std::to_string(position) + ".pdf",
            certificate->number, false};
    audit_.record(viewer.accountId, "certificate.label", "certificate:" + certificate->number,
                  {{"model", it->model}});
    return pdf;
}

CandidateRow CertificateService::addModel(const Viewer& viewer, const std::string& candidateId,
                                          const std::string& json) {
    requireMember(viewer);
    CandidateRow candidate = visible(viewer, candidateId);
    std::vector<FieldProblem> problems;
    auto body = parseBodyObject(json);
    BodyReader read(body, "", problems);
    read.refuseOthers({"model"});
    std::string model = sheets::normalizeCell(read.text("model"));
    if (!hasProblemAt(problems, "model")) checkText("model", model, kMaxTextChars, problems);
    if (!problems.empty()) throw ValidationError(std::move(problems));
    if (candidate.state == "refused") {
        throw Error(codes::kCertificateCandidateState, "The candidate was refused.");
    }
    if (candidate.state == "revoked") {
        throw Error(codes::kCertificateCandidateState,
                    "The candidate's certificate was revoked: it takes no more models.");
    }
    if (candidate.models.size() >= kMaxModels) {
        throw Error(codes::kCertificateCandidateState, "The candidate lists 100 models already.");
    }
    auto certificate = rows_.certificateOf(candidateId);
    bool afterIssue = certificate && !certificate->revokedAtMicros;
    auto audit = audit_.entry(viewer.accountId, "leader_candidate.add_model",
                              "leader-candidate:" + candidateId,
                              {{"model", model}, {"after_issue", afterIssue ? "true" : "false"}});
    if (!rows_.addModel(candidateId, model, afterIssue, clock_.nowMicros(), audit)) {
        throw Error(codes::kCertificateModelTaken, "The candidate lists this model already.");
    }
    return *rows_.findCandidate(candidateId);
}

std::vector<std::string> CertificateService::addEvidence(const Viewer& viewer,
                                                         const std::string& candidateId,
                                                         const std::string& json) {
    requireMember(viewer);
    visible(viewer, candidateId);
    std::vector<FieldProblem> problems;
    auto body = parseBodyObject(json);
    BodyReader read(body, "", problems);
    read.refuseOthers({"document_id"});
    std::string documentId = read.text("document_id");
    if (!hasProblemAt(problems, "document_id") && documentId.empty()) {
        problems.push_back(
            {"document_id", codes::kFieldRequired,
             "Name a document uploaded by the organization (POST /api/v1/documents)."});
    }
    if (!problems.empty()) throw ValidationError(std::move(problems));
    auto audit = audit_.entry(viewer.accountId, "leader_candidate.add_evidence",
                              "leader-candidate:" + candidateId, {{"document", documentId}});
    auto outcome = rows_.addEvidence(candidateId, viewer.organizationId, documentId,
                                     clock_.nowMicros(), audit);
    if (outcome == storage::CertificateRepository::EvidenceOutcome::NotFound) {
        throw ValidationError({{"document_id", codes::kFieldNotInList,
                                "document_id is not a document of the organization."}});
    }
    return rows_.evidence(candidateId);
}

std::vector<std::string> CertificateService::evidence(const Viewer& viewer,
                                                      const std::string& candidateId) {
    visible(viewer, candidateId);
    return rows_.evidence(candidateId);
}

namespace {

/// What the candidate declares, as both the API and the public notice show it: "kind" through
/// "star_level", appended to an open object.
void appendDeclaration(std::string& out, const CandidateRow& row) {
    out += "\"kind\":\"" + row.kind + "\",\"product\":";
    appendJsonString(out, row.productId);
    out += ",\"product_name\":";
    appendJsonString(out, row.productName);
    out += ",\"standard_number\":";
    appendJsonString(out, row.standardNumber);
    out += ",\"standard_name\":";
    appendJsonString(out, row.standardName);
    out += ",\"models\":" + models(row) + ",\"values\":" + row.valuesJson +
           ",\"benchmark\":" + row.benchmarkJson +
           ",\"star_level\":" + std::to_string(row.starLevel);
}

/// The notice's dates (Beijing), or null before it.
std::string noticeDates(const CandidateRow& row) {
    if (row.noticeEndsOn.empty()) return "null";
    return "{\"starts_on\":\"" + row.noticeStartsOn + "\",\"ends_on\":\"" + row.noticeEndsOn +
           "\",\"certificate_from\":\"" + CertificateService::addDays(row.noticeEndsOn, 1) + "\"}";
}

}  // namespace

std::string CertificateService::candidateJson(const CandidateRow& row) {
    std::string out =
        "{\"id\":\"" + row.id + "\",\"organization_id\":\"" + row.organizationId + "\",";
    appendDeclaration(out, row);
    out += ",\"state\":\"" + row.state + "\",\"notice\":" + noticeDates(row) +
           ",\"decision_comment\":";
    appendJsonString(out, row.decisionComment);
    out += ",\"created_at\":\"" + formatTimestamp(row.createdAtMicros) + "\",\"certificate\":";
    auto certificate = row.state == "certified" || row.state == "revoked" || row.state == "declared"
                           ? rows_.certificateOf(row.id)
                           : std::nullopt;
    if (certificate) {
        out += "{\"number\":\"" + certificate->number + "\",\"kind\":\"" + certificate->kind +
               "\",\"status\":\"" + status(*certificate) +
               "\",\"stamped\":" + (stampedPdfOf(*certificate).empty() ? "false" : "true") + "}";
    } else {
        out += "null";
    }
    return out + "}";
}

std::string CertificateService::noticeJson(const CandidateRow& row) {
    auto organization = organizations_.find(row.organizationId);
    if (!organization) candidateNotFound();
    std::string out = "{\"id\":\"" + row.id + "\",\"enterprise\":{\"name\":";
    appendJsonString(out, organization->name);
    out += ",\"credit_code\":";
    appendJsonString(out, organization->creditCode);
    out += "},";
    appendDeclaration(out, row);
    return out + ",\"notice\":" + noticeDates(row) + "}";
}

std::string CertificateService::objectionJson(const ObjectionRow& row, bool withContact) {
    std::string out =
        "{\"id\":\"" + row.id + "\",\"candidate_id\":\"" + row.candidateId + "\",\"text\":";
    appendJsonString(out, row.text);
    if (withContact) {
        out += ",\"contact\":";
        appendJsonString(out, row.contact);
    }
    out += ",\"lodged_at\":\"" + formatTimestamp(row.lodgedAtMicros) + "\",\"state\":\"" +
           row.state + "\",\"resolution\":";
    appendJsonString(out, row.resolution);
    out += ",\"resolved_at\":";
    out += row.resolvedAtMicros ? "\"" + formatTimestamp(row.resolvedAtMicros) + "\"" : "null";
    return out + "}";
}

}  // namespace dossier::filing

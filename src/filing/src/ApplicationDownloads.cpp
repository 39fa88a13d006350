#include "dossier/filing/ApplicationDownloads.h"

#include <filesystem>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/IdGenerator.h"
#include "dossier/filing/ApplicationOutputs.h"

namespace dossier::filing {
namespace {

/// The experience material's template of a book template.
std::string experienceTemplateOf(const std::string& bookTemplateId) {
    return bookTemplateId + "-experience";
}

std::int64_t secondsOf(std::int64_t micros) {
    // Floor, so an instant before 1970 still names its own second.
    return micros >= 0 ? micros / 1000000 : (micros - 999999) / 1000000;
}

}  // namespace

ApplicationDownloads::ApplicationDownloads(ApplicationService& applications, RenderService& renders,
                                           BundleService& bundles, AuditLog& audit)
    : applications_(applications), renders_(renders), bundles_(bundles), audit_(audit) {}

ApplicationContext ApplicationDownloads::open(const Viewer& viewer, const std::string& id) {
    if (viewer.role != Role::Reviewer) return applications_.context(viewer, id);
    // Drafts are the applicants' own until submitted (as in the formal review).
    if (!IdGenerator::isWellFormed(id)) {
        throw Error(codes::kApplicationNotFound, "No such application.", "id=" + id);
    }
    storage::ApplicationRow row = applications_.find(id);
    if (row.state == "draft") {
        throw Error(codes::kApplicationNotFound, "No such application.", "draft id=" + id);
    }
    return applications_.contextOf(row);
}

void ApplicationDownloads::recordView(const Viewer& viewer, const ApplicationContext& context,
                                      const std::string& output,
                                      const std::map<std::string, std::string>& details) {
    if (viewer.role != Role::Reviewer) return;
    // Every reviewer view is traced: the application names people and shows their evidence.
    auto all = details;
    all["output"] = output;
    all["version"] = std::to_string(context.application.version);
    all["state"] = context.application.state;
    audit_.record(viewer.accountId, "application.viewed", "application:" + context.application.id,
                  all);
}

bool ApplicationDownloads::isSubmitted(const storage::ApplicationRow& row) {
    return !storage::ApplicationRow::isOpen(row.state) && row.submittedAtMicros != 0;
}

std::string ApplicationDownloads::fileName(const ApplicationContext& context,
                                           const std::string& what, const std::string& extension) {
    const auto& row = context.application;
    std::string name = row.number.empty() ? what : row.number + "-" + what;
    return name + (isSubmitted(row) ? "" : "（草稿）") + extension;
}

namespace {

ApplicationBook bookOf(const ApplicationContext& c) {
    ApplicationBook book;
    book.templateId = c.activity.templateId;
    book.dataJson = c.bookDataJson;
    book.applicationNumber = c.application.number;
    book.submittedAtMicros =
        ApplicationDownloads::isSubmitted(c.application) ? c.application.submittedAtMicros : 0;
    book.updatedAtMicros = c.application.updatedAtMicros;
    return book;
}

void requireFormat(const std::string& format) {
    if (format != "pdf" && format != "docx") {
        throw Error(codes::kRequestMalformed, "The format is pdf or docx.");
    }
}

}  // namespace

Rendered ApplicationDownloads::book(const ApplicationContext& context, const std::string& format) {
    requireFormat(format);
    ApplicationBook book = bookOf(context);
    return format == "pdf" ? renders_.renderBook(book) : renders_.renderBookDocx(book);
}

bool ApplicationDownloads::hasExperience(const ApplicationContext& context) const {
    std::error_code ignored;
    return std::filesystem::is_regular_file(
        renders_.templatesDir() + "/" + experienceTemplateOf(context.activity.templateId) + ".json",
        ignored);
}

Rendered ApplicationDownloads::experience(const ApplicationContext& context,
                                          const std::string& format) {
    requireFormat(format);
    if (!hasExperience(context)) {
        throw Error(codes::kApplicationNoExperienceMaterial,
                    "The book of this activity (" + context.activity.templateId +
                        ") asks for no experience material (典型经验材料).");
    }
    // The material prints as its book does: a draft's marked 草稿, a submitted one with its
    // number and instant, dated as the book is.
    ApplicationBook book = bookOf(context);
    book.templateId = experienceTemplateOf(context.activity.templateId);
    book.dataJson = experienceData(context.bookDataJson);
    return format == "pdf" ? renders_.renderBook(book) : renders_.renderBookDocx(book);
}

PreparedBundle ApplicationDownloads::bundle(const Viewer& viewer,
                                            const ApplicationContext& context) {
    std::vector<MadeFile> made;
    for (const char* format : {"pdf", "docx"}) {
        Rendered r = book(context, format);
        made.push_back({std::string("申报书.") + format, r.mediaType, std::move(r.bytes)});
    }
    if (hasExperience(context)) {
        for (const char* format : {"pdf", "docx"}) {
            Rendered r = experience(context, format);
            made.push_back(
                {std::string("典型经验材料.") + format, r.mediaType, std::move(r.bytes)});
        }
    }
    std::vector<std::string> documentIds;
    for (const auto& d : context.documents) documentIds.push_back(d.document.id);
    const auto& row = context.application;
    // The name the organization filed under (the submission's version once submitted).
    std::string organization = context.filing ? context.filing->name : "";
    if (organization.empty()) organization = "申报材料";
    if (!isSubmitted(row)) organization += "（草稿）";
    std::int64_t instant = isSubmitted(row) ? row.submittedAtMicros : row.updatedAtMicros;
    return bundles_.prepare(viewer, organization, std::move(made), documentIds, secondsOf(instant));
}

storage::BundleSummary ApplicationDownloads::writeBundle(const Viewer& viewer,
                                                         PreparedBundle& bundle,
                                                         std::ostream& out) {
    return bundles_.write(viewer, bundle, out);
}

}  // namespace dossier::filing

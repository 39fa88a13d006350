#pragma once

#include <iosfwd>
#include <map>
#include <optional>
#include <string>

#include "dossier/core/Account.h"
#include "dossier/filing/ApplicationService.h"
#include "dossier/filing/BundleService.h"
#include "dossier/filing/RenderService.h"

namespace dossier::filing {

/// An application's downloads (issue 12, "Outputs"): its book as PDF and Word, its experience
/// material (典型经验材料) as PDF and Word, its receipt's data and its bundle, for the two kinds
/// of reader an application has:
/// - the members of its organization (admin or not), in any state: a draft's book carries
///   草稿, a submitted one its number and instant;
/// - reviewers, once it has been submitted (a draft is application.not_found to them, as in
///   the formal review): each download is in the audit log (application.viewed, with the
///   output's name, the application's version and state), and a reviewer's bundle holds the
///   trace-marked review copy of every document (BundleService) — never an original.
/// Everyone else: auth.forbidden (other staff), organization.membership_required (an account
/// of no organization), application.not_found (another organization's). A download changes
/// no state: it does not start the review as opening it in the queue does.
///
/// Thread-safe (the services it holds are).
class ApplicationDownloads {
  public:
    /// References must outlive the object.
    ApplicationDownloads(ApplicationService& applications, RenderService& renders,
                         BundleService& bundles, AuditLog& audit);

    /// The application as `viewer` may read it, with everything it prints. Throws as the
    /// class comment says; nothing is recorded yet (see recordView).
    ApplicationContext open(const Viewer& viewer, const std::string& id);
    /// Records a reviewer's download of `output` (book.pdf, bundle.zip…) before its bytes go
    /// out; `details` are added to the entry. Nothing for the organization's own members
    /// (their downloads of documents are recorded by BundleService). Throws what
    /// AuditLog::record throws.
    void recordView(const Viewer& viewer, const ApplicationContext& context,
                    const std::string& output,
                    const std::map<std::string, std::string>& details = {});

    /// Submitted and not reopened: the book prints its number and instant, the same bytes
    /// every time.
    static bool isSubmitted(const storage::ApplicationRow& row);

    /// The book: `format` pdf or docx (the Word version carries no page marks: a draft is
    /// told by its file name, "…（草稿）.docx"). Throws what RenderService::renderBook throws.
    Rendered book(const ApplicationContext& context, const std::string& format);
    /// The experience material of the activity's book template (template
    /// `{book template}-experience`): its name from the book's experience_name, the
    /// enterprise's name as filed, the four parts from the form's `experience` object;
    /// what is missing prints blank (validated as a draft, the word limits kept). `format`
    /// pdf (a draft's marked 草稿) or docx. Throws application.no_experience_material (404)
    /// when the activity's book has none.
    Rendered experience(const ApplicationContext& context, const std::string& format);
    /// Whether the activity's book template has an experience material.
    bool hasExperience(const ApplicationContext& context) const;

    /// The bundle (`{organization's full name as filed}.zip`, a draft's
    /// `…（草稿）.zip`): the book (PDF, Word), the experience material (PDF, Word) when the
    /// template has one, then every document of the application in its order (summary,
    /// commitment letters, evidence) and manifest.json. Everything that can be refused is
    /// decided here, before a byte is sent. Every entry is dated the submission (a draft: its
    /// last save), so the same data gives the same bytes.
    PreparedBundle bundle(const Viewer& viewer, const ApplicationContext& context);
    /// Streams a prepared bundle (BundleService::write).
    storage::BundleSummary writeBundle(const Viewer& viewer, PreparedBundle& bundle,
                                       std::ostream& out);

    /// A download's file name: "{number}-{what}" (no number yet: "{what}"), "（草稿）" before
    /// the extension for a book of an application not submitted.
    static std::string fileName(const ApplicationContext& context, const std::string& what,
                                const std::string& extension);

  private:
    ApplicationService& applications_;
    RenderService& renders_;
    BundleService& bundles_;
    AuditLog& audit_;
};

}  // namespace dossier::filing

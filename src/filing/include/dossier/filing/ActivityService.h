#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "dossier/core/Account.h"
#include "dossier/core/Clock.h"
#include "dossier/filing/AuditLog.h"
#include "dossier/storage/ActivityRepository.h"

namespace dossier::filing {

/// One entry of an activity's required evidence: at least `minCount` documents of `kind`,
/// each with a `check` (quality, seals or text; "" = none) that does not fail.
struct RequiredEvidence {
    std::string kind;   // [a-z0-9-]: what an application's evidence link names
    std::string label;  // as people read it, e.g. 技术应用满一年的证实性材料
    int minCount = 1;
    std::string check;
};

/// Activities (申报活动, issue 12): an award's call with its submission window, the book
/// template, required evidence, completing units and recommending units. Organizers (and
/// operators) create and edit them; open ones are public. The window is stored in UTC and
/// entered and shown in Asia/Shanghai (+08:00). Thread-safe.
class ActivityService {
  public:
    /// `templatesDir` holds the book templates (`<id>.json`) and `lists/`. References must
    /// outlive the service.
    ActivityService(storage::ActivityRepository& rows, AuditLog& audit, const Clock& clock,
                    std::string templatesDir);

    /// auth.forbidden unless the viewer is an organizer or an operator.
    static void requireOrganizer(const Viewer& viewer);

    /// `json`: {code, title, kind, template_id, opens_at, closes_at, review_until,
    /// required_evidence: [{kind, label, min_count, check}], completing_units,
    /// recommending_units, allow_return}. ValidationError with every problem at once;
    /// activity.code_taken (409).
    storage::ActivityRow create(const Viewer& viewer, const std::string& json);
    /// Replaces everything but the code (the body may repeat it; another is field.read_only).
    /// `ifMatch`: the versions an If-Match names (request.precondition_failed otherwise).
    storage::ActivityRow update(const Viewer& viewer, const std::string& code,
                                const std::string& json,
                                const std::optional<std::set<std::int64_t>>& ifMatch);
    /// activity.not_found. No access check: activities are public.
    storage::ActivityRow get(const std::string& code);
    /// Staff: every activity; anyone else (nullopt: anonymous): those open now.
    std::vector<storage::ActivityRow> list(const std::optional<Viewer>& viewer);

    /// opens ≤ now < closes.
    static bool isOpen(const storage::ActivityRow& row, std::int64_t nowMicros);
    static std::vector<RequiredEvidence> requiredEvidence(const storage::ActivityRow& row);
    /// The activity as the API shows it, with `open` judged at `nowMicros`.
    static std::string toJson(const storage::ActivityRow& row, std::int64_t nowMicros);

    const Clock& clock() const { return clock_; }

  private:
    /// Parses and validates a body into `row` (all but code and the bookkeeping columns).
    void parse(const std::string& json, storage::ActivityRow& row, bool creating);

    storage::ActivityRepository& rows_;
    AuditLog& audit_;
    const Clock& clock_;
    std::string templatesDir_;
};

}  // namespace dossier::filing

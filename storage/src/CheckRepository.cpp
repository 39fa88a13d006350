#include "dossier/storage/CheckRepository.h"

#include <Poco/Data/Session.h>

#include "DatabaseImpl.h"
#include "SqlStatement.h"

namespace dossier::storage {
namespace {

using namespace Poco::Data::Keywords;

// A claim skips checks whose attempts are used up; kAbandon ends them first, in the same
// transaction, so a check whose worker keeps dying is reported instead of re-run forever.
constexpr std::string_view kAbandon =
    "UPDATE checks SET state = 'error', status = 'fail', code = 'check.abandoned', "
    "result_json = '{\"check\":\"' || check_name || '\",\"status\":\"fail\",'"
    " || '\"code\":\"check.abandoned\",\"message\":\"The check stopped ' || attempts"
    " || ' times without finishing; an operator has been alerted.\",\"details\":{},'"
    " || '\"regions\":[]}', updated_at_us = ? "
    "WHERE attempts >= ? AND (state = 'pending' OR (state = 'running' AND claimed_at_us < ?))";
constexpr std::string_view kClaimSqlite =
    "UPDATE checks SET state = 'running', attempts = attempts + 1, claimed_at_us = ?, "
    "updated_at_us = ? "
    "WHERE (document_id, check_name) = ("
    " SELECT document_id, check_name FROM checks"
    " WHERE (state = 'pending' OR (state = 'running' AND claimed_at_us < ?)) AND attempts < ?"
    " ORDER BY updated_at_us LIMIT 1) "
    "RETURNING document_id, check_name, input_json, attempts";
// Same, but rows another node is claiming are skipped instead of waited for.
constexpr std::string_view kClaimPostgres =
    "UPDATE checks SET state = 'running', attempts = attempts + 1, claimed_at_us = ?, "
    "updated_at_us = ? "
    "WHERE (document_id, check_name) = ("
    " SELECT document_id, check_name FROM checks"
    " WHERE (state = 'pending' OR (state = 'running' AND claimed_at_us < ?)) AND attempts < ?"
    " ORDER BY updated_at_us LIMIT 1 FOR UPDATE SKIP LOCKED) "
    "RETURNING document_id, check_name, input_json, attempts";
constexpr std::string_view kComplete =
    "UPDATE checks SET state = 'done', status = ?, code = ?, result_json = ?, updated_at_us = ? "
    "WHERE document_id = ? AND check_name = ? AND state = 'running'";
constexpr std::string_view kFail =
    "UPDATE checks SET state = CASE WHEN attempts >= ? THEN 'error' ELSE 'pending' END, "
    "status = CASE WHEN attempts >= ? THEN 'fail' ELSE NULL END, "
    "result_json = CASE WHEN attempts >= ? THEN ? ELSE NULL END, "
    "code = ?, updated_at_us = ? WHERE document_id = ? AND check_name = ? AND state = 'running'";
constexpr std::string_view kRelease =
    "UPDATE checks SET state = 'pending', updated_at_us = ? WHERE state = 'running'";
constexpr std::string_view kForDocument =
    "SELECT check_name, input_json, state, attempts, COALESCE(status, ''), COALESCE(code, ''), "
    "COALESCE(result_json, ''), updated_at_us FROM checks WHERE document_id = ? "
    "ORDER BY check_name";
constexpr std::string_view kCountPending =
    "SELECT COUNT(*) FROM checks WHERE state IN ('pending', 'running')";
constexpr std::string_view kSaveText =
    "INSERT INTO ocr_text (document_id, page, text) VALUES (?, ?, ?) "
    "ON CONFLICT (document_id, page) DO UPDATE SET text = excluded.text";
constexpr std::string_view kText = "SELECT text FROM ocr_text WHERE document_id = ? AND page = ?";

}  // namespace

std::optional<CheckRow> CheckRepository::claimNext(std::int64_t nowMicros,
                                                   std::int64_t staleBeforeMicros,
                                                   int maxAttempts) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        Poco::Int64 now1 = nowMicros, now2 = nowMicros, stale = staleBeforeMicros;
        Poco::Int64 now3 = nowMicros, stale2 = staleBeforeMicros;
        int max1 = maxAttempts, max2 = maxAttempts;
        session << db.sql(kAbandon), use(now3), use(max1), use(stale2), now;
        std::vector<std::string> ids, names, inputs;
        std::vector<int> attempts;
        session << db.sql(db.dialect == Dialect::PostgreSQL ? kClaimPostgres : kClaimSqlite),
            use(now1), use(now2), use(stale), use(max2), into(ids), into(names), into(inputs),
            into(attempts), now;
        tx.commit();
        if (ids.empty()) return std::nullopt;
        CheckRow row;
        row.documentId = ids[0];
        row.checkName = names[0];
        row.inputJson = inputs[0];
        row.attempts = attempts[0];
        row.state = "running";
        return row;
    } catch (...) {
        rethrowDatabaseError("claim check");
    }
}

void CheckRepository::complete(const CheckRow& row, const std::string& status, ErrorCode code,
                               const std::string& resultJson, std::int64_t nowMicros) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        std::string s = status, c(code.text()), j = resultJson, id = row.documentId,
                    n = row.checkName;
        Poco::Int64 at = nowMicros;
        session << db.sql(kComplete), use(s), use(c), use(j), use(at), use(id), use(n), now;
    } catch (...) {
        rethrowDatabaseError("complete check");
    }
}

void CheckRepository::fail(const CheckRow& row, ErrorCode code, const std::string& resultJson,
                           int maxAttempts, std::int64_t nowMicros) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        std::string c(code.text()), j = resultJson, id = row.documentId, n = row.checkName;
        int max1 = maxAttempts, max2 = maxAttempts, max3 = maxAttempts;
        Poco::Int64 at = nowMicros;
        session << db.sql(kFail), use(max1), use(max2), use(max3), use(j), use(c), use(at), use(id),
            use(n), now;
    } catch (...) {
        rethrowDatabaseError("fail check");
    }
}

std::uint64_t CheckRepository::releaseAllClaims(std::int64_t nowMicros) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        Poco::Int64 at = nowMicros;
        Poco::Data::Statement update(session);
        update << db.sql(kRelease), use(at);
        return update.execute();
    } catch (...) {
        rethrowDatabaseError("release checks");
    }
}

std::vector<CheckRow> CheckRepository::forDocument(const std::string& documentId) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        std::string id = documentId;
        std::vector<std::string> names, inputs, states, statuses, codes, results;
        std::vector<int> attempts;
        std::vector<Poco::Int64> updated;
        session << db.sql(kForDocument), use(id), into(names), into(inputs), into(states),
            into(attempts), into(statuses), into(codes), into(results), into(updated), now;
        std::vector<CheckRow> rows;
        for (std::size_t i = 0; i < names.size(); ++i) {
            rows.push_back({documentId, names[i], inputs[i], states[i], attempts[i], statuses[i],
                            codes[i], results[i], updated[i]});
        }
        return rows;
    } catch (...) {
        rethrowDatabaseError("list checks");
    }
}

std::map<std::string, std::vector<CheckRow>> CheckRepository::forDocuments(
    const std::vector<std::string>& documentIds) {
    std::map<std::string, std::vector<CheckRow>> out;
    if (documentIds.empty()) return out;
    auto& db = db_.impl();
    try {
        auto session = db.session();
        std::string sql =
            "SELECT document_id, check_name, input_json, state, attempts, COALESCE(status, ''), "
            "COALESCE(code, ''), COALESCE(result_json, ''), updated_at_us FROM checks "
            "WHERE document_id IN (";
        for (std::size_t i = 0; i < documentIds.size(); ++i) sql += i ? ", ?" : "?";
        sql += ") ORDER BY document_id, check_name";
        SqlStatement select(db, session, sql, 9);
        for (const auto& id : documentIds) select.bind(id);
        for (std::size_t i = 0, n = select.execute(); i < n; ++i) {
            std::string document = select.text(i, 0);
            out[document].push_back({document, select.text(i, 1), select.text(i, 2),
                                     select.text(i, 3), static_cast<int>(select.integer(i, 4)),
                                     select.text(i, 5), select.text(i, 6), select.text(i, 7),
                                     select.integer(i, 8)});
        }
        return out;
    } catch (...) {
        rethrowDatabaseError("list checks");
    }
}

std::uint64_t CheckRepository::countPending() {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        Poco::Int64 n = 0;
        session << db.sql(kCountPending), into(n), now;
        return static_cast<std::uint64_t>(n);
    } catch (...) {
        rethrowDatabaseError("count checks");
    }
}

void CheckRepository::saveText(const std::string& documentId, int page, const std::string& text) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        std::string id = documentId, t = text;
        int p = page;
        session << db.sql(kSaveText), use(id), use(p), use(t), now;
    } catch (...) {
        rethrowDatabaseError("save OCR text");
    }
}

std::optional<std::string> CheckRepository::text(const std::string& documentId, int page) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        std::string id = documentId;
        int p = page;
        std::vector<std::string> texts;
        session << db.sql(kText), use(id), use(p), into(texts), now;
        if (texts.empty()) return std::nullopt;
        return texts[0];
    } catch (...) {
        rethrowDatabaseError("read OCR text");
    }
}

}  // namespace dossier::storage

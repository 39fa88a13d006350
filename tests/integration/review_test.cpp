// Formal review (形式审查, issue 12) over HTTP against the real server on port 0, with an
// injected clock: the first reviewer view starts the review, decisions with the reasons of
// the activity's kind, return for correction until a deadline and the resubmission, a return
// that lapses at its deadline (one second before and at it), racing decisions, the audit
// trail, the decision as the applicant sees it, the pre-check's rules with the reasons of each
// kind's list, and the notifications of every state change. Runs on SQLite and on PostgreSQL
// (DOSSIER_TEST_BACKEND).
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "ApplicationFixture.h"
#include "CreditCodes.h"
#include "HttpTestClient.h"
#include "InProcessServer.h"
#include "SampleFiles.h"
#include "ScanGenerator.h"
#include "TestDatabase.h"
#include "TestSupport.h"
#include "dossier/app/Services.h"
#include "dossier/evidence/OcrEngine.h"
#include "dossier/http/Server.h"

using namespace dossier;
using namespace dossier::test;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

class ReviewTest : public ApplicationFixture {};

/// A submitted application of the admin's organization.
#define SUBMITTED(var, name)                     \
    std::string var = completeApplication(name); \
    clock->set(kOpens + kSecond);                \
    ASSERT_EQ(submit(*admin, var).status, 200);  \
    clock->set(kOpens + 2 * kSecond)

HttpResult decide(HttpTestClient& c, const std::string& id, const std::string& body) {
    return c.postJson("/api/v1/applications/" + id + "/review", body);
}

std::vector<std::string> actionsOf(HttpTestClient& c, const std::string& id) {
    std::vector<std::string> out;
    auto r = c.get("/api/v1/applications/" + id + "/events");
    EXPECT_EQ(r.status, 200) << r.body;
    auto items = r.json()->getArray("items");
    for (std::size_t i = 0; i < items->size(); ++i) {
        out.push_back(items->getObject(static_cast<unsigned>(i))->getValue<std::string>("action"));
    }
    return out;
}

std::vector<std::string> stringsOf(const Array::Ptr& a, const std::string& key = "") {
    std::vector<std::string> out;
    for (std::size_t i = 0; a && i < a->size(); ++i) {
        out.push_back(key.empty()
                          ? a->getElement<std::string>(static_cast<unsigned>(i))
                          : a->getObject(static_cast<unsigned>(i))->getValue<std::string>(key));
    }
    return out;
}

TEST_F(ReviewTest, TheFirstReviewerViewStartsTheReviewAndEveryViewIsTraced) {
    std::string draft = completeApplication("草稿项目");
    SUBMITTED(id, "审查项目");
    // A draft is the applicant's own; staff other than reviewers and applicants are refused.
    EXPECT_EQ(codeOf(reviewer->get("/api/v1/reviews/" + draft)), "application.not_found");
    EXPECT_EQ(codeOf(reviewer->get("/api/v1/reviews/01HZZZZZZZZZZZZZZZZZZZZZZZ")),
              "application.not_found");
    EXPECT_EQ(reviewer->get("/api/v1/reviews/%27%3B").status, 404);
    EXPECT_EQ(codeOf(admin->get("/api/v1/reviews/" + id)), "auth.forbidden");
    EXPECT_EQ(codeOf(organizer->get("/api/v1/reviews/" + id)), "auth.forbidden");
    EXPECT_EQ(client()->get("/api/v1/reviews/" + id).status, 401);

    auto r = reviewer->get("/api/v1/reviews/" + id);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()->getObject("application")->getValue<std::string>("state"), "under_review");
    EXPECT_EQ(r.json()->getArray("decisions")->size(), 0u);
    ASSERT_EQ(reviewer->get("/api/v1/reviews/" + id).status, 200);
    // Withdrawal is over once a reviewer opened it.
    EXPECT_EQ(codeOf(admin->postJson("/api/v1/applications/" + id + "/withdraw", "")),
              "application.state_conflict");
    EXPECT_EQ(testDb.queryTexts("SELECT COUNT(*) FROM audit_log WHERE action = "
                                "'application.viewed' AND target = 'application:" +
                                id + "'"),
              std::vector<std::string>{"2"});
    EXPECT_EQ(testDb.queryTexts("SELECT COUNT(*) FROM audit_log WHERE action = "
                                "'application.review_started'"),
              std::vector<std::string>{"1"});
    // The applicant's 日志 shows the transition, not the reviewers' views.
    auto actions = actionsOf(*admin, id);
    EXPECT_EQ(actions.back(), "application.review_started");
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "application.viewed"), 0);
    // The reviewer's audit trail is the whole of it, views included; a draft has none to show.
    auto trail = actionsOf(*reviewer, id);
    EXPECT_EQ(std::count(trail.begin(), trail.end(), "application.viewed"), 2);
    EXPECT_NE(std::find(trail.begin(), trail.end(), "application.submit"), trail.end());
    EXPECT_NE(std::find(trail.begin(), trail.end(), "application.review_started"), trail.end());
    EXPECT_EQ(codeOf(reviewer->get("/api/v1/applications/" + draft + "/events")),
              "application.not_found");
    EXPECT_EQ(codeOf(organizer->get("/api/v1/applications/" + id + "/events")), "auth.forbidden");
}

TEST_F(ReviewTest, AFailNamesReasonsOfTheActivitysKindAndEveryProblemComesAtOnce) {
    SUBMITTED(id, "不通过项目");
    auto r = decide(*reviewer, id,
                    R"({"decision":"fail","reasons":["appraisal_missing","other","other",7],)"
                    R"("comment":")" +
                        std::string(2001, 'x') +
                        R"(","return_deadline":"2025-05-01T17:00:00+08:00",)"
                        R"("extra":1})");
    ASSERT_EQ(r.status, 422) << r.body;
    // appraisal_missing is a reason of 质量技术奖 projects, not of 全国质量标杆.
    EXPECT_EQ(problemsOf(r),
              (std::set<std::string>{"reasons[0] field.not_in_list", "reasons[2] field.duplicate",
                                     "reasons[3] field.type", "comment field.too_long",
                                     "return_deadline field.unknown", "extra field.unknown"}));
    EXPECT_EQ(problemsOf(decide(*reviewer, id, R"({"decision":"fail"})")),
              std::set<std::string>{"reasons field.too_few"});
    EXPECT_EQ(problemsOf(decide(*reviewer, id, R"({"decision":"fail","reasons":[]})")),
              std::set<std::string>{"reasons field.too_few"});
    EXPECT_EQ(problemsOf(decide(*reviewer, id, R"({"decision":"maybe"})")),
              std::set<std::string>{"decision field.choice"});
    EXPECT_EQ(problemsOf(decide(*reviewer, id, R"({"reasons":["other"]})")),
              std::set<std::string>{"decision field.required"});
    EXPECT_EQ(problemsOf(decide(*reviewer, id, R"({"decision":"pass","reasons":["other"]})")),
              std::set<std::string>{"reasons field.too_many"});
    EXPECT_EQ(problemsOf(decide(*reviewer, id,
                                R"({"decision":"fail","reasons":["other"],)"
                                R"("comment":"a\u0007b"})")),
              std::set<std::string>{"comment field.control_character"});
    // Nothing of that changed anything: the application is still submitted.
    EXPECT_EQ(testDb.queryTexts("SELECT state FROM applications WHERE id = '" + id + "'"),
              std::vector<std::string>{"submitted"});
    EXPECT_EQ(testDb.queryTexts("SELECT COUNT(*) FROM review_decisions"),
              std::vector<std::string>{"0"});
    // Applicants and other staff do not decide.
    EXPECT_EQ(codeOf(decide(*admin, id, R"({"decision":"pass"})")), "auth.forbidden");
    EXPECT_EQ(codeOf(decide(*organizer, id, R"({"decision":"pass"})")), "auth.forbidden");

    // 2000 characters are the limit, counted in characters (𠮷 is four bytes).
    std::string comment;
    for (int i = 0; i < 1000; ++i) comment += "𠮷'";
    r = decide(*reviewer, id,
               R"({"decision":"fail","reasons":["not_written_as_required","other"],"comment":")" +
                   comment + "\"}");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()->getObject("application")->getValue<std::string>("state"), "failed");
    EXPECT_EQ(
        r.json()->getObject("application")->getObject("review")->getValue<std::string>("decision"),
        "fail");
    auto decision = r.json()->getArray("decisions")->getObject(0);
    EXPECT_EQ(decision->getValue<std::string>("decision"), "fail");
    EXPECT_EQ(decision->getValue<std::string>("comment"), comment);
    auto reasons = decision->getArray("reasons");
    ASSERT_EQ(reasons->size(), 2u);
    EXPECT_EQ(reasons->getObject(1)->getValue<std::string>("code"), "other");
    EXPECT_FALSE(reasons->getObject(1)->getValue<std::string>("label").empty());
    // A decided application takes no second decision.
    EXPECT_EQ(codeOf(decide(*reviewer, id, R"({"decision":"pass"})")),
              "application.state_conflict");
    // The applicant sees the state and, in the 日志, the reasons; the decision and its audit
    // row were one transaction (the submit, the start and the fail in order).
    auto mine = admin->get("/api/v1/applications/" + id);
    EXPECT_EQ(mine.json()->getValue<std::string>("state"), "failed");
    // The applicant sees the decision: the codes with the list's words, and the comment; in
    // 我的申报 too, and in the notification of the failure.
    auto seen = mine.json()->getObject("review");
    ASSERT_TRUE(seen) << mine.body;
    EXPECT_EQ(seen->getValue<std::string>("decision"), "fail");
    EXPECT_EQ(seen->getValue<std::string>("comment"), comment);
    EXPECT_FALSE(seen->getValue<bool>("lapsed"));
    EXPECT_EQ(stringsOf(seen->getArray("reasons"), "code"),
              (std::vector<std::string>{"not_written_as_required", "other"}));
    EXPECT_EQ(
        stringsOf(seen->getArray("reasons"), "label"),
        (std::vector<std::string>{"未按《申报书》及典型经验编写说明要求撰写材料（含字数要求）",
                                  "其他不符合规定申报条件的"}));
    EXPECT_EQ(seen->has("reviewer_id"), false) << "the reviewer stays staff-side";
    auto listed = admin->get("/api/v1/applications").json()->getArray("items")->getObject(0);
    ASSERT_TRUE(listed->getObject("review"));
    EXPECT_EQ(stringsOf(listed->getObject("review")->getArray("reasons"), "code"),
              (std::vector<std::string>{"not_written_as_required", "other"}));
    auto notices = admin->get("/api/v1/notifications").json()->getArray("items");
    ASSERT_EQ(notices->getObject(0)->getValue<std::string>("state"), "failed");
    ASSERT_TRUE(notices->getObject(0)->getObject("review"));
    EXPECT_EQ(notices->getObject(0)->getObject("review")->getValue<std::string>("comment"),
              comment);
    EXPECT_TRUE(notices->getObject(1)->isNull("review")) << "under_review decides nothing";
    auto actions = actionsOf(*admin, id);
    ASSERT_GE(actions.size(), 3u);
    EXPECT_EQ(actions[actions.size() - 2], "application.review_started");
    EXPECT_EQ(actions.back(), "application.failed");
    auto events = admin->get("/api/v1/applications/" + id + "/events").json()->getArray("items");
    auto details =
        events->getObject(static_cast<unsigned>(events->size() - 1))->getObject("details");
    EXPECT_EQ(details->getValue<std::string>("reasons"), R"(["not_written_as_required","other"])");
}

TEST_F(ReviewTest, AReturnReopensTheApplicationUntilItsDeadlineAndResubmittingLocksItAgain) {
    SUBMITTED(id, "退回项目");
    ASSERT_EQ(reviewer->get("/api/v1/reviews/" + id).status, 200);
    std::string path = "/api/v1/applications/" + id;
    EXPECT_EQ(problemsOf(decide(*reviewer, id, R"({"decision":"return","reasons":["other"]})")),
              std::set<std::string>{"return_deadline field.required"});
    EXPECT_EQ(problemsOf(
                  decide(*reviewer, id, R"({"decision":"return","return_deadline":"2025-05-10"})")),
              std::set<std::string>{"return_deadline field.datetime"});
    // After the formal-review deadline (05-23 17:00), or not after now: out of range.
    for (const char* at : {"2025-05-23T17:00:01+08:00", "2025-04-01T09:00:02+08:00"}) {
        EXPECT_EQ(problemsOf(decide(
                      *reviewer, id,
                      std::string(R"({"decision":"return","return_deadline":")") + at + "\"}")),
                  std::set<std::string>{"return_deadline field.range"})
            << at;
    }
    auto r = decide(*reviewer, id,
                    R"({"decision":"return","reasons":["other"],"comment":"请补充盖章页",)"
                    R"("return_deadline":"2025-05-23T17:00:00+08:00"})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()->getObject("application")->getValue<std::string>("state"), "returned");
    EXPECT_EQ(
        r.json()->getArray("decisions")->getObject(0)->getValue<std::string>("return_deadline"),
        "2025-05-23T17:00:00+08:00");
    // The window has closed, but the returned application is open until its deadline: the
    // applicant edits it (the database lets a returned application change) and resubmits.
    clock->set(kCloses + kDay);
    auto mine = admin->get(path);
    ASSERT_EQ(mine.status, 200);
    auto actions = mine.json()->getArray("actions");
    ASSERT_EQ(actions->size(), 2u);
    Object body;
    auto form = sampleForm();
    body.set("form", form);
    body.set("recommending_unit", "广东省工业和信息化厅");
    body.set("contact", contact());
    body.set("commitment_accepted", true);
    Array::Ptr documents = new Array;
    auto given = mine.json()->getArray("documents");
    for (std::size_t i = 0; i < given->size(); ++i) {
        auto d = given->getObject(static_cast<unsigned>(i));
        Object::Ptr link = new Object;
        link->set("document_id", d->getValue<std::string>("document_id"));
        link->set("role", d->getValue<std::string>("role"));
        if (d->has("evidence_kind") && !d->isNull("evidence_kind")) {
            link->set("evidence_kind", d->getValue<std::string>("evidence_kind"));
        }
        documents->add(link);
    }
    body.set("documents", documents);
    auto saved = admin->postJson(path, toJson(body), "PUT");
    ASSERT_EQ(saved.status, 200) << saved.body;
    auto resubmitted = submit(*admin, id);
    ASSERT_EQ(resubmitted.status, 200) << resubmitted.body;
    EXPECT_EQ(resubmitted.json()->getValue<std::string>("state"), "submitted");
    EXPECT_EQ(resubmitted.json()->getValue<std::string>("number"), "benchmark-2025-000001");
    EXPECT_EQ(codeOf(admin->postJson(path, toJson(body), "PUT")), "application.locked");
    // The second review: opened again, passed.
    clock->set(kCloses + 2 * kDay);
    ASSERT_EQ(reviewer->get("/api/v1/reviews/" + id).status, 200);
    clock->set(kCloses + 3 * kDay);
    r = decide(*reviewer, id, R"({"decision":"pass","comment":"材料齐全"})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()->getObject("application")->getValue<std::string>("state"), "passed");
    EXPECT_EQ(r.json()->getArray("decisions")->size(), 2u);
    EXPECT_EQ(actionsOf(*admin, id).back(), "application.passed");
}

// 2025-05-01T17:00:00+08:00, a return's deadline, is 09:00:00 UTC: compared in UTC.
constexpr std::int64_t kReturnDeadline = 1746090000LL * kSecond;
constexpr const char* kReturnBody =
    R"({"decision":"return","reasons":["commitment_not_sealed"],"comment":"请补充第二完成单位盖章页",)"
    R"("return_deadline":"2025-05-01T17:00:00+08:00"})";

TEST_F(ReviewTest, AReturnNotResubmittedByItsDeadlineFails) {
    std::string memberId;
    auto plain = member("wangfang1", "13800000002", &memberId);
    SUBMITTED(id, "逾期项目");
    ASSERT_EQ(decide(*reviewer, id, kReturnBody).status, 200);
    std::string path = "/api/v1/applications/" + id;

    // One second before the deadline the applicant still corrects it; the database lets a
    // returned application change.
    clock->set(kReturnDeadline - kSecond);
    auto before = admin->get(path);
    ASSERT_EQ(before.status, 200) << before.body;
    EXPECT_EQ(before.json()->getValue<std::string>("state"), "returned");
    EXPECT_EQ(stringsOf(before.json()->getArray("actions")),
              (std::vector<std::string>{"edit", "submit"}));
    auto review = before.json()->getObject("review");
    ASSERT_TRUE(review) << before.body;
    EXPECT_EQ(review->getValue<std::string>("decision"), "return");
    EXPECT_EQ(review->getValue<std::string>("return_deadline"), "2025-05-01T17:00:00+08:00");
    EXPECT_FALSE(review->getValue<bool>("lapsed"));
    auto saved = admin->postJson(path, R"({"form":{"experience_name":"补正后的经验"}})", "PUT");
    EXPECT_EQ(saved.status, 200) << saved.body;
    EXPECT_EQ(services->returnDeadlineSweep().runOnce(), 0u);
    testDb.exec("UPDATE applications SET contact_json = '{}' WHERE id = '" + id + "'");

    // At the deadline it has failed, whoever looks first: the reader applies the rule.
    clock->set(kReturnDeadline);
    auto after = admin->get(path);
    ASSERT_EQ(after.status, 200) << after.body;
    EXPECT_EQ(after.json()->getValue<std::string>("state"), "failed");
    EXPECT_EQ(after.json()->getArray("actions")->size(), 0u);
    EXPECT_EQ(after.json()->getValue<std::string>("state_changed_at"), "2025-05-01T09:00:00.000Z");
    review = after.json()->getObject("review");
    ASSERT_TRUE(review) << after.body;
    EXPECT_TRUE(review->getValue<bool>("lapsed"));
    EXPECT_EQ(review->getValue<std::string>("comment"), "请补充第二完成单位盖章页");
    EXPECT_EQ(stringsOf(review->getArray("reasons"), "label"),
              std::vector<std::string>{"申报承诺书未加盖申报企业公章"});
    auto refused = admin->postJson(path, R"({"form":{}})", "PUT");
    EXPECT_EQ(refused.status, 409) << refused.body;
    EXPECT_EQ(codeOf(refused), "application.locked");
    EXPECT_EQ(codeOf(submit(*admin, id)), "application.locked");
    EXPECT_ANY_THROW(
        testDb.exec("UPDATE applications SET contact_json = '{\"x\":1}' WHERE id = '" + id + "'"));
    // Lapsed once: one audit entry (no account: the rule, not a person), in the 日志, and
    // every member notified with the return's reasons.
    EXPECT_EQ(admin->get(path).json()->getValue<std::string>("state"), "failed");
    EXPECT_EQ(testDb.queryTexts("SELECT COALESCE(account_id, '-') FROM audit_log WHERE action = "
                                "'application.return_lapsed'"),
              std::vector<std::string>{"-"});
    EXPECT_EQ(actionsOf(*admin, id).back(), "application.return_lapsed");
    for (auto* c : {admin.get(), plain.get()}) {
        auto items = c->get("/api/v1/notifications").json()->getArray("items");
        auto newest = items->getObject(0);
        EXPECT_EQ(newest->getValue<std::string>("state"), "failed");
        ASSERT_TRUE(newest->getObject("review"));
        EXPECT_TRUE(newest->getObject("review")->getValue<bool>("lapsed"));
        EXPECT_EQ(stringsOf(newest->getObject("review")->getArray("reasons"), "code"),
                  std::vector<std::string>{"commitment_not_sealed"});
    }
    EXPECT_EQ(services->returnDeadlineSweep().runOnce(), 0u);
}

// Readers, savers, submitters and the sweep all meet the deadline at once: the conditional
// UPDATE lapses the return exactly once — one audit entry, one notice per member — and nobody
// changes it.
TEST_F(ReviewTest, ALapseRacedByReadersAndTheSweepHappensOnce) {
    SUBMITTED(id, "并发逾期");
    ASSERT_EQ(decide(*reviewer, id, kReturnBody).status, 200);
    clock->set(kReturnDeadline);
    constexpr int kThreads = 8;
    std::atomic<bool> go{false};
    std::atomic<int> unexpected{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] {
            HttpTestClient c(server->port());
            c.setBearer(admin->bearer());
            while (!go) std::this_thread::yield();
            std::string path = "/api/v1/applications/" + id;
            HttpResult r = i % 4 == 0   ? c.get(path)
                           : i % 4 == 1 ? c.postJson(path, R"({"form":{}})", "PUT")
                           : i % 4 == 2 ? submit(c, id)
                                        : c.get("/api/v1/applications");
            bool fine =
                i % 4 == 0 || i % 4 == 3 ? r.status == 200 : codeOf(r) == "application.locked";
            if (!fine) {
                ++unexpected;
                ADD_FAILURE() << i << ": " << r.status << " " << r.body;
            }
        });
    }
    go = true;
    services->returnDeadlineSweep().runOnce();
    for (auto& t : threads) t.join();
    EXPECT_EQ(unexpected, 0);
    EXPECT_EQ(testDb.queryTexts("SELECT state FROM applications WHERE id = '" + id + "'"),
              std::vector<std::string>{"failed"});
    EXPECT_EQ(testDb.queryTexts("SELECT COUNT(*) FROM audit_log WHERE action = "
                                "'application.return_lapsed'"),
              std::vector<std::string>{"1"});
    EXPECT_EQ(testDb.queryTexts("SELECT COUNT(*) FROM notifications WHERE state = 'failed'"),
              std::vector<std::string>{"1"});  // the admin, the organization's one member
}

TEST_F(ReviewTest, TheSweepFailsLapsedReturnsNobodyReads) {
    SUBMITTED(first, "逾期一");
    std::string second = completeApplication("逾期二");
    clock->set(kOpens + 3 * kSecond);
    ASSERT_EQ(submit(*admin, second).status, 200);
    ASSERT_EQ(decide(*reviewer, first, kReturnBody).status, 200);
    std::string later = kReturnBody;
    later.replace(later.find("2025-05-01"), 10, "2025-05-02");
    ASSERT_EQ(decide(*reviewer, second, later).status, 200);
    clock->set(kReturnDeadline - kSecond);
    EXPECT_EQ(services->returnDeadlineSweep().runOnce(), 0u);
    clock->set(kReturnDeadline);
    EXPECT_EQ(services->returnDeadlineSweep().runOnce(), 1u);
    EXPECT_EQ(testDb.queryTexts("SELECT state FROM applications ORDER BY return_deadline_us"),
              (std::vector<std::string>{"failed", "returned"}));
    EXPECT_EQ(testDb.queryTexts("SELECT state FROM notifications WHERE application_id = '" + first +
                                "' ORDER BY application_version DESC"),
              (std::vector<std::string>{"failed", "returned", "under_review", "submitted"}));
    // The reviewer queue of failed ones lists it; at the second deadline the queue's own
    // read fails the other.
    clock->set(kReturnDeadline + kDay);
    auto failedOnes = reviewer->get("/api/v1/reviews?state=failed");
    ASSERT_EQ(failedOnes.status, 200) << failedOnes.body;
    EXPECT_EQ(failedOnes.json()->getValue<int>("total"), 2);
    EXPECT_EQ(reviewer->get("/api/v1/reviews?state=returned").json()->getValue<int>("total"), 0);
    // 我的申报 shows both failed, each with the return that lapsed.
    auto mine = admin->get("/api/v1/applications");
    ASSERT_EQ(mine.status, 200) << mine.body;
    auto items = mine.json()->getArray("items");
    for (std::size_t i = 0; i < items->size(); ++i) {
        auto item = items->getObject(static_cast<unsigned>(i));
        EXPECT_EQ(item->getValue<std::string>("state"), "failed");
        ASSERT_TRUE(item->getObject("review")) << mine.body;
        EXPECT_TRUE(item->getObject("review")->getValue<bool>("lapsed"));
    }
    EXPECT_EQ(testDb.queryTexts("SELECT COUNT(*) FROM audit_log WHERE action = "
                                "'application.return_lapsed'"),
              std::vector<std::string>{"2"});
}

TEST_F(ReviewTest, AnActivityThatAllowsNoReturnRefusesOne) {
    std::string body = activityBody("benchmark-2025-noreturn");
    body.replace(body.find(R"("allow_return":true)"), 19, R"("allow_return":false)");
    ASSERT_EQ(organizer->postJson("/api/v1/activities", body).status, 201);
    std::string id = createId(project("不可退回"));
    (void)id;
    auto created =
        admin->postJson("/api/v1/applications", R"({"activity":"benchmark-2025-noreturn",)"
                                                R"("project_id":")" +
                                                    project("不可退回二") + R"("})");
    ASSERT_EQ(created.status, 201) << created.body;
    std::string other = created.json()->getValue<std::string>("id");
    auto docs = uploadDocuments(*admin);
    settleChecks();
    ASSERT_EQ(admin->postJson("/api/v1/applications/" + other, completeBody(docs), "PUT").status,
              200);
    clock->set(kOpens + kSecond);
    ASSERT_EQ(submit(*admin, other).status, 200);
    auto r = decide(*reviewer, other,
                    R"({"decision":"return","reasons":["other"],)"
                    R"("return_deadline":"2025-05-01T17:00:00+08:00"})");
    EXPECT_EQ(r.status, 409) << r.body;
    EXPECT_EQ(codeOf(r), "review.return_not_allowed");
    EXPECT_EQ(testDb.queryTexts("SELECT state FROM applications WHERE id = '" + other + "'"),
              std::vector<std::string>{"submitted"});
}

TEST_F(ReviewTest, OfRacingDecisionsExactlyOneWins) {
    SUBMITTED(id, "并发审查");
    constexpr int kThreads = 8;
    std::atomic<int> ok{0}, conflict{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] {
            HttpTestClient c(server->port());
            c.setBearer(reviewer->bearer());
            while (!go) std::this_thread::yield();
            auto r = decide(
                c, id,
                i % 2 ? R"({"decision":"pass"})" : R"({"decision":"fail","reasons":["other"]})");
            if (r.status == 200) {
                ++ok;
            } else if (r.status == 409 && codeOf(r) == "application.state_conflict") {
                ++conflict;
            } else {
                ADD_FAILURE() << r.status << " " << r.body;
            }
        });
    }
    go = true;
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok, 1);
    EXPECT_EQ(conflict, kThreads - 1);
    EXPECT_EQ(testDb.queryTexts("SELECT COUNT(*) FROM review_decisions"),
              std::vector<std::string>{"1"});
    EXPECT_EQ(testDb.queryTexts("SELECT COUNT(*) FROM audit_log WHERE action IN "
                                "('application.passed', 'application.failed')"),
              std::vector<std::string>{"1"});
    EXPECT_EQ(testDb.queryTexts("SELECT COUNT(*) FROM audit_log WHERE action = "
                                "'application.review_started'"),
              std::vector<std::string>{"1"});
}

TEST_F(ReviewTest, TheDatabaseKeepsOneDecisionPerVersion) {
    SUBMITTED(id, "唯一决定");
    ASSERT_EQ(decide(*reviewer, id, R"({"decision":"pass"})").status, 200);
    auto version =
        testDb.queryTexts("SELECT CAST(application_version AS TEXT) FROM review_decisions");
    ASSERT_EQ(version.size(), 1u);
    std::string insert =
        "INSERT INTO review_decisions (id, application_id, application_version, decision, "
        "reasons_json, comment, reviewer_id, decided_at_us) SELECT 'X', application_id, "
        "application_version, 'fail', '[]', '', reviewer_id, 1 FROM review_decisions";
    EXPECT_ANY_THROW(testDb.exec(insert));
    // A return names its deadline, nothing else does.
    EXPECT_ANY_THROW(
        testDb.exec("UPDATE review_decisions SET return_deadline_us = 1 WHERE decision = 'pass'"));
    EXPECT_ANY_THROW(testDb.exec(
        "UPDATE review_decisions SET decision = 'maybe' WHERE application_id = '" + id + "'"));
}

TEST_F(ReviewTest, ThePrecheckShowsEveryRuleAndFlagsFilesOfAnotherOrganization) {
    SUBMITTED(id, "预审项目");
    // Another organization submits the very same files (the same bytes, uploaded again).
    auto other = client();
    ASSERT_TRUE(other->signUp("other01", "13700000001", "其他公司", makeCreditCode(7)));
    std::string otherOrg = other->get("/api/v1/me")
                               .json()
                               ->getObject("account")
                               ->getValue<std::string>("organization_id");
    approveFiling(*other, otherOrg, "其他公司", makeCreditCode(7));
    auto project =
        other->postJson("/api/v1/projects", R"({"name":"他人项目","keywords":["质量追溯"],)"
                                            R"("summary":"以LIMS为核心的检验全过程质量追溯。"})");
    ASSERT_EQ(project.status, 201) << project.body;
    auto created = create(*other, project.json()->getValue<std::string>("id"));
    ASSERT_EQ(created.status, 201) << created.body;
    std::string theirs = created.json()->getValue<std::string>("id");
    auto docs = uploadDocuments(*other);
    settleChecks();
    ASSERT_EQ(other->postJson("/api/v1/applications/" + theirs, completeBody(docs), "PUT").status,
              200);

    auto precheck = [&] {
        auto r = reviewer->get("/api/v1/applications/" + id + "/precheck");
        EXPECT_EQ(r.status, 200) << r.body;
        std::map<std::string, Object::Ptr> rules;
        auto items = r.json()->getArray("rules");
        for (std::size_t i = 0; i < items->size(); ++i) {
            auto rule = items->getObject(static_cast<unsigned>(i));
            rules[rule->getValue<std::string>("rule")] = rule;
        }
        return rules;
    };
    // Their draft does not count: only what was submitted.
    auto rules = precheck();
    ASSERT_EQ(rules.size(), 7u);
    for (const char* name : {"commitment_seals", "license", "required_evidence", "recommendation",
                             "template_complete", "word_limits", "shared_files"}) {
        ASSERT_TRUE(rules.count(name)) << name;
        EXPECT_EQ(rules[name]->getValue<std::string>("result"), "pass") << name;
    }
    auto seals = rules["commitment_seals"]->getObject("evidence");
    EXPECT_EQ(seals->getValue<int>("completing_units"), 2);
    EXPECT_EQ(seals->getValue<int>("letters"), 2);
    EXPECT_EQ(seals->getArray("documents")->getObject(0)->getValue<std::string>("status"), "pass");
    EXPECT_FALSE(rules["shared_files"]->getValue<bool>("blocking"));

    ASSERT_EQ(submit(*other, theirs).status, 200);
    rules = precheck();
    EXPECT_EQ(rules["shared_files"]->getValue<std::string>("result"), "warn");
    auto shared = rules["shared_files"]->getArray("evidence");
    EXPECT_EQ(shared->size(), 4u);  // the summary, both letters and the evidence
    EXPECT_EQ(shared->getObject(0)->getValue<std::string>("other_application_id"), theirs);
    EXPECT_EQ(shared->getObject(0)->getValue<std::string>("other_organization"), "其他公司");
    // A seals check that failed since (a re-run, say) shows as a failed rule.
    testDb.exec(
        "UPDATE checks SET status = 'fail' WHERE check_name = 'seals' AND document_id IN "
        "(SELECT document_id FROM application_documents WHERE application_id = '" +
        id + "' AND role = 'commitment')");
    EXPECT_EQ(precheck()["commitment_seals"]->getValue<std::string>("result"), "fail");
    // The queue filtered on a failed rule: ours, not theirs (whose shared files only warn).
    auto failing = reviewer->get("/api/v1/reviews?precheck=fail");
    ASSERT_EQ(failing.status, 200) << failing.body;
    EXPECT_EQ(failing.json()->getValue<int>("total"), 1);
    EXPECT_EQ(failing.json()->getArray("items")->getObject(0)->getValue<std::string>("id"), id);
    EXPECT_EQ(reviewer->get("/api/v1/reviews").json()->getValue<int>("total"), 2);
    EXPECT_EQ(reviewer->get("/api/v1/reviews?precheck=fail&page=2&per_page=1")
                  .json()
                  ->getArray("items")
                  ->size(),
              0u);
    EXPECT_EQ(codeOf(reviewer->get("/api/v1/reviews?precheck=pass")), "request.malformed");
    // Read-only: still submitted, the precheck is audited.
    EXPECT_EQ(testDb.queryTexts("SELECT state FROM applications WHERE id = '" + id + "'"),
              std::vector<std::string>{"submitted"});
    EXPECT_EQ(testDb.queryTexts("SELECT COUNT(*) FROM audit_log WHERE action = "
                                "'application.prechecked'"),
              std::vector<std::string>{"3"});
    EXPECT_EQ(codeOf(admin->get("/api/v1/applications/" + id + "/precheck")), "auth.forbidden");
    std::string draft = completeApplication("草稿");
    EXPECT_EQ(codeOf(reviewer->get("/api/v1/applications/" + draft + "/precheck")),
              "application.not_found");
}

// Each pre-check rule names the reasons of the activity kind's list it supports; a failed
// rule's reasons come back as suggested_reasons, which a fail decision takes as they are.
TEST_F(ReviewTest, ThePrecheckNamesTheReasonsOfEachKindsList) {
    struct Kind {
        const char* kind;
        const char* list;
        std::map<std::string, std::vector<std::string>> reasonsByRule;
        std::vector<std::string> sealsFailed;  // suggested when the seals check fails
    };
    const std::vector<Kind> kinds{
        {"benchmark",
         "formal-review-reasons-benchmark",
         {{"commitment_seals", {"commitment_not_sealed"}},
          {"license", {"license_mismatch"}},
          {"required_evidence", {"experience_missing"}},
          {"recommendation", {"recommendation_missing"}},
          {"template_complete", {"not_written_as_required"}},
          {"word_limits", {"not_written_as_required"}},
          {"shared_files", {}}},
         {"commitment_not_sealed"}},
        {"tech_project",
         "formal-review-reasons-tech-project",
         {{"commitment_seals", {"commitment_seals_incomplete"}},
          {"license", {"other"}},
          {"required_evidence", {"application_evidence_missing", "appraisal_missing"}},
          {"recommendation", {"other"}},
          {"template_complete", {"not_written_as_required"}},
          {"word_limits", {"not_written_as_required"}},
          {"shared_files", {}}},
         {"commitment_seals_incomplete"}},
        {"tech_individual",
         "formal-review-reasons-tech-individual",
         {{"commitment_seals", {"commitment_not_sealed"}},
          {"license", {"other"}},
          {"required_evidence", {"not_eligible"}},
          {"recommendation", {"other"}},
          {"template_complete", {"not_written_as_required"}},
          {"word_limits", {"not_written_as_required"}},
          {"shared_files", {}}},
         {"commitment_not_sealed"}},
    };
    int n = 0;
    for (const auto& k : kinds) {
        SCOPED_TRACE(k.kind);
        std::string code = std::string("kind-") + std::to_string(++n) + "-2025";
        std::string body = activityBody(code);
        body.replace(body.find(R"("kind":"benchmark")"), 18,
                     std::string(R"("kind":")") + k.kind + "\"");
        clock->set(kOpens - kDay);
        ASSERT_EQ(organizer->postJson("/api/v1/activities", body).status, 201);
        clock->set(kOpens);
        auto created = create(*admin, project(std::string("分类预审") + k.kind), code);
        ASSERT_EQ(created.status, 201) << created.body;
        std::string id = created.json()->getValue<std::string>("id");
        auto docs = uploadDocuments(*admin);
        settleChecks();
        ASSERT_EQ(admin->postJson("/api/v1/applications/" + id, completeBody(docs), "PUT").status,
                  200);
        clock->set(kOpens + kSecond);
        ASSERT_EQ(submit(*admin, id).status, 200);

        auto read = [&] {
            auto r = reviewer->get("/api/v1/applications/" + id + "/precheck");
            EXPECT_EQ(r.status, 200) << r.body;
            return r.json();
        };
        auto passing = read();
        EXPECT_EQ(passing->getValue<std::string>("reasons_list"), k.list);
        EXPECT_EQ(passing->getArray("suggested_reasons")->size(), 0u);
        auto rules = passing->getArray("rules");
        ASSERT_EQ(rules->size(), k.reasonsByRule.size());
        for (std::size_t i = 0; i < rules->size(); ++i) {
            auto rule = rules->getObject(static_cast<unsigned>(i));
            std::string name = rule->getValue<std::string>("rule");
            ASSERT_TRUE(k.reasonsByRule.count(name)) << name;
            EXPECT_EQ(stringsOf(rule->getArray("reasons"), "code"), k.reasonsByRule.at(name))
                << name;
            for (const auto& label : stringsOf(rule->getArray("reasons"), "label")) {
                EXPECT_FALSE(label.empty()) << name;
            }
        }
        // The second letter's seals check failed since (a re-run): the seals rule fails and
        // suggests the kind's own reason.
        testDb.exec(
            "UPDATE checks SET status = 'fail' WHERE check_name = 'seals' AND "
            "document_id = '" +
            docs.commitment2 + "'");
        auto failing = read();
        EXPECT_EQ(stringsOf(failing->getArray("suggested_reasons")), k.sealsFailed);
        Object decision;
        decision.set("decision", "fail");
        decision.set("reasons", failing->getArray("suggested_reasons"));
        auto r = decide(*reviewer, id, toJson(decision));
        ASSERT_EQ(r.status, 200) << r.body;
        auto seen = admin->get("/api/v1/applications/" + id).json()->getObject("review");
        ASSERT_TRUE(seen);
        EXPECT_EQ(stringsOf(seen->getArray("reasons"), "code"), k.sealsFailed);
    }
}

// The decision forms' lists: every reason of the file in its order, with the pre-check rules it
// stands for; only the four lists reviewers decide with, and only to reviewers.
TEST_F(ReviewTest, TheReasonListsAreServedToReviewersInTheListsOrder) {
    auto benchmark = reviewer->get("/api/v1/reason-lists/formal-review-reasons-benchmark");
    ASSERT_EQ(benchmark.status, 200) << benchmark.body;
    auto list = benchmark.json();
    EXPECT_EQ(list->getValue<std::string>("id"), "formal-review-reasons-benchmark");
    EXPECT_FALSE(list->getValue<std::string>("title").empty());
    auto items = list->getArray("items");
    EXPECT_EQ(stringsOf(items, "code"),
              (std::vector<std::string>{"recommendation_missing", "commitment_not_sealed",
                                        "experience_missing", "not_written_as_required",
                                        "license_mismatch", "state_secret", "other"}));
    EXPECT_EQ(items->getObject(1)->getValue<std::string>("label"), "申报承诺书未加盖申报企业公章");
    EXPECT_EQ(stringsOf(items->getObject(3)->getArray("precheck_rules")),
              (std::vector<std::string>{"template_complete", "word_limits"}));
    EXPECT_EQ(items->getObject(5)->getArray("precheck_rules")->size(), 0u);

    for (const char* id : {"formal-review-reasons-tech-project",
                           "formal-review-reasons-tech-individual", "filing-rejection-reasons"}) {
        auto r = reviewer->get(std::string("/api/v1/reason-lists/") + id);
        ASSERT_EQ(r.status, 200) << id << r.body;
        EXPECT_EQ(r.json()->getValue<std::string>("id"), id);
        EXPECT_GT(r.json()->getArray("items")->size(), 1u) << id;
    }
    EXPECT_EQ(stringsOf(reviewer->get("/api/v1/reason-lists/filing-rejection-reasons")
                            .json()
                            ->getArray("items"),
                        "code")
                  .front(),
              "license_unreadable");

    // The forms' other lists, and names that are no list at all, are no reason list.
    for (const char* id : {"provinces", "recommending-units-2022", "no-such-list"}) {
        auto r = reviewer->get(std::string("/api/v1/reason-lists/") + id);
        EXPECT_EQ(r.status, 404) << id;
        EXPECT_EQ(r.json()->getValue<std::string>("code"), "reason_list.not_found") << id;
    }
    // Applicants and the other staff decide nothing.
    for (auto* caller : {admin.get(), organizer.get()}) {
        auto r = caller->get("/api/v1/reason-lists/filing-rejection-reasons");
        EXPECT_EQ(r.status, 403);
        EXPECT_EQ(r.json()->getValue<std::string>("code"), "auth.forbidden");
    }
}

TEST_F(ReviewTest, TheQueueListsSubmittedApplicationsFilteredAndPaged) {
    std::string draft = completeApplication("草稿");
    std::string first = completeApplication("第一项");
    std::string second = completeApplication("第二项");
    clock->set(kOpens + kSecond);
    ASSERT_EQ(submit(*admin, first).status, 200);
    clock->set(kOpens + 2 * kSecond);
    ASSERT_EQ(submit(*admin, second).status, 200);
    auto idsOf = [](const HttpResult& r) {
        std::vector<std::string> out;
        EXPECT_EQ(r.status, 200) << r.body;
        if (r.status != 200) return out;
        auto items = r.json()->getArray("items");
        for (std::size_t i = 0; i < items->size(); ++i) {
            out.push_back(items->getObject(static_cast<unsigned>(i))->getValue<std::string>("id"));
        }
        return out;
    };
    // The work to do, the oldest submission first; drafts are never listed.
    auto all = reviewer->get("/api/v1/reviews");
    EXPECT_EQ(idsOf(all), (std::vector<std::string>{first, second}));
    EXPECT_EQ(all.json()->getValue<int>("total"), 2);
    EXPECT_EQ(all.json()->getValue<int>("per_page"), 50);
    auto item = all.json()->getArray("items")->getObject(0);
    EXPECT_EQ(item->getValue<std::string>("organization_name"), kOrganization);
    EXPECT_EQ(item->getValue<std::string>("number"), "benchmark-2025-000001");
    EXPECT_EQ(item->getValue<std::string>("submitted_at"), "2025-04-01T09:00:01+08:00");
    ASSERT_EQ(reviewer->get("/api/v1/reviews/" + second).status, 200);
    EXPECT_EQ(idsOf(reviewer->get("/api/v1/reviews?state=under_review")),
              std::vector<std::string>{second});
    EXPECT_EQ(idsOf(reviewer->get("/api/v1/reviews?state=submitted")),
              std::vector<std::string>{first});
    EXPECT_EQ(idsOf(reviewer->get(std::string("/api/v1/reviews?activity=") + kActivity)).size(),
              2u);
    EXPECT_TRUE(idsOf(reviewer->get("/api/v1/reviews?activity=other-2025")).empty());
    // q: in the organization's name or the number; wildcards are text.
    EXPECT_EQ(idsOf(reviewer->get("/api/v1/reviews?q=000002")), std::vector<std::string>{second});
    EXPECT_EQ(idsOf(reviewer->get("/api/v1/reviews?q=%E7%B2%BE%E7%A7%91")).size(), 2u);  // 精科
    EXPECT_TRUE(idsOf(reviewer->get("/api/v1/reviews?q=%25")).empty());
    EXPECT_TRUE(idsOf(reviewer->get("/api/v1/reviews?q=%27%29%3B%20DROP")).empty());
    auto paged = reviewer->get("/api/v1/reviews?per_page=1&page=2");
    EXPECT_EQ(idsOf(paged), std::vector<std::string>{second});
    EXPECT_EQ(paged.json()->getValue<int>("total"), 2);
    for (const char* bad :
         {"per_page=0", "per_page=101", "page=0", "page=x", "state=draft", "state=nonsense"}) {
        auto r = reviewer->get(std::string("/api/v1/reviews?") + bad);
        EXPECT_EQ(r.status, 400) << bad;
        EXPECT_EQ(codeOf(r), "request.malformed") << bad;
    }
    EXPECT_EQ(reviewer->get("/api/v1/reviews?q=" + std::string(100, 'a')).status, 200);
    EXPECT_EQ(reviewer->get("/api/v1/reviews?q=" + std::string(101, 'a')).status, 400);
    EXPECT_EQ(codeOf(admin->get("/api/v1/reviews")), "auth.forbidden");
    EXPECT_EQ(codeOf(organizer->get("/api/v1/reviews")), "auth.forbidden");
    (void)draft;
}

TEST_F(ReviewTest, EveryMemberIsNotifiedOfEveryStateChange) {
    std::string memberId;
    auto plain = member("wangfang1", "13800000002", &memberId);
    auto empty = admin->get("/api/v1/notifications");
    ASSERT_EQ(empty.status, 200) << empty.body;
    EXPECT_EQ(empty.json()->getValue<int>("total"), 0);
    SUBMITTED(id, "通知项目");
    clock->set(kOpens + 3 * kSecond);
    ASSERT_EQ(reviewer->get("/api/v1/reviews/" + id).status, 200);
    clock->set(kOpens + 4 * kSecond);
    ASSERT_EQ(decide(*reviewer, id, R"({"decision":"fail","reasons":["other"]})").status, 200);
    for (auto* c : {admin.get(), plain.get()}) {
        auto r = c->get("/api/v1/notifications");
        ASSERT_EQ(r.status, 200) << r.body;
        EXPECT_EQ(r.json()->getValue<int>("total"), 3);
        EXPECT_EQ(r.json()->getValue<int>("unread"), 3);
        auto items = r.json()->getArray("items");
        std::vector<std::string> states;
        for (std::size_t i = 0; i < items->size(); ++i) {
            states.push_back(
                items->getObject(static_cast<unsigned>(i))->getValue<std::string>("state"));
        }
        EXPECT_EQ(states, (std::vector<std::string>{"failed", "under_review", "submitted"}));
    }
    // Read: it goes after the unread ones, for this account only.
    auto items = admin->get("/api/v1/notifications").json()->getArray("items");
    std::string newest = items->getObject(0)->getValue<std::string>("id");
    auto read = admin->postJson("/api/v1/notifications/" + newest + "/read", "");
    EXPECT_EQ(read.status, 204) << read.body;
    EXPECT_EQ(admin->postJson("/api/v1/notifications/" + newest + "/read", "").status, 204);
    auto after = admin->get("/api/v1/notifications?per_page=1");
    EXPECT_EQ(after.json()->getValue<int>("unread"), 2);
    EXPECT_EQ(after.json()->getValue<int>("total"), 3);
    EXPECT_EQ(after.json()->getArray("items")->getObject(0)->getValue<std::string>("state"),
              "under_review");
    auto last = admin->get("/api/v1/notifications?page=3&per_page=1");
    EXPECT_EQ(last.json()->getArray("items")->getObject(0)->getValue<std::string>("id"), newest);
    EXPECT_TRUE(last.json()->getArray("items")->getObject(0)->getValue<bool>("read"));
    EXPECT_EQ(plain->get("/api/v1/notifications").json()->getValue<int>("unread"), 3);
    // Another organization's account, staff, and ids of no shape: none of theirs.
    auto other = client();
    ASSERT_TRUE(other->signUp("other01", "13700000001", "其他公司", makeCreditCode(7)));
    EXPECT_EQ(other->get("/api/v1/notifications").json()->getValue<int>("total"), 0);
    EXPECT_EQ(codeOf(other->postJson("/api/v1/notifications/" + newest + "/read", "")),
              "notification.not_found");
    EXPECT_EQ(reviewer->get("/api/v1/notifications").json()->getValue<int>("total"), 0);
    for (const std::string& bad :
         std::vector<std::string>{id, id + ".", id + ".x", "x.1", id + ".99999999999999999999"}) {
        EXPECT_EQ(codeOf(admin->postJson("/api/v1/notifications/" + bad + "/read", "")),
                  "notification.not_found")
            << bad;
    }
    EXPECT_EQ(client()->get("/api/v1/notifications").status, 401);
    EXPECT_EQ(admin->get("/api/v1/notifications?per_page=101").status, 400);
}

}  // namespace

// The applicant's 日志 names no reviewer: the decision and the start of the review carry no
// account, and the reviewer's views and pre-checks are not in it (the reviewer's own trail
// keeps all of them).
TEST_F(ReviewTest, TheApplicantsLogNamesNoReviewer) {
    SUBMITTED(id, "日志不含审查员");
    std::string reviewerId =
        reviewer->get("/api/v1/me").json()->getObject("account")->getValue<std::string>("id");
    ASSERT_FALSE(reviewerId.empty());
    ASSERT_EQ(reviewer->get("/api/v1/applications/" + id + "/precheck").status, 200);
    ASSERT_EQ(reviewer->get("/api/v1/reviews/" + id).status, 200);
    ASSERT_EQ(decide(*reviewer, id, R"({"decision":"fail","reasons":["other"]})").status, 200);

    auto seen = [&](HttpTestClient& c) {
        auto r = c.get("/api/v1/applications/" + id + "/events");
        EXPECT_EQ(r.status, 200) << r.body;
        std::vector<std::pair<std::string, std::string>> out;  // action, account
        auto items = r.json()->getArray("items");
        for (std::size_t i = 0; i < items->size(); ++i) {
            auto e = items->getObject(static_cast<unsigned>(i));
            out.emplace_back(e->getValue<std::string>("action"),
                             e->isNull("account_id") ? "" : e->getValue<std::string>("account_id"));
        }
        return out;
    };
    auto applicant = seen(*admin);
    std::vector<std::string> actions;
    for (const auto& [action, account] : applicant) {
        actions.push_back(action);
        EXPECT_NE(account, reviewerId) << action;
    }
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "application.viewed"), 0);
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "application.prechecked"), 0);
    ASSERT_GE(actions.size(), 2u);
    EXPECT_EQ(actions[actions.size() - 2], "application.review_started");
    EXPECT_EQ(actions.back(), "application.failed");

    std::size_t byReviewer = 0;
    for (const auto& [action, account] : seen(*reviewer)) byReviewer += account == reviewerId;
    EXPECT_GE(byReviewer, 4u) << "pre-check, start, view and decision stay in the reviewer's trail";
}

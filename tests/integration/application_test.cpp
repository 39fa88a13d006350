// Activities (申报活动) and applications (申报, issue 12) over HTTP against the real server on
// port 0, with an injected clock for the submission window: drafts (暂存), the one-time
// submission with every problem at once, the lock the database keeps, racing submissions,
// withdrawal, 我的申报 and the 日志. Runs on SQLite and on PostgreSQL (DOSSIER_TEST_BACKEND).
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <fstream>
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

class ApplicationTest : public ApplicationFixture {};

TEST_F(ApplicationTest, ActivitiesAreEnteredAndShownInBeijingTime) {
    auto anonymous = client();
    auto r = anonymous->get(std::string("/api/v1/activities/") + kActivity);
    ASSERT_EQ(r.status, 200) << r.body;
    auto a = r.json();
    EXPECT_EQ(a->getValue<std::string>("opens_at"), "2025-04-01T09:00:00+08:00");
    EXPECT_EQ(a->getValue<std::string>("closes_at"), "2025-04-29T17:00:00+08:00");
    EXPECT_EQ(a->getValue<std::string>("review_until"), "2025-05-23T17:00:00+08:00");
    EXPECT_TRUE(a->getValue<bool>("open"));
    EXPECT_EQ(a->getValue<int>("completing_units"), 2);
    // Stored in UTC: the same instant entered with another offset is the same activity window.
    EXPECT_EQ(testDb.queryTexts("SELECT CAST(opens_at_us AS TEXT) FROM activities"),
              std::vector<std::string>{std::to_string(kOpens)});
    auto other = organizer->postJson(
        "/api/v1/activities",
        R"({"code":"tech-2025","title":"2025年质量技术奖","kind":"tech_project","template_id":)"
        R"("benchmark-2022","opens_at":"2025-04-01T01:00:00Z","closes_at":)"
        R"("2025-04-29T09:00:00.000000Z","review_until":"2025-05-23T17:00+08:00",)"
        R"("completing_units":3})");
    ASSERT_EQ(other.status, 201) << other.body;
    EXPECT_EQ(other.json()->getValue<std::string>("opens_at"), "2025-04-01T09:00:00+08:00");

    // The public list holds the open ones only; staff see every activity.
    clock->set(kOpens - kSecond);
    auto list = anonymous->get("/api/v1/activities");
    ASSERT_EQ(list.status, 200);
    EXPECT_EQ(list.json()->getArray("items")->size(), 0u) << list.body;
    EXPECT_EQ(organizer->get("/api/v1/activities").json()->getArray("items")->size(), 2u);
    EXPECT_EQ(admin->get("/api/v1/activities").json()->getArray("items")->size(), 0u);
    clock->set(kOpens);
    EXPECT_EQ(anonymous->get("/api/v1/activities").json()->getArray("items")->size(), 2u);
    clock->set(kCloses);
    EXPECT_EQ(anonymous->get("/api/v1/activities").json()->getArray("items")->size(), 0u);
}

TEST_F(ApplicationTest, ActivityProblemsAreAllReportedAndOnlyOrganizersWrite) {
    auto r = organizer->postJson(
        "/api/v1/activities",
        R"({"code":"Bad Code","title":"","kind":"award","template_id":"no-such-template",)"
        R"("opens_at":"2025-04-30T09:00:00+08:00","closes_at":"2025-04-29T17:00:00",)"
        R"("review_until":"2025-04-01T09:00:00+08:00","completing_units":4,)"
        R"("recommending_units":"no-such-list","required_evidence":[{"kind":"a","label":"甲",)"
        R"("min_count":0,"check":"ocr"},{"kind":"a","label":"乙"}],"extra":1})");
    EXPECT_EQ(r.status, 422) << r.body;
    auto p = problemsOf(r);
    for (const char* expected :
         {"code field.identifier", "title field.required", "kind field.choice",
          "template_id field.not_in_list", "closes_at field.datetime",
          "completing_units field.range", "recommending_units field.not_in_list",
          "required_evidence[0].min_count field.range", "required_evidence[0].check field.choice",
          "required_evidence[1].kind field.duplicate", "extra field.unknown"}) {
        EXPECT_TRUE(p.count(expected)) << expected << " missing from " << r.body;
    }
    r = organizer->postJson(
        "/api/v1/activities",
        R"({"code":"x","title":"甲","kind":"benchmark","template_id":"benchmark-2022",)"
        R"("opens_at":"2025-04-30T09:00:00+08:00","closes_at":"2025-04-29T17:00:00+08:00",)"
        R"("review_until":"2025-04-01T09:00:00+08:00","completing_units":1})");
    p = problemsOf(r);
    EXPECT_TRUE(p.count("closes_at field.order")) << r.body;
    EXPECT_TRUE(p.count("review_until field.order")) << r.body;

    EXPECT_EQ(codeOf(admin->postJson("/api/v1/activities", activityBody("mine"))),
              "auth.forbidden");
    EXPECT_EQ(codeOf(reviewer->postJson("/api/v1/activities", activityBody("mine"))),
              "auth.forbidden");
    r = organizer->postJson("/api/v1/activities", activityBody(kActivity));
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(codeOf(r), "activity.code_taken");

    // Edits: the code stays, If-Match guards.
    std::string path = std::string("/api/v1/activities/") + kActivity;
    auto current = organizer->get(path);
    std::string etag = current.header("ETag");
    auto body = parseObject(activityBody(kActivity));
    body->set("title", "2025年全国质量标杆（更正）");
    r = organizer->request("PUT", path, {{"If-Match", etag}}, "application/json", toJson(*body));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()->getValue<std::string>("title"), "2025年全国质量标杆（更正）");
    r = organizer->request("PUT", path, {{"If-Match", etag}}, "application/json", toJson(*body));
    EXPECT_EQ(r.status, 412) << r.body;
    body->set("code", "renamed");
    r = organizer->postJson(path, toJson(*body), "PUT");
    EXPECT_TRUE(problemsOf(r).count("code field.read_only")) << r.body;
    EXPECT_EQ(admin->postJson(path, toJson(*body), "PUT").status, 403);
    EXPECT_EQ(client()->get("/api/v1/activities/no-such").status, 404);
}

TEST_F(ApplicationTest, DraftsSaveThenOneSubmissionLocksEverything) {
    std::string projectId = project("精科医学检验质量追溯系统的经验");
    auto created = create(*admin, projectId);
    ASSERT_EQ(created.status, 201) << created.body;
    auto a = created.json();
    std::string id = a->getValue<std::string>("id");
    std::string path = "/api/v1/applications/" + id;
    EXPECT_EQ(created.header("Location"), path);
    EXPECT_EQ(a->getValue<std::string>("state"), "draft");
    EXPECT_TRUE(a->isNull("number"));
    EXPECT_EQ(a->getArray("actions")->size(), 2u);

    // 暂存: partial data, any number of times; what is given must be right. (The clock moves
    // between steps, as a person's would: the 日志 is in order of time.)
    clock->set(kOpens + kSecond);
    Object partial;
    Object::Ptr form = new Object;
    form->set("experience_name", kNasty);
    partial.set("form", form);
    Object::Ptr c = new Object;
    c->set("name", "𠮷田");
    partial.set("contact", c);
    auto saved = admin->postJson(path, toJson(partial), "PUT");
    ASSERT_EQ(saved.status, 200) << saved.body;
    EXPECT_EQ(saved.json()->getObject("form")->getValue<std::string>("experience_name"), kNasty);
    EXPECT_EQ(saved.json()->getObject("contact")->getValue<std::string>("name"), "𠮷田");
    EXPECT_EQ(saved.header("ETag"), "\"2\"");

    form->set("experience_name", std::string(31, 'a'));
    c->set("email", "not-an-address");
    c->set("fax", "传真");
    partial.set("recommending_unit", "不在名录中的单位");
    auto bad = admin->postJson(path, toJson(partial), "PUT");
    EXPECT_EQ(bad.status, 422) << bad.body;
    auto p = problemsOf(bad);
    for (const char* expected :
         {"form.experience_name field.too_long", "contact.email field.email",
          "contact.fax field.telephone", "recommending_unit field.not_in_list"}) {
        EXPECT_TRUE(p.count(expected)) << expected << " missing from " << bad.body;
    }
    auto stale = admin->request("PUT", path, {{"If-Match", "\"1\""}}, "application/json", "{}");
    EXPECT_EQ(stale.status, 412) << stale.body;

    auto docs = uploadDocuments(*admin);
    settleChecks();
    clock->set(kOpens + 2 * kSecond);
    saved = admin->request("PUT", path, {{"If-Match", "\"2\""}}, "application/json",
                           completeBody(docs));
    ASSERT_EQ(saved.status, 200) << saved.body;
    a = saved.json();
    EXPECT_TRUE(a->getValue<bool>("commitment_accepted"));
    EXPECT_EQ(a->getObject("commitment")->getValue<std::string>("accepted_by"), adminId);
    auto documents = a->getArray("documents");
    ASSERT_EQ(documents->size(), 4u);
    EXPECT_EQ(documents->getObject(1)->getValue<std::string>("name"), "承诺书（第一完成单位）.pdf");
    EXPECT_EQ(documents->getObject(1)->getValue<std::string>("sha256").size(), 64u);
    // The documents are in use: they cannot be deleted from under the draft.
    EXPECT_EQ(testDb.queryTexts("SELECT COUNT(*) FROM document_uses WHERE used_by = "
                                "'application:" +
                                id + "'"),
              std::vector<std::string>{"4"});
    EXPECT_EQ(codeOf(admin->request("DELETE", "/api/v1/documents/" + docs.summary)),
              "document.in_use");

    // A plain member submits: any member acts for the organization.
    std::string mateId;
    auto mate = member("wangfang", "13800000002", &mateId);
    clock->set(kOpens + kDay);
    auto submitted = submit(*mate, id);
    ASSERT_EQ(submitted.status, 200) << submitted.body;
    a = submitted.json();
    EXPECT_EQ(a->getValue<std::string>("state"), "submitted");
    EXPECT_EQ(a->getValue<std::string>("number"), "benchmark-2025-000001");
    EXPECT_EQ(a->getValue<std::string>("submitted_by"), mateId);
    EXPECT_EQ(a->getArray("actions")->size(), 1u);

    // After submit nothing changes.
    auto edit = admin->postJson(path, completeBody(docs), "PUT");
    EXPECT_EQ(edit.status, 409);
    EXPECT_EQ(codeOf(edit), "application.locked");
    auto again = submit(*admin, id);
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(codeOf(again), "application.locked");

    // What the submission did beside: the project locked, the account's first submission.
    auto project = admin->get("/api/v1/projects/" + projectId).json();
    EXPECT_FALSE(project->isNull("locked_at"));
    EXPECT_EQ(codeOf(admin->request("DELETE", "/api/v1/projects/" + projectId)), "project.in_use");
    EXPECT_EQ(testDb.queryTexts("SELECT CAST(first_submission_us AS TEXT) FROM accounts WHERE "
                                "id = '" +
                                mateId + "'"),
              std::vector<std::string>{std::to_string(kOpens + kDay)});
    EXPECT_EQ(codeOf(mate->postJson("/api/v1/me/deregister", R"({"password":"Secret-2025"})")),
              "account.has_history");

    // 我的申报 and the 日志.
    auto mine = admin->get("/api/v1/applications");
    ASSERT_EQ(mine.status, 200) << mine.body;
    auto items = mine.json()->getArray("items");
    ASSERT_EQ(items->size(), 1u);
    EXPECT_EQ(items->getObject(0)->getValue<std::string>("state"), "submitted");
    EXPECT_EQ(items->getObject(0)->getArray("actions")->getElement<std::string>(0), "withdraw");
    auto events = admin->get(path + "/events");
    ASSERT_EQ(events.status, 200) << events.body;
    std::vector<std::string> actions;
    auto list = events.json()->getArray("items");
    for (std::size_t i = 0; i < list->size(); ++i) {
        actions.push_back(
            list->getObject(static_cast<unsigned>(i))->getValue<std::string>("action"));
    }
    EXPECT_EQ(actions, (std::vector<std::string>{"application.create", "application.save",
                                                 "application.save", "application.submit"}));
    EXPECT_EQ(list->getObject(3)->getObject("details")->getValue<std::string>("number"),
              "benchmark-2025-000001");
}

TEST_F(ApplicationTest, TheDatabaseRefusesChangesToALockedApplication) {
    std::string draftId = completeApplication("草稿项目");
    std::string id = completeApplication("提交项目");
    ASSERT_EQ(submit(*admin, id).status, 200);
    std::string where = " WHERE id = '" + id + "'";
    // A console session, not Dossier's code: the triggers refuse it.
    EXPECT_ANY_THROW(testDb.exec("UPDATE applications SET form_json = '{}'" + where));
    EXPECT_ANY_THROW(
        testDb.exec("UPDATE applications SET contact_json = '{}', "
                    "recommending_unit = 'x'" +
                    where));
    EXPECT_ANY_THROW(testDb.exec("UPDATE applications SET number = NULL" + where));
    EXPECT_ANY_THROW(
        testDb.exec("DELETE FROM application_documents WHERE application_id = '" + id + "'"));
    EXPECT_ANY_THROW(
        testDb.exec("UPDATE application_documents SET role = 'evidence' WHERE "
                    "application_id = '" +
                    id + "'"));
    std::string extra = upload(*admin, makeTextPdf(9), "补充.pdf", "evidence");
    EXPECT_ANY_THROW(
        testDb.exec("INSERT INTO application_documents (application_id, "
                    "document_id, role, evidence_kind, position) VALUES ('" +
                    id + "', '" + extra + "', 'evidence', '', 9)"));
    EXPECT_ANY_THROW(testDb.exec("DELETE FROM applications" + where));
    EXPECT_ANY_THROW(testDb.exec("UPDATE applications SET state = 'draft'" + where));
    EXPECT_EQ(testDb.queryTexts("SELECT COUNT(*) FROM application_documents WHERE "
                                "application_id = '" +
                                id + "'"),
              std::vector<std::string>{"4"});
    EXPECT_NE(testDb.queryTexts("SELECT form_json FROM applications" + where).at(0), "{}");
    // The same statements on a draft pass: the rule is the lock, not the table.
    testDb.exec("UPDATE applications SET recommending_unit = '北京市经济和信息化局' WHERE id = '" +
                draftId + "'");
    testDb.exec(
        "INSERT INTO application_documents (application_id, document_id, role, "
        "evidence_kind, position) VALUES ('" +
        draftId + "', '" + extra + "', 'evidence', '', 9)");
    // State changes stay allowed along the state machine: review starts, so no withdrawal.
    testDb.exec("UPDATE applications SET state = 'under_review'" + where);
    auto withdrawn = admin->postJson("/api/v1/applications/" + id + "/withdraw", "");
    EXPECT_EQ(withdrawn.status, 409) << withdrawn.body;
    EXPECT_EQ(codeOf(withdrawn), "application.state_conflict");
}

TEST_F(ApplicationTest, ASubmissionMissingThingsGetsEveryProblemAtOnce) {
    std::string id = createId(project("缺材料项目", false));
    Object body;
    Object::Ptr form = new Object;
    form->set("experience_name", "质量追溯的经验");
    body.set("form", form);
    std::string commitment = upload(*admin, makeTextPdf(4), "承诺书.pdf", "commitment");
    Array::Ptr documents = new Array;
    Object::Ptr link = new Object;
    link->set("document_id", commitment);
    link->set("role", "commitment");
    documents->add(link);
    body.set("documents", documents);
    ASSERT_EQ(admin->postJson("/api/v1/applications/" + id, toJson(body), "PUT").status, 200);
    auto r = submit(*admin, id);
    ASSERT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(codeOf(r), "validation.failed");
    auto p = problemsOf(r);
    for (const char* expected :
         {"documents field.required", "documents field.commitment_count",
          "documents field.evidence_missing", "documents[0] field.check_pending",
          "commitment_accepted field.required", "recommending_unit field.required",
          "contact.department field.required", "contact.mobile field.required",
          "project.summary field.required", "form.directions field.required"}) {
        EXPECT_TRUE(p.count(expected)) << expected << " missing from " << r.body;
    }
    EXPECT_EQ(admin->get("/api/v1/applications/" + id).json()->getValue<std::string>("state"),
              "draft");
    EXPECT_EQ(testDb.queryTexts("SELECT CAST(last_number AS TEXT) FROM activities"),
              std::vector<std::string>{"0"});
}

// The form a client builds its editor from (GET …/activities/{code}/form): the book template's
// fields without what the application fills itself, lists given their options, the
// application's own recommending unit and contact block; and the check before submitting
// (GET …/applications/{id}/check): submit()'s problems, without submitting or saving.
TEST_F(ApplicationTest, TheFormToFillAndTheCheckBeforeSubmitting) {
    std::string formPath = "/api/v1/activities/" + std::string(kActivity) + "/form";
    auto r = admin->get(formPath);
    ASSERT_EQ(r.status, 200) << r.body;
    Poco::JSON::Parser ordered(new Poco::JSON::ParseHandler(true));
    auto schema = ordered.parse(r.body).extract<Object::Ptr>();
    EXPECT_EQ(schema->getValue<std::string>("template_id"), "benchmark-2022");
    EXPECT_EQ(schema->getArray("years")->size(), 3u);
    auto fields = schema->getObject("form")->getObject("fields");
    for (const char* own : {"recommending_unit", "contact", "enterprise"}) {
        EXPECT_FALSE(fields->has(own)) << own;
    }
    EXPECT_EQ(fields->getNames().front(), "filled_on") << "not in the template's order";
    EXPECT_EQ(fields->getObject("experience_name")->getValue<int>("max_chars"), 30);
    EXPECT_FALSE(fields->getObject("revenue")->getObject("of")->has("source"));
    auto directions = fields->getObject("directions")->getArray("options");
    ASSERT_TRUE(directions);
    EXPECT_GT(directions->size(), 1u);
    EXPECT_TRUE(directions->getObject(0)->has("label"));
    auto units = schema->getObject("recommending_unit")->getArray("options");
    ASSERT_TRUE(units);
    bool guangdong = false;
    for (std::size_t i = 0; i < units->size(); ++i) {
        guangdong |= units->getObject(static_cast<unsigned>(i))->getValue<std::string>("value") ==
                     "广东省工业和信息化厅";
    }
    EXPECT_TRUE(guangdong);
    auto contactFields = schema->getObject("contact")->getObject("fields");
    EXPECT_EQ(contactFields->getObject("department")->getValue<int>("max_length"), 100);
    EXPECT_EQ(contactFields->getObject("mobile")->getValue<std::string>("type"), "mobile");
    EXPECT_EQ(reviewer->get(formPath).status, 200);
    EXPECT_EQ(client()->get(formPath).status, 401);
    EXPECT_EQ(codeOf(admin->get("/api/v1/activities/no-such/form")), "activity.not_found");

    // Checked as submit() would: the same problems, and nothing saved or submitted.
    std::string id = createId(project("检查项目", false));
    Object body;
    Object::Ptr form = new Object;
    form->set("experience_name", "质量追溯的经验");
    body.set("form", form);
    ASSERT_EQ(admin->postJson("/api/v1/applications/" + id, toJson(body), "PUT").status, 200);
    std::string path = "/api/v1/applications/" + id;
    int version = admin->get(path).json()->getValue<int>("version");
    auto check = admin->get(path + "/check");
    ASSERT_EQ(check.status, 200) << check.body;
    EXPECT_FALSE(check.json()->getValue<bool>("ready"));
    auto refused = submit(*admin, id);
    ASSERT_EQ(refused.status, 422) << refused.body;
    EXPECT_EQ(problemsOf(check), problemsOf(refused));
    EXPECT_TRUE(problemsOf(check).count("form.directions field.required")) << check.body;
    auto after = admin->get(path).json();
    EXPECT_EQ(after->getValue<int>("version"), version);
    EXPECT_EQ(after->getValue<std::string>("state"), "draft");
    EXPECT_EQ(codeOf(reviewer->get(path + "/check")), "auth.forbidden");
    EXPECT_EQ(client()->get(path + "/check").status, 401);

    std::string complete = completeApplication("检查完整项目");
    auto ready = admin->get("/api/v1/applications/" + complete + "/check");
    ASSERT_EQ(ready.status, 200) << ready.body;
    EXPECT_TRUE(ready.json()->getValue<bool>("ready")) << ready.body;
    EXPECT_EQ(ready.json()->getArray("errors")->size(), 0u);
    EXPECT_EQ(admin->get("/api/v1/applications/" + complete).json()->getValue<std::string>("state"),
              "draft");
}

TEST_F(ApplicationTest, CommitmentLettersNeedTheirSeals) {
    std::string id = createId(project("印章项目"));
    auto docs = uploadDocuments(*admin);
    settleChecks({docs.commitment2});
    ASSERT_EQ(admin->postJson("/api/v1/applications/" + id, completeBody(docs), "PUT").status, 200);
    auto r = submit(*admin, id);
    ASSERT_EQ(r.status, 422) << r.body;
    auto p = problemsOf(r);
    EXPECT_EQ(p, (std::set<std::string>{"documents[2] field.check_failed"})) << r.body;
    EXPECT_NE(r.body.find("Found 0 red seal"), std::string::npos) << r.body;
    // The applicant sees it before submitting, too.
    auto documents = admin->get("/api/v1/applications/" + id).json()->getArray("documents");
    EXPECT_EQ(documents->getObject(2)->getObject("checks")->getValue<std::string>("seals"), "fail");
    EXPECT_EQ(documents->getObject(1)->getObject("checks")->getValue<std::string>("seals"), "pass");
}

TEST_F(ApplicationTest, AnAutosaveKeepsTheDocumentsItDoesNotChange) {
    // A save naming the same documents (most saves: an autosave edits text) leaves their
    // links and uses as they are; they still show and are still held. One that drops a
    // document frees it; adding it back holds it again.
    std::string id = createId(project("暂存项目"));
    std::string path = "/api/v1/applications/" + id;
    auto docs = uploadDocuments(*admin);
    settleChecks();
    ASSERT_EQ(admin->postJson(path, completeBody(docs), "PUT").status, 200);
    auto usesNow = [&] {
        return testDb.queryTexts(
            "SELECT document_id FROM document_uses WHERE used_by = "
            "'application:" +
            id + "' ORDER BY document_id");
    };
    auto allFour = usesNow();
    ASSERT_EQ(allFour.size(), 4u);
    auto autosave = admin->request("PUT", path, {{"If-Match", "\"2\""}}, "application/json",
                                   completeBody(docs));
    ASSERT_EQ(autosave.status, 200) << autosave.body;
    EXPECT_EQ(autosave.header("ETag"), "\"3\"");
    auto documents = autosave.json()->getArray("documents");
    ASSERT_EQ(documents->size(), 4u);
    EXPECT_EQ(documents->getObject(3)->getValue<std::string>("document_id"), docs.evidence);
    EXPECT_EQ(documents->getObject(3)->getObject("checks")->getValue<std::string>("quality"),
              "pass");
    EXPECT_EQ(usesNow(), allFour);
    EXPECT_EQ(codeOf(admin->request("DELETE", "/api/v1/documents/" + docs.evidence)),
              "document.in_use");
    auto withoutEvidence = parseObject(completeBody(docs));
    withoutEvidence->getArray("documents")->remove(3);
    auto dropped = admin->postJson(path, toJson(*withoutEvidence), "PUT");
    ASSERT_EQ(dropped.status, 200) << dropped.body;
    EXPECT_EQ(dropped.json()->getArray("documents")->size(), 3u);
    auto three = usesNow();
    EXPECT_EQ(three.size(), 3u);
    EXPECT_EQ(std::count(three.begin(), three.end(), docs.evidence), 0);
    auto restored = admin->postJson(path, completeBody(docs), "PUT");
    ASSERT_EQ(restored.status, 200) << restored.body;
    EXPECT_EQ(usesNow(), allFour);
    EXPECT_EQ(admin->get(path).json()->getArray("documents")->size(), 4u);
    EXPECT_EQ(submit(*admin, id).status, 200);
}

TEST_F(ApplicationTest, TheWindowIsJudgedInUtcAtItsEdges) {
    std::string early = completeApplication("甲项目");
    std::string onTime = completeApplication("乙项目");
    std::string late = completeApplication("丙项目");
    clock->set(kOpens - kSecond);
    auto r = submit(*admin, early);
    EXPECT_EQ(r.status, 409) << r.body;
    EXPECT_EQ(codeOf(r), "activity.closed");
    clock->set(kOpens);
    r = submit(*admin, early);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()->getValue<std::string>("number"), "benchmark-2025-000001");
    clock->set(kCloses - kSecond);
    r = submit(*admin, onTime);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()->getValue<std::string>("number"), "benchmark-2025-000002");
    clock->set(kCloses);
    r = submit(*admin, late);
    EXPECT_EQ(r.status, 409) << r.body;
    EXPECT_EQ(codeOf(r), "activity.closed");
    // Saving and starting are closed as well; reading is not.
    EXPECT_EQ(codeOf(admin->postJson("/api/v1/applications/" + late, "{}", "PUT")),
              "activity.closed");
    EXPECT_EQ(codeOf(create(*admin, project("丁项目"))), "activity.closed");
    auto read = admin->get("/api/v1/applications/" + late);
    EXPECT_EQ(read.status, 200);
    EXPECT_EQ(read.json()->getArray("actions")->size(), 0u) << read.body;
    EXPECT_EQ(testDb.queryTexts("SELECT CAST(last_number AS TEXT) FROM activities"),
              std::vector<std::string>{"2"});
}

TEST_F(ApplicationTest, OfRacingSubmissionsExactlyOneWins) {
    std::string id = completeApplication("并发项目");
    constexpr int kThreads = 8;
    std::atomic<int> ok{0}, locked{0}, other{0};
    std::vector<std::thread> threads;
    std::atomic<bool> go{false};
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&] {
            HttpTestClient c(server->port());
            c.setBearer(admin->bearer());
            while (!go) std::this_thread::yield();
            auto r = submit(c, id);
            if (r.status == 200) {
                ++ok;
            } else if (r.status == 409 && codeOf(r) == "application.locked") {
                ++locked;
            } else {
                ++other;
                ADD_FAILURE() << r.status << " " << r.body;
            }
        });
    }
    go = true;
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok, 1);
    EXPECT_EQ(locked, kThreads - 1);
    EXPECT_EQ(other, 0);
    EXPECT_EQ(testDb.queryTexts("SELECT CAST(last_number AS TEXT) FROM activities"),
              std::vector<std::string>{"1"});
    EXPECT_EQ(testDb.queryTexts("SELECT COUNT(*) FROM audit_log WHERE action = "
                                "'application.submit'"),
              std::vector<std::string>{"1"});
}

TEST_F(ApplicationTest, OneApplicationPerActivityOrganizationAndProject) {
    std::string projectId = project("唯一项目");
    constexpr int kThreads = 6;
    std::atomic<int> created{0}, exists{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&] {
            HttpTestClient c(server->port());
            c.setBearer(admin->bearer());
            auto r = create(c, projectId);
            if (r.status == 201) ++created;
            if (r.status == 409 && codeOf(r) == "application.exists") ++exists;
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(created, 1);
    EXPECT_EQ(exists, kThreads - 1);
    // Another activity takes the same project.
    ASSERT_EQ(organizer->postJson("/api/v1/activities", activityBody("benchmark-2025-b")).status,
              201);
    EXPECT_EQ(create(*admin, projectId, "benchmark-2025-b").status, 201);
    EXPECT_EQ(codeOf(create(*admin, projectId, "no-such-activity")), "activity.not_found");
}

TEST_F(ApplicationTest, OnlyTheOrganizationSeesItsApplications) {
    std::string id = completeApplication("保密项目");
    std::string path = "/api/v1/applications/" + id;
    auto other = client();
    auto account = other->signUp("other01", "13700000001", "其他公司", makeCreditCode(7));
    ASSERT_TRUE(account);
    for (auto [method, suffix] :
         std::vector<std::pair<std::string, std::string>>{{"GET", ""},
                                                          {"PUT", ""},
                                                          {"POST", "/submit"},
                                                          {"POST", "/withdraw"},
                                                          {"GET", "/events"}}) {
        auto r = method == "GET"
                     ? other->get(path + suffix)
                     : other->request(method, path + suffix, {}, "application/json", "{}");
        EXPECT_EQ(r.status, 404) << method << suffix << " " << r.body;
        EXPECT_EQ(codeOf(r), "application.not_found") << method << suffix;
    }
    EXPECT_EQ(other->get("/api/v1/applications").json()->getValue<int>("total"), 0);
    // Its approved filing is missing, and the project is not its own.
    auto otherProject = other->postJson("/api/v1/projects", R"({"name":"乙","keywords":["甲"]})");
    ASSERT_EQ(otherProject.status, 201);
    EXPECT_EQ(codeOf(create(*other, otherProject.json()->getValue<std::string>("id"))),
              "application.filing_required");
    EXPECT_EQ(codeOf(create(*admin, otherProject.json()->getValue<std::string>("id"))),
              "project.not_found");
    // Another organization's document cannot be attached.
    std::string theirs = upload(*other, makeTextPdf(8), "他人.pdf", "summary");
    auto r = admin->postJson(
        path, R"({"documents":[{"document_id":")" + theirs + R"(","role":"summary"}]})", "PUT");
    EXPECT_TRUE(problemsOf(r).count("documents[0].document_id field.document_not_found")) << r.body;
    // Staff do not file applications; an account of no organization has none.
    EXPECT_EQ(codeOf(reviewer->get(path)), "auth.forbidden");
    EXPECT_EQ(codeOf(organizer->get("/api/v1/applications")), "auth.forbidden");
    auto personal = client();
    ASSERT_EQ(
        personal
            ->postJson("/api/v1/accounts", R"({"username":"geren01","password":")" +
                                               std::string(HttpTestClient::kTestPassword) +
                                               R"(","phone":"13600000001","display_name":"个人"})")
            .status,
        201);
    ASSERT_EQ(personal->signIn("geren01").status, 201);
    EXPECT_EQ(codeOf(personal->get("/api/v1/applications")), "organization.membership_required");
}

TEST_F(ApplicationTest, WithdrawalUntilReviewStarts) {
    std::string draft = completeApplication("草稿");
    EXPECT_EQ(codeOf(admin->postJson("/api/v1/applications/" + draft + "/withdraw", "")),
              "application.state_conflict");
    std::string id = completeApplication("撤回项目");
    clock->set(kOpens + kSecond);
    ASSERT_EQ(submit(*admin, id).status, 200);
    clock->set(kOpens + 2 * kSecond);
    auto r = admin->postJson("/api/v1/applications/" + id + "/withdraw", "");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()->getValue<std::string>("state"), "withdrawn");
    EXPECT_EQ(r.json()->getValue<std::string>("number"), "benchmark-2025-000001");
    EXPECT_EQ(codeOf(admin->postJson("/api/v1/applications/" + id + "/withdraw", "")),
              "application.state_conflict");
    EXPECT_EQ(codeOf(submit(*admin, id)), "application.locked");
    auto events = admin->get("/api/v1/applications/" + id + "/events").json()->getArray("items");
    EXPECT_EQ(events->getObject(static_cast<unsigned>(events->size() - 1))
                  ->getValue<std::string>("action"),
              "application.withdraw");
}

TEST_F(ApplicationTest, ADraftGoesWithItsProject) {
    std::string projectId = project("将删除的项目");
    std::string id = createId(projectId);
    std::string summary = upload(*admin, makeTextPdf(3), "总结.pdf", "summary");
    ASSERT_EQ(
        admin
            ->postJson("/api/v1/applications/" + id,
                       R"({"documents":[{"document_id":")" + summary + R"(","role":"summary"}]})",
                       "PUT")
            .status,
        200);
    ASSERT_EQ(admin->request("DELETE", "/api/v1/projects/" + projectId).status, 204);
    EXPECT_EQ(admin->get("/api/v1/applications/" + id).status, 404);
    EXPECT_EQ(admin->request("DELETE", "/api/v1/documents/" + summary).status, 204)
        << "the draft's document uses went with it";
}

TEST_F(ApplicationTest, TheRealSealCheckDecides) {
    std::string id = createId(project("真实印章"));
    auto docs = uploadDocuments(*admin);
    CommitmentScanSpec sealed;
    sealed.seals = 1;
    CommitmentScanSpec unsealed;
    unsealed.seals = 0;
    docs.commitment1 = upload(*admin, renderCommitmentScan(sealed), "承诺书甲.jpg", "commitment");
    docs.commitment2 = upload(*admin, renderCommitmentScan(unsealed), "承诺书乙.jpg", "commitment");
    ASSERT_EQ(admin->postJson("/api/v1/applications/" + id, completeBody(docs), "PUT").status, 200);
    std::unique_ptr<evidence::OcrEngine> ocr;
    while (services->checkRunner().runOne(ocr)) {
    }
    // A connection of its own: the checks may take longer than the server keeps an idle
    // keep-alive connection open (5 s).
    HttpTestClient fresh(server->port());
    fresh.setBearer(admin->bearer());
    auto r = submit(fresh, id);
    ASSERT_EQ(r.status, 422) << r.body;
    auto p = problemsOf(r);
    EXPECT_TRUE(p.count("documents[2] field.check_failed")) << r.body;
    EXPECT_FALSE(p.count("documents[1] field.check_failed")) << r.body;
}

}  // namespace

namespace {

/// The text of each page of `pdf`.
std::vector<std::string> pdfPages(const std::string& pdf) {
    TempDir d;
    writeFile(d.path() + "/a.pdf", pdf);
    std::vector<std::string> pages;
    for (int p = 1;; ++p) {
        std::string n = std::to_string(p);
        std::string text =
            runCommand("pdftotext -f " + n + " -l " + n + " " + d.path() + "/a.pdf - 2>/dev/null");
        if (text.empty()) break;
        std::string squeezed;
        for (char ch : text) {
            if (ch != ' ' && ch != '\n' && ch != '\f') squeezed += ch;
        }
        pages.push_back(squeezed);
    }
    return pages;
}

}  // namespace

// The outputs over HTTP: a draft's book marked 草稿, no receipt before submission; the
// submitted book with its number and instant on every page, the same bytes on every request;
// the receipt with every document's digest; the forms pre-filled with the organization.
TEST_F(ApplicationTest, BookReceiptAndFormsArePrinted) {
    std::string projectId = project("精科医学检验质量追溯系统的经验");
    std::string id = createId(projectId);
    auto docs = uploadDocuments(*admin);
    settleChecks();
    ASSERT_EQ(admin->postJson("/api/v1/applications/" + id, completeBody(docs), "PUT").status, 200);
    std::string path = "/api/v1/applications/" + id;
    auto draft = admin->get(path + "/book.pdf");
    ASSERT_EQ(draft.status, 200) << draft.body;
    EXPECT_EQ(draft.response.getContentType(), "application/pdf");
    // The console previews it in a frame of its page; no other site may frame it.
    EXPECT_EQ(draft.header("Content-Security-Policy"), "frame-ancestors 'self'");
    EXPECT_EQ(draft.header("X-Frame-Options"), "SAMEORIGIN");
    auto pages = pdfPages(draft.body);
    ASSERT_EQ(pages.size(), 8u);
    for (const auto& page : pages) EXPECT_NE(page.find("草稿"), std::string::npos) << page;
    EXPECT_EQ(codeOf(admin->get(path + "/receipt.pdf")), "application.not_submitted");

    clock->set(kOpens + kDay);  // 2025-04-02 09:00:00 in Beijing
    ASSERT_EQ(submit(*admin, id).status, 200);
    auto book = admin->get(path + "/book.pdf");
    ASSERT_EQ(book.status, 200) << book.body;
    clock->set(kOpens + 2 * kDay);
    EXPECT_EQ(admin->get(path + "/book.pdf").body, book.body) << "not the same bytes";
    pages = pdfPages(book.body);
    ASSERT_EQ(pages.size(), 8u);
    for (const auto& page : pages) {
        EXPECT_NE(page.find("申报编号benchmark-2025-000001提交时间2025-04-0209:00:00北京时间"),
                  std::string::npos)
            << page;
        EXPECT_EQ(page.find("草稿"), std::string::npos);
    }

    auto receipt = admin->get(path + "/receipt.pdf");
    ASSERT_EQ(receipt.status, 200) << receipt.body;
    EXPECT_EQ(admin->get(path + "/receipt.pdf").body, receipt.body);
    std::string text;
    for (const auto& page : pdfPages(receipt.body)) text += page;
    auto shown = admin->get(path).json()->getArray("documents");
    ASSERT_EQ(shown->size(), 4u);
    for (std::size_t i = 0; i < shown->size(); ++i) {
        std::string digest =
            shown->getObject(static_cast<unsigned>(i))->getValue<std::string>("sha256");
        auto at = text.find(digest);
        ASSERT_NE(at, std::string::npos) << digest;
        EXPECT_EQ(text.find(digest, at + 1), std::string::npos) << digest;
    }
    for (const char* want :
         {"benchmark-2025-000001", kOrganization, kCreditCode, "2025年全国质量标杆",
          "精科医学检验质量追溯系统的经验", "2025-04-0209:00:00（北京时间）",
          "承诺书（第一完成单位）.pdf", "4个文件"}) {
        EXPECT_NE(text.find(want), std::string::npos) << want << " in " << text;
    }

    // The forms of the activity, pre-filled: two completing units, two letters.
    std::string forms = "/api/v1/activities/" + std::string(kActivity) + "/forms/";
    auto commitment = admin->get(forms + "commitment.pdf?project=" + projectId);
    ASSERT_EQ(commitment.status, 200) << commitment.body;
    pages = pdfPages(commitment.body);
    ASSERT_EQ(pages.size(), 2u);
    EXPECT_NE(pages[0].find(kOrganization), std::string::npos) << pages[0];
    EXPECT_NE(pages[0].find("精科医学检验质量追溯系统的经验"), std::string::npos) << pages[0];
    auto proof = admin->get(forms + "proof.pdf");
    ASSERT_EQ(proof.status, 200) << proof.body;
    EXPECT_NE(pdfPages(proof.body)[0].find("兹证明李明"), std::string::npos);
    EXPECT_EQ(admin->get(forms + "recommendation.pdf").status, 200);
    EXPECT_EQ(codeOf(admin->get("/api/v1/activities/no-such/forms/proof.pdf")),
              "activity.not_found");

    // Another organization sees none of it; staff are refused.
    auto other = client();
    ASSERT_TRUE(other->signUp("other001", "13800000009", "广州其他检测有限公司", makeCreditCode(9),
                              "张三"));
    for (const char* output : {"/book.pdf", "/receipt.pdf"}) {
        EXPECT_EQ(codeOf(other->get(path + output)), "application.not_found") << output;
        // Reviewers may read it now it is submitted (application_download_test); other staff
        // never.
        EXPECT_EQ(organizer->get(path + output).status, 403) << output;
    }
    EXPECT_EQ(codeOf(other->get(forms + "commitment.pdf?project=" + projectId)),
              "project.not_found");
    EXPECT_EQ(reviewer->get(forms + "proof.pdf").status, 403);
}

// The 日志 of one instant (the test's clock stands still; a busy server writes several entries
// in one microsecond) is in the order things happened, not in the order of random ids.
TEST_F(ApplicationTest, TheLogOfOneInstantKeepsTheOrderOfEvents) {
    std::string id = createId(project("同一时刻"));
    auto docs = uploadDocuments(*admin);
    settleChecks();
    std::string path = "/api/v1/applications/" + id;
    for (int i = 0; i < 6; ++i) {
        ASSERT_EQ(admin->postJson(path, completeBody(docs), "PUT").status, 200);
    }
    ASSERT_EQ(submit(*admin, id).status, 200);
    auto list = admin->get(path + "/events").json()->getArray("items");
    std::vector<std::string> actions;
    for (std::size_t i = 0; i < list->size(); ++i) {
        actions.push_back(
            list->getObject(static_cast<unsigned>(i))->getValue<std::string>("action"));
    }
    std::vector<std::string> expected{"application.create"};
    expected.insert(expected.end(), 6, "application.save");
    expected.push_back("application.submit");
    EXPECT_EQ(actions, expected);
}

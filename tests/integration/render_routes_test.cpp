// The render routes on the real server (port 0) with the odd data that used to get a 500, the
// JSON numbers beyond 64 bits, and the log lines a client's text reaches.
#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>
#include <Poco/PatternFormatter.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>
#include <tuple>

#include "RenderFuzz.h"
#include "RenderServerFixture.h"
#include "dossier/core/LogValue.h"

using namespace dossier;
using namespace dossier::test;

namespace {

/// Keeps every message logged through it (the text, and the formatted line when it is the
/// end of a FormattingChannel).
class CapturingChannel : public Poco::Channel {
  public:
    void log(const Poco::Message& m) override {
        std::lock_guard lock(mutex_);
        texts_.push_back(m.getText());
    }
    std::vector<std::string> texts() {
        std::lock_guard lock(mutex_);
        return texts_;
    }

  private:
    std::mutex mutex_;
    std::vector<std::string> texts_;
};

/// Every message of every logger goes to `channel` while it lives, at information level.
class LogCapture {
  public:
    LogCapture() : channel_(new CapturingChannel) {
        Poco::Logger::setChannel("", channel_);
        Poco::Logger::setLevel("", Poco::Message::PRIO_INFORMATION);
    }
    ~LogCapture() { Poco::Logger::setLevel("", Poco::Message::PRIO_FATAL); }
    CapturingChannel& channel() { return *channel_; }

  private:
    Poco::AutoPtr<CapturingChannel> channel_;
};

/// `text` as a JSON string literal.
std::string jsonQuoted(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(c));
            out += buf;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

std::string sample(const std::string& name) {
    return readFile(std::string(DOSSIER_SOURCE_DIR) + "/templates/samples/" + name);
}

class RenderRoutesTest : public RenderServerFixture {
  protected:
    HttpResult post(const std::string& target, const std::string& json,
                    const std::map<std::string, std::string>& headers = {}) {
        return client->request("POST", "/api/v1/render/" + target, headers, "application/json",
                               json);
    }
    /// A 422 validation.failed whose errors hold `path` with `code`.
    void expectFieldProblem(const HttpResult& r, const std::string& path, const std::string& code,
                            const std::string& what) {
        ASSERT_EQ(r.status, 422) << what << ": " << r.body;
        EXPECT_EQ(r.header("Content-Type"), "application/problem+json") << what;
        auto problem = r.json();
        EXPECT_EQ(problem->getValue<std::string>("code"), "validation.failed") << what;
        auto errors = problem->getArray("errors");
        ASSERT_TRUE(errors) << what;
        for (std::size_t i = 0; i < errors->size(); ++i) {
            auto e = errors->getObject(static_cast<unsigned>(i));
            if (e->getValue<std::string>("path") == path) {
                EXPECT_EQ(e->getValue<std::string>("code"), code) << what << ": " << r.body;
                return;
            }
        }
        ADD_FAILURE() << what << ": no problem at " << path << " in " << r.body;
    }
};

}  // namespace

TEST_F(RenderRoutesTest, OddValuesAreFieldProblemsNotServerErrors) {
    const std::string certificate = sample("leader-certificate.json");
    const std::string label = sample("leader-label.json");
    const std::string book = sample("benchmark-2022-book.json");
    struct Case {
        std::string target, json, path, raw, code;
    };
    std::vector<Case> cases;
    for (const auto& [target, json] : {std::pair{std::string("certificate"), certificate},
                                       std::pair{std::string("label"), label}}) {
        for (const char* raw : {"2147483648", "9223372036854775808", "1e19", "-1", "2"})
            cases.push_back({target, json, "star_level", raw, "field.range"});
        cases.push_back({target, json, "star_level", "4.5", "field.not_an_integer"});
        cases.push_back({target, json, "star_level", "\"5\"", "field.not_a_number"});
        cases.push_back({target, json, "star_level", "[5]", "field.not_a_number"});
        for (const char* raw : {"[]", "{}", "[null]", "12", "true", "{\"a\": 1}"})
            cases.push_back({target, json, "enterprise_name", raw, "field.type"});
        cases.push_back(
            {target, json, "enterprise_name", "\"a\\u0000b\"", "field.control_character"});
        cases.push_back({target, json, "enterprise_name", "\"" + std::string(61, 'a') + "\"",
                         "field.too_long"});
        cases.push_back({target, json, "verify_url",
                         "\"https://dossier.example/" + std::string(2600, 'a') + "\"",
                         "field.too_long"});
        cases.push_back(
            {target, json, "verify_url", "\"https://x.example/a\\nb\"", "field.line_break"});
        cases.push_back({target, json, "verify_url", "\"https://x.example/a b\"", "field.url"});
        cases.push_back({target, json, "verify_url", "\"http://x.example/\"", "field.url"});
        cases.push_back({target, json, "unknown_key", "1", "field.unknown"});
    }
    cases.push_back({"certificate", certificate, "product", "[]", "field.type"});
    cases.push_back({"certificate", certificate, "product.name", "{}", "field.type"});
    cases.push_back(
        {"label", label, "model", "\"" + std::string(41, 'M') + "\"", "field.too_long"});
    // The book: any number beyond what prints exactly, an empty choice.
    for (const char* raw : {"9223372036854775809", "9223372036854775807", "1e300", "-1e20"})
        cases.push_back({"book", book, "revenue.2020", raw, "field.range"});
    cases.push_back({"book", book, "profit.2020", "18446744073709551615", "field.range"});
    cases.push_back({"book", book, "management.products.0.market_share.2020.domestic",
                     "9223372036854775809", "field.range"});
    cases.push_back({"book", book, "directions", "[null]", "field.not_in_list"});
    cases.push_back({"book", book, "directions", "[[], {}]", "field.not_in_list"});
    cases.push_back({"book", book, "directions", "\"质量管理数字化\"", "field.type"});
    cases.push_back({"book", book, "revenue", "[]", "field.type"});
    cases.push_back({"book", book, "enterprise.name", "[]", "field.type"});
    for (const auto& c : cases) {
        std::string what = c.target + " " + c.path + " = " + c.raw.substr(0, 60);
        std::string json = c.path == "unknown_key"
                               ? c.json.substr(0, c.json.rfind('}')) + ", \"unknown_key\": 1}"
                               : withValueAt(c.json, c.path, c.raw);
        // A list's problems are its items' ([null] → directions.0).
        std::string path = c.path == "directions" && c.raw[0] == '[' ? "directions.0" : c.path;
        expectFieldProblem(post(c.target, json), path, c.code, what);
    }
    // A whole number written with a fraction is still that number.
    auto four = post("label", withValueAt(label, "star_level", "4.0"));
    EXPECT_EQ(four.status, 200) << four.body;
}

TEST_F(RenderRoutesTest, ValuesThatDrawNothingStillRender) {
    // A BOM (U+FEFF) alone once made the symbol font's subset empty: render.font, 500.
    for (const auto& [target, file, path] :
         {std::tuple{"certificate", "leader-certificate.json", "domain"},
          std::tuple{"label?format=png", "leader-label.json", "standard_number"},
          std::tuple{"book?template=benchmark-2022-experience", "benchmark-2022-experience.json",
                     "overview"}}) {
        for (const char* raw : {"\"\\ufeff\"", "\"a\\ufeffb\"", "\"\\ufeff\\t\""}) {
            auto r = post(target, withValueAt(sample(file), path, raw));
            EXPECT_TRUE(r.status == 200 || r.status == 422)
                << target << " " << path << " = " << raw << ": " << r.status << " " << r.body;
        }
    }
}

// ?format=docx: the book and the forms as Word documents, refused data refused exactly as for
// the PDF; the certificate and the label have no Word version.
TEST_F(RenderRoutesTest, BooksAndFormsComeAsWordDocuments) {
    const std::string book = sample("benchmark-2022-book.json");
    auto r = post("book?template=benchmark-2022&format=docx", book);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("Content-Type"),
              "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    EXPECT_NE(r.header("Content-Disposition").find("benchmark-2022.docx"), std::string::npos);
    EXPECT_EQ(r.body.substr(0, 2), "PK");
    EXPECT_NE(r.body.find("word/document.xml"), std::string::npos);
    EXPECT_EQ(post("book?format=docx", book).body, r.body);  // the same bytes every time
    auto experience = post("book?template=benchmark-2022-experience&format=docx",
                           sample("benchmark-2022-experience.json"));
    EXPECT_EQ(experience.status, 200) << experience.body;
    auto form = post("commitment?format=docx", sample("organization.json"));
    EXPECT_EQ(form.status, 200) << form.body;
    auto blank = post("book?format=docx&draft=true", "{}");
    EXPECT_EQ(blank.status, 200) << blank.body;

    expectFieldProblem(post("book?format=docx", withValueAt(book, "experience_name",
                                                            "\"" + std::string(31, 'x') + "\"")),
                       "experience_name", "field.too_long", "docx word limit");
    auto many =
        post("book?format=docx", withValueAt(withValueAt(book, "contact.mobile", "\"123\""),
                                             "enterprise.credit_code", "\"91330000MA2H7K3R9X\""));
    ASSERT_EQ(many.status, 422) << many.body;
    EXPECT_EQ(many.json()->getArray("errors")->size(), 2u) << many.body;
    for (const char* target : {"certificate?format=docx", "label?format=docx", "book?format=odt"}) {
        auto bad = post(target, target[0] == 'l' ? sample("leader-label.json")
                                                 : sample("leader-certificate.json"));
        EXPECT_EQ(bad.status, 400) << target << ": " << bad.body;
        EXPECT_EQ(bad.json()->getValue<std::string>("code"), "request.malformed") << target;
    }
}

TEST_F(RenderRoutesTest, EveryProblemOfTheDataIsListedAtOnce) {
    std::string json = withValueAt(sample("leader-certificate.json"), "star_level", "1e19");
    json = withValueAt(json, "domain", "[]");
    json = withValueAt(json, "verify_url", "\"https://x/" + std::string(3000, 'u') + "\"");
    auto r = post("certificate", json);
    ASSERT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(r.json()->getArray("errors")->size(), 3u) << r.body;
}

TEST_F(RenderRoutesTest, NumbersBeyond64BitsAreOutOfRangeNotMalformedJson) {
    const std::string label = sample("leader-label.json");
    for (const char* raw : {"99999999999999999999999", "18446744073709551616",
                            "-9223372036854775809", "1e400", "-1e400"}) {
        auto r = post("label", withValueAt(label, "star_level", raw));
        ASSERT_EQ(r.status, 422) << raw << ": " << r.body;
        EXPECT_EQ(r.header("Content-Type"), "application/problem+json");
        EXPECT_EQ(r.json()->getValue<std::string>("code"), "request.number_out_of_range") << raw;
        EXPECT_NE(r.json()->getValue<std::string>("detail").find("out of range"),
                  std::string::npos);
    }
    auto book = post("book", withValueAt(sample("benchmark-2022-book.json"), "revenue.2019",
                                         "123456789012345678901234567890"));
    EXPECT_EQ(book.json()->getValue<std::string>("code"), "request.number_out_of_range");
    // The same for every JSON route (they parse through one helper), e.g. signing in.
    HttpTestClient anonymous(server->port());
    auto signIn =
        anonymous.postJson("/api/v1/sessions", R"({"username": "jingke01", "password": 1e999})");
    EXPECT_EQ(signIn.status, 422) << signIn.body;
    EXPECT_EQ(signIn.json()->getValue<std::string>("code"), "request.number_out_of_range");
    // Broken JSON is still malformed; numbers in strings are text.
    auto broken = post("label", "{\"star_level\": 5,");
    EXPECT_EQ(broken.json()->getValue<std::string>("code"), "request.malformed");
    auto inText = post("label", withValueAt(label, "model", "\"99999999999999999999999\""));
    EXPECT_EQ(inText.status, 200) << inText.body;
}

TEST_F(RenderRoutesTest, TemplateParameterThatCannotBeAnIdIsMalformed) {
    for (const char* t : {"..%2F..%2Fetc%2Fpasswd", "../..", "Benchmark", "a%00b", "x.json"}) {
        auto r = post(std::string("book?template=") + t, "{}");
        EXPECT_EQ(r.status, 400) << t << ": " << r.body;
        EXPECT_EQ(r.json()->getValue<std::string>("code"), "request.malformed") << t;
    }
    // A well-formed name no template has is unknown (404), as is a form asked for as a book.
    for (const char* t : {"benchmark-1999", "form-proof", "receipt"}) {
        auto r = post(std::string("book?template=") + t, "{}");
        EXPECT_EQ(r.status, 404) << t;
        EXPECT_EQ(r.json()->getValue<std::string>("code"), "render.unknown_document") << t;
    }
    // A receipt attests a submission: the server issues it for a submitted application only,
    // never from data a client posts.
    auto receipt = post("receipt", sample("receipt.json"));
    EXPECT_EQ(receipt.status, 404) << receipt.body;
    EXPECT_EQ(receipt.json()->getValue<std::string>("code"), "render.unknown_document");
}

TEST_F(RenderRoutesTest, ClientTextCannotForgeOrFloodLogLines) {
    LogCapture capture;
    const std::string forgedLine =
        "2026-01-01T00:00:00.000Z E dossier.http request_id=FORGED method=POST status=200";
    const std::string certificate = sample("leader-certificate.json");
    const std::vector<std::string> urls = {
        "https://dossier.example/" + std::string(2600, 'a') + "\n" + forgedLine,
        "https://dossier.example/" + std::string(100 * 1024, 'b'),
        "https://dossier.example/v\n" + forgedLine,
    };
    for (std::size_t i = 0; i < urls.size(); ++i) {
        std::string id = "forge-" + std::to_string(i);
        auto r = post("certificate", withValueAt(certificate, "verify_url", jsonQuoted(urls[i])),
                      {{"X-Request-Id", id}});
        EXPECT_LT(r.status, 500) << r.body;
        // The access line is written once the answer is out.
        for (int wait = 0; wait < 100; ++wait) {
            bool seen = false;
            for (const auto& t : capture.channel().texts()) seen |= t.find(id) != std::string::npos;
            if (seen) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
    auto texts = capture.channel().texts();
    for (std::size_t i = 0; i < urls.size(); ++i) {
        std::string id = "request_id=forge-" + std::to_string(i);
        int lines = 0;
        for (const auto& t : texts) lines += t.find(id) != std::string::npos;
        EXPECT_EQ(lines, 1) << id;
    }
    for (const auto& t : texts) {
        // One message, one line, of bounded length, never the client's line.
        EXPECT_EQ(t.find_first_of("\r\n"), std::string::npos) << t.substr(0, 300);
        EXPECT_LE(t.size(), 2048u) << t.substr(0, 300);
        EXPECT_EQ(t.find("request_id=FORGED"), std::string::npos) << t.substr(0, 300);
    }
}

TEST(LogLines, AClientValueIsOneEscapedLineWhateverItHolds) {
    // What the server's log channel (app/Cli.cpp) writes: one line per message.
    Poco::AutoPtr<CapturingChannel> sink(new CapturingChannel);
    Poco::AutoPtr<Poco::PatternFormatter> formatter(
        new Poco::PatternFormatter("%Y-%m-%dT%H:%M:%S.%iZ %q %s %t"));
    Poco::AutoPtr<Poco::FormattingChannel> formatting(new Poco::FormattingChannel(formatter, sink));
    auto& log = Poco::Logger::get("dossier.test.forging");
    log.setChannel(formatting);
    log.setLevel(Poco::Message::PRIO_INFORMATION);
    const std::string forged =
        "https://x.example/v\n2026-01-01T00:00:00.000Z E dossier.http "
        "request_id=FORGED\r\xE2\x80\xA8x";
    log.error("request_id=real code=internal" + logField("detail", forged));
    log.error("request_id=long" + logField("detail", std::string(100 * 1024, 'z')));
    auto texts = sink->texts();
    ASSERT_EQ(texts.size(), 2u);
    std::string all = texts[0] + "\n" + texts[1] + "\n";
    std::vector<std::string> lines;
    for (std::size_t start = 0, end; (end = all.find('\n', start)) != std::string::npos;
         start = end + 1)
        lines.push_back(all.substr(start, end - start));
    ASSERT_EQ(lines.size(), 2u) << all;
    EXPECT_NE(lines[0].find("detail=\"https://x.example/v\\n2026-01-01T00:00:00.000Z E "
                            "dossier.http request_id=FORGED\\r\\u2028x\""),
              std::string::npos)
        << lines[0];
    EXPECT_EQ(lines[0].find("\xE2\x80\xA8"), std::string::npos);
    EXPECT_LT(lines[1].size(), kLogValueCap + 120) << lines[1].size();
    EXPECT_NE(lines[1].find("…(cut, 102400 bytes)"), std::string::npos);
}

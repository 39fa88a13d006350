// The `dossier` binary itself: help, refusal to start on bad configuration, and a real
// serve → upload → SIGTERM cycle as the README's run command does it.
#include <Poco/Net/StreamSocket.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <regex>
#include <thread>

#include "HttpTestClient.h"
#include "PdfProbe.h"
#include "SampleFiles.h"
#include "TestSupport.h"
#include "dossier/storage/Database.h"
#include "dossier/storage/DocumentRepository.h"

using namespace dossier::test;

namespace {

struct RunResult {
    int exitCode;
    std::string out;
    std::string err;
};

/// Runs the binary with `input` on its standard input.
RunResult run(const std::vector<std::string>& args, const Poco::Process::Env& env = {},
              const std::string& input = {}) {
    Poco::Pipe inPipe, outPipe, errPipe;
    auto handle = Poco::Process::launch(DOSSIER_BINARY, args, "", &inPipe, &outPipe, &errPipe, env);
    {
        Poco::PipeOutputStream in(inPipe);
        in << input;
        in.close();
    }
    Poco::PipeInputStream out(outPipe), err(errPipe);
    RunResult r;
    Poco::StreamCopier::copyToString(out, r.out);
    Poco::StreamCopier::copyToString(err, r.err);
    r.exitCode = handle.wait();
    return r;
}

struct RunningServer {
    Poco::ProcessHandle handle;
    std::uint16_t port;
};

/// Starts `dossier serve` on a free port with its data in `dataDir`; reads the port from the
/// line it prints once it listens.
RunningServer startServer(const std::string& dataDir) {
    Poco::Pipe outPipe;
    auto handle =
        Poco::Process::launch(DOSSIER_BINARY, {"serve"}, dataDir, nullptr, &outPipe, nullptr,
                              {{"DOSSIER_LISTEN", "127.0.0.1:0"},
                               {"DOSSIER_DATA_DIR", dataDir + "/var"},
                               {"DOSSIER_LOG_LEVEL", "warning"},
                               {"DOSSIER_AUTH_PASSWORD_ITERATIONS", "1000"}});
    Poco::PipeInputStream out(outPipe);
    std::string line;
    std::getline(out, line);
    auto colon = line.rfind(':');
    if (colon == std::string::npos) throw std::runtime_error("server did not start: " + line);
    return {handle, static_cast<std::uint16_t>(std::stoi(line.substr(colon + 1)))};
}

}  // namespace

TEST(Cli, HelpDocumentsCommandsAndSettings) {
    auto r = run({"--help"});
    EXPECT_EQ(r.exitCode, 0);
    for (const char* word : {"serve", "migrate", "DOSSIER_DATABASE", "DOSSIER_DATA_DIR",
                             "DOSSIER_LISTEN", "DOSSIER_LIMITS_LICENSE"}) {
        EXPECT_NE(r.out.find(word), std::string::npos) << word;
    }
    auto serve = run({"serve", "--help"});
    EXPECT_EQ(serve.exitCode, 0);
    EXPECT_NE(serve.out.find("Usage: dossier serve"), std::string::npos);
    EXPECT_EQ(run({"migrate", "--help"}).exitCode, 0);
    EXPECT_EQ(run({"frobnicate"}).exitCode, 2);
    // Every command refuses a bad command line the same way: cli.usage, exit code 2.
    auto bogus = run({"serve", "--bogus"});
    EXPECT_EQ(bogus.exitCode, 2);
    EXPECT_NE(bogus.err.find("cli.usage: Unknown option '--bogus'"), std::string::npos)
        << bogus.err;
    auto missing = run({"watermark", "in.jpg", "-o"});
    EXPECT_EQ(missing.exitCode, 2);
    EXPECT_NE(missing.err.find("cli.usage: Option -o needs a value"), std::string::npos)
        << missing.err;
}

TEST(Cli, RefusesToStartWithUnwritableDataDirectory) {
    TempDir dir;
    writeFile(dir.path() + "/file", "x");  // a file where a directory must go
    auto r = run({"serve"}, {{"DOSSIER_DATA_DIR", dir.path() + "/file/data"},
                             {"DOSSIER_LISTEN", "127.0.0.1:0"}});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("data directory"), std::string::npos) << r.err;
}

TEST(Cli, RefusesToStartWithUnreachableDatabase) {
    TempDir dir;
    auto r = run({"serve"}, {{"DOSSIER_DATA_DIR", dir.path()},
                             {"DOSSIER_DATABASE", "postgresql://dossier@127.0.0.1:1/dossier"},
                             {"DOSSIER_LISTEN", "127.0.0.1:0"}});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("Cannot reach the database"), std::string::npos) << r.err;
}

TEST(Cli, RefusesBadSettings) {
    auto r = run({"serve"}, {{"DOSSIER_LISTEN", "nowhere"}});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("listen"), std::string::npos) << r.err;
}

TEST(Cli, ServesUploadsAndStopsOnSigterm) {
    TempDir dir;
    auto server = startServer(dir.path());
    {
        HttpTestClient client(server.port);
        client.signUp("applicant1", "13800000001", "广州精科医学检验所有限公司",
                      "91440116MA59B21T31");
        std::string bytes = readFile(fixturePath("real/yyzz_template_generator-tools.jpg"));
        auto up = client.upload(bytes, "scan.jpg", "license");
        ASSERT_EQ(up.status, 201) << up.body;
        auto id = up.json()->getValue<std::string>("id");
        EXPECT_EQ(client.get("/api/v1/documents/" + id + "/content").body, bytes);
    }
    // A second server on the same data directory refuses to start.
    auto second = run(
        {"serve"}, {{"DOSSIER_LISTEN", "127.0.0.1:0"}, {"DOSSIER_DATA_DIR", dir.path() + "/var"}});
    EXPECT_EQ(second.exitCode, 2);
    EXPECT_NE(second.err.find("Another dossier server"), std::string::npos) << second.err;

    Poco::Process::requestTermination(server.handle.id());
    EXPECT_EQ(server.handle.wait(), 0);
    // The embedded defaults: SQLite file and blobs under the data directory.
    auto files = listFilesRecursive(dir.path() + "/var");
    EXPECT_NE(std::find(files.begin(), files.end(), "dossier.db"), files.end());
}

// Poco::Crypto's DigestEngine held a reference-counted OpenSSL initializer per object; when
// the count fell to zero on one thread it tore down state other threads were using (SIGSEGV in
// pthread_mutex_destroy under concurrent sign-ins). Hashing uses OpenSSL's EVP directly now;
// this keeps the library from coming back through any module.
TEST(Cli, TheServerDoesNotLinkPocoCrypto) {
    std::string libraries = runCommand(std::string("ldd ") + DOSSIER_BINARY);
    EXPECT_NE(libraries.find("libcrypto"), std::string::npos) << libraries;
    EXPECT_EQ(libraries.find("PocoCrypto"), std::string::npos) << libraries;
}

TEST(Cli, ARefusedServerTouchesNeitherTheDatabaseNorTheDirectory) {
    TempDir dir;
    std::string data = dir.path() + "/var";
    std::filesystem::create_directories(data + "/blobs/.staging");
    // A staged upload older than the start-up sweep's hour, as a crashed server leaves it.
    std::string staged = data + "/blobs/.staging/upload-cut-off";
    writeFile(staged, "partial");
    std::filesystem::last_write_time(
        staged, std::filesystem::file_time_type::clock::now() - std::chrono::hours(2));
    // Another server holds the directory (flock locks belong to the open file, so this
    // process's lock refuses the child's).
    int fd = ::open((data + "/.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
    auto r = run({"serve"}, {{"DOSSIER_LISTEN", "127.0.0.1:0"}, {"DOSSIER_DATA_DIR", data}});
    ::close(fd);
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("Another dossier server"), std::string::npos) << r.err;
    // Refused before migrating (no database file at all) and before sweeping.
    EXPECT_FALSE(std::filesystem::exists(data + "/dossier.db"));
    EXPECT_TRUE(std::filesystem::exists(staged));
}

TEST(Cli, ASecondServerOnTheSamePortIsRefusedNotSharingConnections) {
    TempDir dir;
    auto first = startServer(dir.path());
    std::string listen = "127.0.0.1:" + std::to_string(first.port);
    // Were it to start (SO_REUSEPORT), it would serve until killed: stop it after a while.
    Poco::Pipe errPipe;
    auto handle = Poco::Process::launch(DOSSIER_BINARY, {"serve"}, "", nullptr, nullptr, &errPipe,
                                        {{"DOSSIER_LISTEN", listen},
                                         {"DOSSIER_DATA_DIR", dir.path() + "/other"},
                                         {"DOSSIER_LOG_LEVEL", "warning"}});
    std::atomic<bool> finished{false};
    std::thread watchdog([&] {
        for (int i = 0; i < 150 && !finished; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        if (!finished) Poco::Process::kill(handle);
    });
    RunResult second;
    Poco::PipeInputStream err(errPipe);
    Poco::StreamCopier::copyToString(err, second.err);
    second.exitCode = handle.wait();
    finished = true;
    watchdog.join();
    EXPECT_EQ(second.exitCode, 2) << second.err;
    EXPECT_NE(second.err.find("Cannot listen on " + listen), std::string::npos) << second.err;
    Poco::Process::requestTermination(first.handle.id());
    EXPECT_EQ(first.handle.wait(), 0);
}

TEST(Cli, StaffAccountsAreCreatedFromTheCommandLine) {
    TempDir dir;
    Poco::Process::Env env{{"DOSSIER_DATA_DIR", dir.path() + "/var"},
                           {"DOSSIER_AUTH_PASSWORD_ITERATIONS", "1000"}};
    auto created = run({"account", "create", "--role", "reviewer", "--username", "review01",
                        "--phone", "13900000001", "--name", "审查员䶮"},
                       env, "Secret-2025\n");
    EXPECT_EQ(created.exitCode, 0) << created.err;
    EXPECT_NE(created.out.find("created reviewer review01"), std::string::npos) << created.out;
    // The password never appears in arguments; the same username again is refused.
    auto again = run({"account", "create", "--role", "operator", "--username", "REVIEW01",
                      "--phone", "13900000002", "--name", "运维"},
                     env, "Secret-2025\n");
    EXPECT_EQ(again.exitCode, 1);
    EXPECT_NE(again.err.find("already registered"), std::string::npos) << again.err;
    auto weak = run({"account", "create", "--role", "operator", "--username", "ops00001", "--phone",
                     "13900000002", "--name", "运维"},
                    env, "123\n");
    EXPECT_EQ(weak.exitCode, 1);
    EXPECT_NE(weak.err.find("password"), std::string::npos) << weak.err;
    EXPECT_EQ(run({"account", "create", "--role", "applicant", "--username", "x"}, env).exitCode,
              2);

    auto server = startServer(dir.path());
    HttpTestClient reviewer(server.port);
    ASSERT_EQ(reviewer.signIn("review01").status, 201);
    auto me = reviewer.get("/api/v1/me");
    EXPECT_EQ(me.json()->getObject("account")->getValue<std::string>("role"), "reviewer");
    EXPECT_EQ(me.json()->getObject("account")->getValue<std::string>("display_name"), "审查员䶮");
    Poco::Process::requestTermination(server.handle.id());
    EXPECT_EQ(server.handle.wait(), 0);
}

TEST(Cli, CrashDuringAnUploadLeavesAConsistentStore) {
    TempDir dir;
    auto server = startServer(dir.path());
    HttpTestClient applicant(server.port);
    applicant.signUp("applicant1", "13800000001", "广州精科医学检验所有限公司",
                     "91440116MA59B21T31");
    // Half of a 2 MB upload, then SIGKILL while the server is streaming it to disk.
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", server.port));
    auto [type, body] = multipartBody(
        {{"kind", "proof", std::nullopt, ""}, {"file", std::string(2 << 20, 'x'), "p.pdf", ""}});
    std::string head = "POST /api/v1/documents HTTP/1.1\r\nHost: x\r\nContent-Type: " + type +
                       "\r\nAuthorization: Bearer " + applicant.bearer() +
                       "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
    socket.sendBytes(head.data(), static_cast<int>(head.size()));
    socket.sendBytes(body.data(), static_cast<int>(body.size() / 2));
    std::string staging = dir.path() + "/var/blobs/.staging";
    for (int i = 0; i < 100 && listFilesRecursive(staging).empty(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_EQ(listFilesRecursive(staging).size(), 1u) << "upload was not being staged";
    Poco::Process::kill(server.handle);
    server.handle.wait();
    socket.close();

    auto restarted = startServer(dir.path());
    EXPECT_TRUE(listFilesRecursive(staging).empty()) << "stale staged upload was not swept";
    {
        auto db = dossier::storage::Database::open("sqlite:" + dir.path() + "/var/dossier.db", 1);
        dossier::storage::DocumentRepository rows(*db);
        EXPECT_EQ(rows.countDocuments(), 0u);
        EXPECT_EQ(rows.countBlobs(), 0u);
    }
    HttpTestClient client(restarted.port);
    ASSERT_EQ(client.signIn("applicant1").status, 201);  // the account survived the crash
    EXPECT_EQ(client.upload(dossier::test::makePdf(), "p.pdf", "proof").status, 201);
    Poco::Process::requestTermination(restarted.handle.id());
    EXPECT_EQ(restarted.handle.wait(), 0);
}

TEST(Cli, WatermarkAndCheckCommands) {
    TempDir dir;
    std::string scan = fixturePath("real/yyzz_template_generator-tools.jpg");
    auto wm =
        run({"watermark", scan, "-o", dir.path() + "/out.jpg", "--activity", "2025年全国质量标杆"});
    EXPECT_EQ(wm.exitCode, 0) << wm.err;
    std::string out = readFile(dir.path() + "/out.jpg");
    EXPECT_NE(out, readFile(scan));
    EXPECT_EQ(out.substr(0, 3), "\xFF\xD8\xFF");
    writeFile(dir.path() + "/in.pdf", dossier::test::makeTextPdf());
    // --name=value works for every option of every command (one parser).
    auto pdf = run({"watermark", dir.path() + "/in.pdf", "--output=" + dir.path() + "/out.pdf"});
    EXPECT_EQ(pdf.exitCode, 0) << pdf.err;
    EXPECT_EQ(readFile(dir.path() + "/out.pdf").substr(0, 5), "%PDF-");
    // Refused input: a clear message, exit 1, no output file.
    writeFile(dir.path() + "/bad.jpg", "not an image");
    auto bad = run({"watermark", dir.path() + "/bad.jpg", "-o", dir.path() + "/bad-out.jpg"});
    EXPECT_EQ(bad.exitCode, 1);
    EXPECT_FALSE(std::filesystem::exists(dir.path() + "/bad-out.jpg"));
    EXPECT_FALSE(std::filesystem::exists(dir.path() + "/bad-out.jpg.tmp"));

    auto seals =
        run({"check", "seals", fixturePath("real/getseal_three_seals_baidu_screenshot.png"),
             "--expected", "3", "--json"},
            {{"OMP_THREAD_LIMIT", "1"}});
    EXPECT_EQ(seals.exitCode, 0) << seals.err;
    EXPECT_NE(seals.out.find("\"code\":\"seals.present\""), std::string::npos) << seals.out;
    auto license =
        run({"check", "license", fixturePath("real/yyzz_template_generator-tools.jpg"), "--json"},
            {{"OMP_THREAD_LIMIT", "1"}});
    EXPECT_EQ(license.exitCode, 1);
    EXPECT_NE(license.out.find("license.code_not_found"), std::string::npos) << license.out;
}

TEST(Cli, PdfWatermarkReadsUprightOnRotatedPages) {
    // Page 4 has /Rotate -90: its mark used to come out sideways in a middle band.
    TempDir dir;
    auto r = run({"watermark", fixturePath("pdf/rotated_pages.pdf"), "-o", dir.path() + "/out.pdf",
                  "--viewer", "审查员", "--account", "acct-9"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    std::string out = readFile(dir.path() + "/out.pdf");
    for (int page : {2, 4, 5, 6, 7}) {
        SCOPED_TRACE("page " + std::to_string(page));
        auto coverage = filingMarkCoverage(out, page);
        EXPECT_GT(coverage.spanX, 0.7);
        EXPECT_GT(coverage.spanY, 0.7);
        EXPECT_TRUE(coverage.allQuadrants);
        auto rotations = textRotations(out, page, "审");
        ASSERT_FALSE(rotations.empty());
        for (int rotation : rotations) EXPECT_EQ(rotation, 0);
    }
}

TEST(Cli, RenderCertificate) {
    TempDir dir;
    std::string sample =
        std::string(DOSSIER_SOURCE_DIR) + "/templates/samples/leader-certificate.json";
    auto ok =
        run({"render", "certificate", "--data", sample, "--seal",
             fixturePath("real/getseal_source_beijing_zhongdao.png"), "-o", dir.path() + "/c.pdf"});
    EXPECT_EQ(ok.exitCode, 0) << ok.err;
    EXPECT_EQ(readFile(dir.path() + "/c.pdf").substr(0, 5), "%PDF-");
    writeFile(dir.path() + "/bad.json", R"({"star_level": 9})");
    auto bad = run({"render", "certificate", "--data", dir.path() + "/bad.json", "-o",
                    dir.path() + "/bad.pdf"});
    EXPECT_EQ(bad.exitCode, 1);
    EXPECT_NE(bad.err.find("star_level"), std::string::npos) << bad.err;
    EXPECT_NE(bad.err.find("enterprise_name"), std::string::npos) << bad.err;
    EXPECT_FALSE(std::filesystem::exists(dir.path() + "/bad.pdf"));
    // The stamped variant with the seal cut out of a stamped scan.
    auto cut = run({"render", "certificate", "--data", sample, "--seal-from-scan",
                    fixturePath("real/getseal_source_beijing_zhongdao.png"), "-o",
                    dir.path() + "/cut.pdf"});
    EXPECT_EQ(cut.exitCode, 0) << cut.err;
    std::string images = runCommand("pdfimages -list " + dir.path() + "/cut.pdf 2>/dev/null");
    EXPECT_NE(images.find("smask"), std::string::npos) << images;  // drawn with its transparency
    writeFile(dir.path() + "/not-an-image.jpg", "this is text, not a scan");
    auto notImage = run({"render", "certificate", "--data", sample, "--seal-from-scan",
                         dir.path() + "/not-an-image.jpg", "-o", dir.path() + "/n.pdf"});
    EXPECT_EQ(notImage.exitCode, 1);
    EXPECT_NE(notImage.err.find("image."), std::string::npos) << notImage.err;
    EXPECT_FALSE(std::filesystem::exists(dir.path() + "/n.pdf"));
}

// What the server prints on an application's book, from the command line: 草稿 on every page
// (--draft-mark), a footer (--footer), the same bytes from two processes given
// SOURCE_DATE_EPOCH; and the receipt.
TEST(Cli, RenderMarksReceiptAndReproducibleBytes) {
    TempDir dir;
    std::string samples = std::string(DOSSIER_SOURCE_DIR) + "/templates/samples/";
    const std::string footer = "申报编号 B2025-000123　提交时间 2025-04-15 10:23:45 北京时间";
    Poco::Process::Env epoch{{"SOURCE_DATE_EPOCH", "1744683825"}};
    for (const char* out : {"/a.pdf", "/b.pdf"}) {
        auto r = run({"render", "book", "--data", samples + "benchmark-2022-book.json", "--footer",
                      footer, "-o", dir.path() + out},
                     epoch);
        ASSERT_EQ(r.exitCode, 0) << r.err;
    }
    EXPECT_EQ(readFile(dir.path() + "/a.pdf"), readFile(dir.path() + "/b.pdf"));
    EXPECT_NE(runCommand("pdfinfo " + dir.path() + "/a.pdf").find("Apr 15 02:23:45 2025"),
              std::string::npos);
    auto draft = run({"render", "book", "--draft", "--draft-mark", "--data",
                      samples + "benchmark-2022-book.json", "-o", dir.path() + "/d.pdf"});
    ASSERT_EQ(draft.exitCode, 0) << draft.err;
    for (int p = 1; p <= 8; ++p) {
        std::string page = std::to_string(p);
        EXPECT_NE(runCommand("pdftotext -f " + page + " -l " + page + " " + dir.path() +
                             "/d.pdf - 2>/dev/null")
                      .find("草稿"),
                  std::string::npos)
            << "page " << p;
        EXPECT_NE(runCommand("pdftotext -f " + page + " -l " + page + " " + dir.path() +
                             "/a.pdf - 2>/dev/null")
                      .find("B2025-000123"),
                  std::string::npos)
            << "page " << p;
    }
    auto receipt =
        run({"render", "receipt", "--data", samples + "receipt.json", "-o", dir.path() + "/r.pdf"});
    ASSERT_EQ(receipt.exitCode, 0) << receipt.err;
    EXPECT_NE(runCommand("pdftotext " + dir.path() + "/r.pdf - 2>/dev/null").find("申报提交回执"),
              std::string::npos);
    // A receipt has no draft; a bad epoch is a usage error.
    EXPECT_EQ(run({"render", "receipt", "--draft", "--data", samples + "receipt.json", "-o",
                   dir.path() + "/x.pdf"})
                  .exitCode,
              2);
    EXPECT_EQ(
        run({"render", "receipt", "--data", samples + "receipt.json", "-o", dir.path() + "/x.pdf"},
            {{"SOURCE_DATE_EPOCH", "yesterday"}})
            .exitCode,
        2);
    EXPECT_FALSE(std::filesystem::exists(dir.path() + "/x.pdf"));
}

TEST(Cli, RenderBookFormsAndLabel) {
    TempDir dir;
    std::string samples = std::string(DOSSIER_SOURCE_DIR) + "/templates/samples/";
    auto book = run({"render", "book", "--template", "benchmark-2022", "--data",
                     samples + "benchmark-2022-book.json", "-o", dir.path() + "/book.pdf"});
    EXPECT_EQ(book.exitCode, 0) << book.err;
    std::string text = runCommand("pdftotext " + dir.path() + "/book.pdf - 2>/dev/null");
    EXPECT_NE(text.find("经济效益统计表"), std::string::npos);
    EXPECT_NE(text.find("浙江明澈精密电气股份有限公司"), std::string::npos);

    // The Word version: --format docx, or an output named *.docx.
    auto docx = run({"render", "book", "--data", samples + "benchmark-2022-book.json", "--format",
                     "docx", "-o", dir.path() + "/book.out"});
    EXPECT_EQ(docx.exitCode, 0) << docx.err;
    EXPECT_EQ(readFile(dir.path() + "/book.out").substr(0, 2), "PK");
    auto byName =
        run({"render", "book", "--template", "benchmark-2022-experience", "--data",
             samples + "benchmark-2022-experience.json", "-o", dir.path() + "/experience.docx"});
    EXPECT_EQ(byName.exitCode, 0) << byName.err;
    EXPECT_NE(runCommand("docx2txt " + dir.path() + "/experience.docx - 2>/dev/null")
                  .find("实施基于大数据的关键过程质量管控的经验"),
              std::string::npos);
    auto badFormat = run({"render", "book", "--data", samples + "benchmark-2022-book.json",
                          "--format", "odt", "-o", dir.path() + "/b.odt"});
    EXPECT_EQ(badFormat.exitCode, 2) << badFormat.err;
    EXPECT_FALSE(std::filesystem::exists(dir.path() + "/b.odt"));

    auto form = run({"render", "form", "commitment", "--data", samples + "organization.json", "-o",
                     dir.path() + "/c.pdf"});
    EXPECT_EQ(form.exitCode, 0) << form.err;
    std::string info = runCommand("pdfinfo " + dir.path() + "/c.pdf 2>/dev/null");
    EXPECT_TRUE(std::regex_search(info, std::regex(R"(Pages:\s+3\n)")))
        << info;  // one page per completing unit

    auto label = run({"render", "label", "--data", samples + "leader-label.json", "--dpi", "150",
                      "-o", dir.path() + "/l.png"});
    EXPECT_EQ(label.exitCode, 0) << label.err;
    EXPECT_EQ(readFile(dir.path() + "/l.png").substr(1, 3), "PNG");
    // A resolution the renderer refuses is a usage error, before anything is rendered.
    auto dpi = run({"render", "label", "--data", samples + "leader-label.json", "--dpi", "5000",
                    "-o", dir.path() + "/big.png"});
    EXPECT_EQ(dpi.exitCode, 2);
    EXPECT_NE(dpi.err.find("--dpi takes a whole number from 72 to 1200"), std::string::npos)
        << dpi.err;
    EXPECT_FALSE(std::filesystem::exists(dir.path() + "/big.png"));
    auto draftCertificate = run({"render", "certificate", "--draft", "--data",
                                 samples + "leader-certificate.json", "-o", dir.path() + "/c.pdf"});
    EXPECT_EQ(draftCertificate.exitCode, 2);
    EXPECT_NE(draftCertificate.err.find("Unknown option '--draft' for certificate"),
              std::string::npos)
        << draftCertificate.err;
    auto labelPdf = run(
        {"render", "label", "--data", samples + "leader-label.json", "-o", dir.path() + "/l.pdf"});
    EXPECT_EQ(readFile(dir.path() + "/l.pdf").substr(0, 5), "%PDF-");

    // Bad data: every problem listed, exit 1, no file.
    writeFile(
        dir.path() + "/bad.json",
        R"({"experience_name": "实施基于大数据与人工智能的关键过程质量管控和持续改进的质量管理经验"})");
    auto bad =
        run({"render", "book", "--data", dir.path() + "/bad.json", "-o", dir.path() + "/bad.pdf"});
    EXPECT_EQ(bad.exitCode, 1);
    EXPECT_NE(bad.err.find("experience_name (field.too_long)"), std::string::npos) << bad.err;
    EXPECT_NE(bad.err.find("recommending_unit (field.required)"), std::string::npos) << bad.err;
    EXPECT_FALSE(std::filesystem::exists(dir.path() + "/bad.pdf"));
    // ...but as a draft the missing fields are blanks to fill in; the wrong one still fails.
    auto draft = run({"render", "book", "--draft", "--data", dir.path() + "/bad.json", "-o",
                      dir.path() + "/bad.pdf"});
    EXPECT_EQ(draft.exitCode, 1);
    EXPECT_EQ(draft.err.find("field.required"), std::string::npos) << draft.err;
    writeFile(dir.path() + "/empty.json", "{}");
    auto blank = run({"render", "book", "--draft", "--data", dir.path() + "/empty.json", "-o",
                      dir.path() + "/blank.pdf"});
    EXPECT_EQ(blank.exitCode, 0) << blank.err;

    auto unknown = run({"render", "form", "poem", "--data", dir.path() + "/empty.json", "-o",
                        dir.path() + "/x.pdf"});
    EXPECT_EQ(unknown.exitCode, 2);
    auto missingTemplate = run({"render", "book", "--template", "benchmark-1999", "--data",
                                dir.path() + "/empty.json", "-o", dir.path() + "/x.pdf"});
    EXPECT_EQ(missingTemplate.exitCode, 1);
    EXPECT_NE(missingTemplate.err.find("render.unknown_document"), std::string::npos)
        << missingTemplate.err;
}

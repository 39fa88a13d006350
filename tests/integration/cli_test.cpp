// The `dossier` binary itself: help, refusal to start on bad configuration, and a real
// serve → upload → SIGTERM cycle as the README's run command does it.
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include "HttpTestClient.h"
#include "TestSupport.h"

using namespace dossier::test;

namespace {

struct RunResult {
    int exitCode;
    std::string out;
    std::string err;
};

RunResult run(const std::vector<std::string>& args, const Poco::Process::Env& env = {}) {
    Poco::Pipe outPipe, errPipe;
    auto handle = Poco::Process::launch(DOSSIER_BINARY, args, "", nullptr, &outPipe, &errPipe, env);
    Poco::PipeInputStream out(outPipe), err(errPipe);
    RunResult r;
    Poco::StreamCopier::copyToString(out, r.out);
    Poco::StreamCopier::copyToString(err, r.err);
    r.exitCode = handle.wait();
    return r;
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
    EXPECT_EQ(run({"serve", "--bogus"}).exitCode, 2);
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
    Poco::Pipe outPipe, errPipe;
    auto handle = Poco::Process::launch(
        DOSSIER_BINARY, {"serve"}, dir.path(), nullptr, &outPipe, &errPipe,
        {{"DOSSIER_LISTEN", "127.0.0.1:0"}, {"DOSSIER_DATA_DIR", dir.path() + "/var"}});
    Poco::PipeInputStream out(outPipe);
    std::string line;
    std::getline(out, line);
    auto colon = line.rfind(':');
    ASSERT_NE(colon, std::string::npos) << line;
    auto port = static_cast<std::uint16_t>(std::stoi(line.substr(colon + 1)));
    {
        HttpTestClient client(port);
        std::string bytes = readFile(fixturePath("real/yyzz_template_generator-tools.jpg"));
        auto up = client.upload(bytes, "scan.jpg", "license");
        ASSERT_EQ(up.status, 201) << up.body;
        auto id = up.json()->getValue<std::string>("id");
        EXPECT_EQ(client.get("/api/v1/documents/" + id + "/content").body, bytes);
    }
    Poco::Process::requestTermination(handle.id());
    EXPECT_EQ(handle.wait(), 0);
    // The embedded defaults: SQLite file and blobs under the data directory.
    auto files = listFilesRecursive(dir.path() + "/var");
    EXPECT_NE(std::find(files.begin(), files.end(), "dossier.db"), files.end());
}

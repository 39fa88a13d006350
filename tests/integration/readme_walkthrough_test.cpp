// The README's curl walk-through is true: its marked shell blocks (a line `<!-- walk-through -->`
// right before the ```sh fence), in the README's order, run as one script with
// `bash -euo pipefail` against the real `dossier serve` on SQLite — the filing journey, the
// application, the formal review — and reach their last line. Every step that must succeed
// uses `curl -f` or checks its answer with `jq -e`, so a step that goes wrong stops the script.
// Afterwards the database holds what the walk-through says it did.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "HttpTestClient.h"
#include "TestSupport.h"

using namespace dossier::test;

namespace {

/// The marked ```sh blocks of `markdown`, in order.
std::vector<std::string> walkThroughBlocks(const std::string& markdown) {
    std::vector<std::string> blocks;
    std::istringstream in(markdown);
    std::string line, block;
    bool marked = false, inside = false;
    while (std::getline(in, line)) {
        if (inside) {
            if (line == "```") {
                blocks.push_back(block);
                block.clear();
                inside = false;
            } else {
                block += line + "\n";
            }
        } else if (marked && line == "```sh") {
            inside = true;
            marked = false;
        } else {
            marked = line == "<!-- walk-through -->";
        }
    }
    return blocks;
}

class ReadmeWalkThrough : public ::testing::Test {
  protected:
    void SetUp() override {
        // The script reads the repository's fixtures and templates by relative paths and
        // writes what it downloads (申报书.pdf) into its working directory: a scratch
        // directory that sees the repository's tests/ and templates/.
        work = dir.path() + "/work";
        std::filesystem::create_directories(work);
        for (const char* shared : {"tests", "templates"}) {
            std::filesystem::create_directory_symlink(
                std::string(DOSSIER_SOURCE_DIR) + "/" + shared, work + "/" + shared);
        }
        environment = {{"DOSSIER_DATA_DIR", dir.path() + "/var"},
                       {"DOSSIER_TEMPLATES_DIR", std::string(DOSSIER_SOURCE_DIR) + "/templates"},
                       {"DOSSIER_LOG_LEVEL", "warning"},
                       {"DOSSIER_CHECK_WORKERS", "2"},
                       {"DOSSIER_AUTH_PASSWORD_ITERATIONS", "1000"},
                       {"OMP_THREAD_LIMIT", "1"}};
        Poco::Process::Env env = environment;
        env["DOSSIER_LISTEN"] = "127.0.0.1:0";
        Poco::Pipe outPipe;
        server = std::make_unique<Poco::ProcessHandle>(Poco::Process::launch(
            DOSSIER_BINARY, {"serve"}, work, nullptr, &outPipe, nullptr, env));
        Poco::PipeInputStream out(outPipe);
        std::string line;
        std::getline(out, line);
        auto colon = line.rfind(':');
        ASSERT_NE(colon, std::string::npos) << "server did not start: " << line;
        port = std::stoi(line.substr(colon + 1));
    }
    void TearDown() override {
        if (server && Poco::Process::isRunning(*server)) {
            Poco::Process::requestTermination(server->id());
            server->wait();
        }
    }

    TempDir dir;
    std::string work;
    Poco::Process::Env environment;
    std::unique_ptr<Poco::ProcessHandle> server;
    int port = 0;
};

TEST_F(ReadmeWalkThrough, TheCurlWalkThroughRunsToItsEnd) {
    auto blocks = walkThroughBlocks(readFile(std::string(DOSSIER_SOURCE_DIR) + "/README.md"));
    // The filing journey, the application, the formal review.
    ASSERT_EQ(blocks.size(), 3u) << "marked blocks in README.md";
    std::string script;
    for (const auto& b : blocks) script += b + "\n";
    writeFile(work + "/walk-through.sh", script);

    // The script's environment: the server's address, the binary for staff accounts (on the
    // server's data directory and database, as `dossier account create` on its machine).
    std::string command = "cd '" + work + "' && env";
    for (const auto& [key, value] : environment) command += " " + key + "='" + value + "'";
    command += " api=http://127.0.0.1:" + std::to_string(port) + "/api/v1";
    command += std::string(" dossier='") + DOSSIER_BINARY + "'";
    command += " timeout 600 bash -euo pipefail walk-through.sh > walk-through.log 2>&1";
    int status = std::system(command.c_str());
    std::string log = readFile(work + "/walk-through.log");
    // The script echoes every answer: its end says where it stopped.
    ASSERT_EQ(status, 0) << "the walk-through stopped; the end of its output:\n"
                         << log.substr(log.size() > 4000 ? log.size() - 4000 : 0);
    auto last = log.find_last_not_of('\n');
    std::string tail = log.substr(0, last + 1);
    EXPECT_EQ(tail.substr(tail.rfind('\n') + 1), "walk-through: done") << log;

    // What it did, as the reviewer's queue has it: the first application failed, the second
    // (returned, corrected, resubmitted) passed, the third failed at its return's deadline;
    // and the book was downloaded.
    HttpTestClient reviewer(static_cast<std::uint16_t>(port));
    ASSERT_EQ(reviewer.signIn("review01", "Another-2026").status, 201);
    for (const auto& [state, numbers] : std::vector<std::pair<std::string, std::string>>{
             {"failed", "benchmark-2025-000001 benchmark-2025-000003"},
             {"passed", "benchmark-2025-000002"}}) {
        auto r = reviewer.get("/api/v1/reviews?state=" + state);
        ASSERT_EQ(r.status, 200) << r.body;
        auto items = r.json()->getArray("items");
        std::string listed;
        for (std::size_t i = 0; i < items->size(); ++i) {
            listed += (i ? " " : "") +
                      items->getObject(static_cast<unsigned>(i))->getValue<std::string>("number");
        }
        EXPECT_EQ(listed, numbers) << state << ": " << r.body;
    }
    EXPECT_EQ(readFile(work + "/申报书.pdf").substr(0, 5), "%PDF-");
}

}  // namespace

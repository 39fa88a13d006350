// Released migrations never change: a database that applied version N must have the schema
// every later build expects of N. The SQL each version runs on each dialect is pinned here by
// its SHA-256, so editing a released migration (rather than adding a version) fails the build's
// tests; so does reshaping how migrations are written if it changes a byte of what they run.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <utility>

#include "dossier/storage/Migrator.h"
#include "dossier/storage/Sha256.h"

using dossier::storage::Dialect;
using dossier::storage::Migrator;

namespace {

std::string digestOf(int version, Dialect dialect) {
    dossier::storage::Sha256 sha;
    for (const auto& statement : Migrator::statementsOf(version, dialect)) {
        sha.update(statement.data(), statement.size());
        sha.update("\0", 1);  // a statement boundary moved is a change too
    }
    return sha.hexDigest();
}

// {version → {SQLite digest, PostgreSQL digest}} of every released migration.
const std::map<int, std::pair<std::string, std::string>> kReleased{
    {1,
     {"f18149a1be9f8740de90737346fe27096059248d9d8e3242cc804f454069f4e6",
      "f18149a1be9f8740de90737346fe27096059248d9d8e3242cc804f454069f4e6"}},
    {2,
     {"eceb4bf66adec297cf741da0f60ee7620d4247b95d6858b6cfa35a5b1f4159eb",
      "eceb4bf66adec297cf741da0f60ee7620d4247b95d6858b6cfa35a5b1f4159eb"}},
    {3,
     {"6d846e3ac7bcd169d925a28ffdbdc601162ec8d636a0ea1bf5775f67bffd3ce1",
      "6d846e3ac7bcd169d925a28ffdbdc601162ec8d636a0ea1bf5775f67bffd3ce1"}},
    {4,
     {"6a559b0b6be86dc625fb40adb689d92d88a2e227bc53107798e14a4ceb38209c",
      "6a559b0b6be86dc625fb40adb689d92d88a2e227bc53107798e14a4ceb38209c"}},
    {5,
     {"1431bc6aa7e5f6d6ef3326ff596c094f50a9d2f49e0f7eda2486cb3dc8eee937",
      "1431bc6aa7e5f6d6ef3326ff596c094f50a9d2f49e0f7eda2486cb3dc8eee937"}},
    {6,
     {"07812758be06a3cc5467a26faa4164bb63a4ed284cf82ed6c1f397392db12e56",
      "94c1af4bf6d37f5552f7fc4caed652596dc60f92c6942a6b0e88fce0be26230f"}},
    {7,
     {"2acdc4bf01534722b5addcdcf166117acf6fcd6d8caa8ea2017a6ea6519c6b50",
      "2acdc4bf01534722b5addcdcf166117acf6fcd6d8caa8ea2017a6ea6519c6b50"}},
    {8,
     {"6efa9d48439dabaca1186696dac9d48080840443b3b637180bbc9349693513b4",
      "6efa9d48439dabaca1186696dac9d48080840443b3b637180bbc9349693513b4"}},
    {9,
     {"97b17d544e51e6ff74ba156b8989154673f577da8e5e57e39faffbdef6e8d8d5",
      "e2a861e01dff0fb3ca269e941abddf2946dd8b25b0f77ab96b4e152ba8caca9c"}},
    {10,
     {"cb5339cfe0729114cdf0f3d2e3fee43cc7248d1595f6e14c1d782e9894bfeaba",
      "cb5339cfe0729114cdf0f3d2e3fee43cc7248d1595f6e14c1d782e9894bfeaba"}},
    {11,
     {"598f2eadbbfdf934a5a4840768106ea21596989ea3ed4058b8c36ce202675120",
      "0522b9cf6612250fa57648beb98d5f74d5afa3099f5bd6277e5377dbd3c434de"}},
    {12,
     {"5e845d3e299f382bae32cd69e2167af2880edecc33ae7278ca0cbaa6ef2f01d5",
      "e573db6c5aea8a890daec46a0a25761c7b50b691ac940fa64806e9d63a2bd2c7"}},
    {13,
     {"678a9b26c53368775654ecd57dd4935ea0f31a87f6298442362a798ba02b4691",
      "0bbdff47fb126df32669465d15966dc02395b65a7344268c210f637fd329a588"}},
    {14,
     {"251c0750e5487f6d202165be11f813054b1ded6df3209ec75ff7f8d2935b91de",
      "251c0750e5487f6d202165be11f813054b1ded6df3209ec75ff7f8d2935b91de"}},
    {15,
     {"0571ab4b8c4bd235940adcf3a1944d29a9886de00049b7478d5cc495ad71d401",
      "0571ab4b8c4bd235940adcf3a1944d29a9886de00049b7478d5cc495ad71d401"}},
    {17,
     {"baa3f9e77e9e9a5f59aace631583ae56708b1a5a4f67fe30b6383fb844aaa079",
      "baa3f9e77e9e9a5f59aace631583ae56708b1a5a4f67fe30b6383fb844aaa079"}},
    {18,
     {"ebae0e9a123fef546c0d590d78c0c984e942f145d91e806b6017e039c026eadd",
      "ebae0e9a123fef546c0d590d78c0c984e942f145d91e806b6017e039c026eadd"}},
    {19,
     {"8fb433cb947abb222ac662b55f05a4f2e0666ec458a2d80d997416d1f6f7b8eb",
      "9a68b4caeebf84f8e619ef0bd0d0aa6810b047a6c0ebd52cade412d525706bd2"}},
    {20,
     {"827309ad849a7daa233078f79924ba8428aa047aaa216b114553052eb958cdb4",
      "ad36ef3a5c6eea29ca81f343234a945fe3ea626e7aa1e8288a9e8067c92f5375"}},
};

}  // namespace

TEST(Migrations, ReleasedVersionsRunTheSameSql) {
    for (int version : Migrator::knownVersions()) {
        auto sqlite = digestOf(version, Dialect::SQLite);
        auto postgres = digestOf(version, Dialect::PostgreSQL);
        auto pinned = kReleased.find(version);
        // A new version lands with its digests, so from then on it is pinned too.
        ASSERT_NE(pinned, kReleased.end())
            << "migration " << version << " is not pinned; add {" << version << ", {\"" << sqlite
            << "\", \"" << postgres << "\"}} to kReleased";
        EXPECT_EQ(sqlite, pinned->second.first) << "migration " << version << " changed on SQLite";
        EXPECT_EQ(postgres, pinned->second.second)
            << "migration " << version << " changed on PostgreSQL";
    }
    auto known = Migrator::knownVersions();
    for (const auto& [version, digests] : kReleased)
        EXPECT_TRUE(std::find(known.begin(), known.end(), version) != known.end())
            << "migration " << version << " is pinned but gone";
}

// A version this build does not know runs nothing; every known one runs something on both.
TEST(Migrations, EveryVersionRunsStatementsOnBothDialects) {
    EXPECT_TRUE(Migrator::statementsOf(0, Dialect::SQLite).empty());
    EXPECT_TRUE(Migrator::statementsOf(Migrator::latestVersion() + 1, Dialect::PostgreSQL).empty());
    auto known = Migrator::knownVersions();
    EXPECT_TRUE(std::adjacent_find(known.begin(), known.end(), std::greater_equal<int>()) ==
                known.end())
        << "versions must ascend, each once: the migrator applies them in this order";
    for (int v : Migrator::knownVersions()) {
        EXPECT_FALSE(Migrator::statementsOf(v, Dialect::SQLite).empty()) << v;
        EXPECT_FALSE(Migrator::statementsOf(v, Dialect::PostgreSQL).empty()) << v;
    }
}

// The dialect-only statements go to their dialect alone: SQLite never sees PL/pgSQL, nor
// PostgreSQL a SQLite trigger body.
TEST(Migrations, DialectOnlyStatementsStayInTheirDialect) {
    for (int v : Migrator::knownVersions()) {
        for (const auto& sql : Migrator::statementsOf(v, Dialect::SQLite))
            EXPECT_EQ(sql.find("plpgsql"), std::string::npos) << v << ": " << sql;
        for (const auto& sql : Migrator::statementsOf(v, Dialect::PostgreSQL))
            EXPECT_EQ(sql.find("RAISE(ABORT"), std::string::npos) << v << ": " << sql;
    }
}

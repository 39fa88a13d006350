#include <gtest/gtest.h>

#include "FaultInjectingFileSystem.h"
#include "TestSupport.h"
#include "dossier/core/Error.h"
#include "dossier/storage/LocalBlobStore.h"
#include "dossier/storage/Sha256.h"

using namespace dossier;
using namespace dossier::test;
using Fault = FaultInjectingFileSystem::Fault;

namespace {

std::string readAll(const ByteSource& src) {
    std::string out(src.size(), '\0');
    EXPECT_EQ(src.readAt(0, out.data(), out.size()), out.size());
    return out;
}

storage::StoredBlob put(storage::BlobStore& store, const std::string& bytes) {
    auto staged = store.stage();
    // Several writes, as a streamed upload does.
    for (std::size_t i = 0; i < bytes.size(); i += 1000) {
        staged->write(bytes.data() + i, std::min<std::size_t>(1000, bytes.size() - i));
    }
    return store.commit(*staged);
}

class BlobStoreTest : public ::testing::Test {
  protected:
    TempDir dir;
    FaultInjectingFileSystem fs;
    storage::LocalBlobStore store{fs, dir.path() + "/blobs"};
};

}  // namespace

TEST_F(BlobStoreTest, CommitStoresUnderDigestAndReadsBack) {
    std::string bytes(12345, '\0');
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 7);
    auto stored = put(store, bytes);
    EXPECT_EQ(stored.sha256, storage::Sha256::of(bytes));
    EXPECT_EQ(stored.size, bytes.size());
    EXPECT_TRUE(stored.newlyStored);
    auto files = listFilesRecursive(dir.path() + "/blobs");
    ASSERT_EQ(files.size(), 1u);
    EXPECT_EQ(files[0],
              stored.sha256.substr(0, 2) + "/" + stored.sha256.substr(2, 2) + "/" + stored.sha256);
    EXPECT_EQ(readAll(*store.open(stored.sha256)), bytes);
    EXPECT_NO_THROW(store.verify(stored.sha256));
}

TEST_F(BlobStoreTest, KnownDigests) {
    EXPECT_EQ(storage::Sha256::of(""),
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(storage::Sha256::of("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(BlobStoreTest, IdenticalBytesAreStoredOnce) {
    auto a = put(store, "same bytes");
    auto b = put(store, "same bytes");
    EXPECT_EQ(a.sha256, b.sha256);
    EXPECT_TRUE(a.newlyStored);
    EXPECT_FALSE(b.newlyStored);
    EXPECT_EQ(listFilesRecursive(dir.path() + "/blobs").size(), 1u);  // no temp left either
}

TEST_F(BlobStoreTest, AbandonedStagingLeavesNothing) {
    {
        auto staged = store.stage();
        staged->write("partial", 7);
    }
    EXPECT_TRUE(listFilesRecursive(dir.path() + "/blobs").empty());
}

TEST_F(BlobStoreTest, InjectedFaultsBetweenWriteAndRenameLeaveNoBlobAndNoTemp) {
    for (Fault fault : {Fault::Write, Fault::Sync, Fault::Rename}) {
        fs.arm(fault);
        EXPECT_THROW(put(store, std::string(5000, 'f')), Error);
        fs.arm(Fault::None);
        EXPECT_TRUE(listFilesRecursive(dir.path() + "/blobs").empty())
            << "fault " << static_cast<int>(fault);
    }
    EXPECT_EQ(fs.renames(), 0);
}

TEST_F(BlobStoreTest, CorruptedBlobIsDetectedOnRead) {
    auto stored = put(store, "original content of a license scan");
    std::string path = store.pathOf(stored.sha256);
    writeFile(path, "tampered content of a license scan");
    try {
        store.verify(stored.sha256);
        FAIL() << "corruption not detected";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "storage.blob_corrupt");
    }
}

TEST_F(BlobStoreTest, MissingBlobAndBadDigest) {
    try {
        store.open(std::string(64, 'a'));
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "storage.blob_missing");
    }
    EXPECT_THROW(store.open("../../etc/passwd"), Error);
    EXPECT_FALSE(store.contains("../../etc/passwd"));
}

TEST_F(BlobStoreTest, SweepRemovesOnlyStaleStagedFiles) {
    auto live = store.stage();
    live->write("in progress", 11);
    writeFile(store.stagingDirectory() + "/upload-crashed.tmp", "left by a crash");
    EXPECT_EQ(store.sweepStaging(3600), 0u);  // both are fresh
    EXPECT_EQ(store.sweepStaging(0), 2u);
}

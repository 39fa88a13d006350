// The ingest use case with a real database (SQLite or PostgreSQL) and an injectable
// filesystem: a refused or failed upload leaves no blob, no temp file and no row.
#include <gtest/gtest.h>

#include "FaultInjectingFileSystem.h"
#include "SampleFiles.h"
#include "TestDatabase.h"
#include "TestSupport.h"
#include "dossier/app/Services.h"
#include "dossier/core/Error.h"

using namespace dossier;
using namespace dossier::test;
using Fault = FaultInjectingFileSystem::Fault;

namespace {

class DocumentServiceTest : public ::testing::Test {
protected:
    void SetUp() override {
        config.dataDir = dir.path() + "/data";
        config.database = testDb.url();
        services = app::Services::open(config, fs);
    }

    Document upload(const std::string& bytes, const std::string& kind, const std::string& name) {
        auto upload = services->documents().beginUpload();
        upload->write(bytes.data(), bytes.size());
        return services->documents().completeUpload(std::move(upload), {kind, name, ""});
    }

    std::string refusalCode(const std::string& bytes, const std::string& kind,
                            const std::string& name) {
        try {
            upload(bytes, kind, name);
        } catch (const Error& e) {
            return e.code();
        }
        return "accepted";
    }

    void expectNothingStored() {
        EXPECT_TRUE(listFilesRecursive(config.blobDirectory()).empty());
        EXPECT_EQ(services->documentRows().countDocuments(), 0u);
        EXPECT_EQ(services->documentRows().countBlobs(), 0u);
    }

    TempDir dir;
    TestDatabase testDb{TestDatabase::backendFromEnvironment(), dir.path()};
    std::shared_ptr<FaultInjectingFileSystem> fs = std::make_shared<FaultInjectingFileSystem>();
    app::Config config;
    std::unique_ptr<app::Services> services;
};

}  // namespace

TEST_F(DocumentServiceTest, AcceptedUploadIsDurableBlobPlusRow) {
    std::string pdf = makePdf();
    Document d = upload(pdf, "commitment", "承诺书.pdf");
    EXPECT_EQ(d.mediaType, MediaType::Pdf);
    EXPECT_EQ(services->documents().get(d.id).sha256, d.sha256);
    EXPECT_EQ(listFilesRecursive(config.blobDirectory()).size(), 1u);
}

TEST_F(DocumentServiceTest, InjectedFaultBetweenWriteAndRenameLeavesNoBlobNoRow) {
    for (Fault fault : {Fault::Sync, Fault::Rename, Fault::SyncDirectory}) {
        fs->arm(fault);
        std::string code = refusalCode(makePdf() + std::to_string(static_cast<int>(fault)),
                                       "proof", "p.pdf");
        EXPECT_EQ(code, "storage.io");
        fs->arm(Fault::None);
        if (fault == Fault::SyncDirectory) {
            // The rename happened but was not acknowledged: the blob may exist (it is
            // content-addressed and harmless), but no row points at it.
            EXPECT_EQ(services->documentRows().countDocuments(), 0u);
        } else {
            expectNothingStored();
        }
    }
}

TEST_F(DocumentServiceTest, DiskFullWhileStreamingLeavesNothing) {
    auto up = services->documents().beginUpload();
    fs->arm(Fault::Write);
    std::string chunk(4096, 'x');
    EXPECT_THROW(up->write(chunk.data(), chunk.size()), Error);
    up.reset();
    fs->arm(Fault::None);
    expectNothingStored();
}

TEST_F(DocumentServiceTest, RefusalsLeaveNothing) {
    std::string jpeg = readFile(fixturePath("real/yyzz_template_generator-tools.jpg"));
    EXPECT_EQ(refusalCode("", "license", "a.jpg"), "upload.empty");
    EXPECT_EQ(refusalCode(jpeg, "passport", "a.jpg"), "upload.kind_unknown");
    EXPECT_EQ(refusalCode(jpeg, "", "a.jpg"), "upload.kind_unknown");
    EXPECT_EQ(refusalCode(jpeg, "import", "a.jpg"), "upload.type_not_allowed");
    EXPECT_EQ(refusalCode(makeDocx(), "license", "a.docx"), "upload.type_not_allowed");
    EXPECT_EQ(refusalCode(jpeg, "license", "scan.png"), "upload.type_mismatch");
    EXPECT_EQ(refusalCode(jpeg.substr(0, jpeg.size() / 2), "license", "a.jpg"), "upload.truncated");
    EXPECT_EQ(refusalCode(std::string((5 << 20) + 1, 'x'), "license", "big.jpg"), "upload.too_large");
    expectNothingStored();
}

TEST_F(DocumentServiceTest, StreamingPastTheLargestLimitIsCutOff) {
    auto up = services->documents().beginUpload();
    std::string chunk(1 << 20, 'x');
    try {
        for (int i = 0; i < 64; ++i) up->write(chunk.data(), chunk.size());
        FAIL() << "no limit while streaming";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "upload.too_large");
    }
    EXPECT_LE(up->size(), 20u << 20);
    up.reset();
    expectNothingStored();
}

TEST_F(DocumentServiceTest, SameBytesTwiceOneBlobTwoDocuments) {
    std::string pdf = makePdf();
    Document a = upload(pdf, "proof", "a.pdf");
    Document b = upload(pdf, "evidence", "b.pdf");
    EXPECT_NE(a.id, b.id);
    EXPECT_EQ(a.sha256, b.sha256);
    EXPECT_EQ(services->documentRows().countBlobs(), 1u);
    EXPECT_EQ(listFilesRecursive(config.blobDirectory()).size(), 1u);
}

TEST_F(DocumentServiceTest, EmptyOrHostileNamesGetASafeDefault) {
    Document d = upload(makePdf(), "proof", "../../");
    EXPECT_EQ(d.originalName, "document.pdf");
    Document e = upload(makePdf(), "proof", "..\\..\\windows\\证明.pdf");
    EXPECT_EQ(e.originalName, "证明.pdf");
}

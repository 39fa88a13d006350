#include "Migrations.h"

namespace dossier::storage {
namespace {

// Portable types only: TEXT, BIGINT, INTEGER. Times are BIGINT microseconds since the epoch
// (UTC) in both dialects, so the same comparison works everywhere.
const std::vector<Migration> kMigrations{
    {1,
     "blobs and documents",
     {
         R"(CREATE TABLE blobs (
                sha256        TEXT PRIMARY KEY,
                size          BIGINT NOT NULL CHECK (size >= 0),
                created_at_us BIGINT NOT NULL
            ))",
         R"(CREATE TABLE documents (
                id            TEXT PRIMARY KEY,
                sha256        TEXT NOT NULL REFERENCES blobs (sha256),
                size          BIGINT NOT NULL CHECK (size >= 0),
                media_type    TEXT NOT NULL,
                kind          TEXT NOT NULL,
                original_name TEXT NOT NULL,
                created_at_us BIGINT NOT NULL
            ))",
         "CREATE INDEX documents_sha256 ON documents (sha256)",
     },
     {}},
};

}  // namespace

std::span<const Migration> allMigrations() { return kMigrations; }

}  // namespace dossier::storage

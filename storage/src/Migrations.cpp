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
    {2,
     "evidence checks and OCR text",
     {
         // One row per (document, check): a durable job and, once done, its result.
         // state: pending → running (claimed, leased) → done | error.
         R"(CREATE TABLE checks (
                document_id   TEXT NOT NULL REFERENCES documents (id),
                check_name    TEXT NOT NULL,
                input_json    TEXT NOT NULL,
                state         TEXT NOT NULL,
                attempts      INTEGER NOT NULL DEFAULT 0,
                status        TEXT,
                code          TEXT,
                result_json   TEXT,
                claimed_at_us BIGINT,
                updated_at_us BIGINT NOT NULL,
                PRIMARY KEY (document_id, check_name)
            ))",
         "CREATE INDEX checks_state ON checks (state, updated_at_us)",
         R"(CREATE TABLE ocr_text (
                document_id TEXT NOT NULL REFERENCES documents (id),
                page        INTEGER NOT NULL,
                text        TEXT NOT NULL,
                PRIMARY KEY (document_id, page)
            ))",
     },
     {}},
    {3,
     "derivatives",
     {
         // Watermarked copies and page previews, generated once per source blob and variant
         // and kept in the blob store. Sources are immutable, so entries never go stale.
         R"(CREATE TABLE derivatives (
                source_sha256     TEXT NOT NULL REFERENCES blobs (sha256),
                variant           TEXT NOT NULL,
                derivative_sha256 TEXT NOT NULL REFERENCES blobs (sha256),
                media_type        TEXT NOT NULL,
                created_at_us     BIGINT NOT NULL,
                PRIMARY KEY (source_sha256, variant)
            ))",
     },
     {}},
};

}  // namespace

std::span<const Migration> allMigrations() { return kMigrations; }

}  // namespace dossier::storage

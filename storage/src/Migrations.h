#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "dossier/storage/Database.h"

namespace dossier::storage {

/// One statement of a migration: run on both dialects unless it names one. Most of the schema
/// is portable SQL; triggers and a few CHECKs are not (SQLite's trigger bodies and GLOB, against
/// PL/pgSQL functions and `~`), so a migration keeps one list with a few dialect-only entries
/// rather than two copies of every table.
struct Statement {
    Statement(const char* text) : sql(text) {}       // NOLINT: implicit on purpose (plain SQL)
    Statement(std::string_view text) : sql(text) {}  // NOLINT
    Statement(std::string_view text, Dialect dialect) : sql(text), only(dialect) {}

    std::string_view sql;
    std::optional<Dialect> only;  ///< empty: both dialects
};

inline Statement sqliteOnly(std::string_view sql) { return {sql, Dialect::SQLite}; }
inline Statement postgresOnly(std::string_view sql) { return {sql, Dialect::PostgreSQL}; }

/// One schema step: `statements` run in order, each on the dialects it names. Never edit a
/// released migration, add a version: migrations_test pins the SQL every released version runs.
struct Migration {
    int version;
    std::string_view name;
    std::vector<Statement> statements;
};

std::span<const Migration> allMigrations();

/// The SQL `m` runs on `dialect`, in order.
std::vector<std::string_view> statementsFor(const Migration& m, Dialect dialect);

}  // namespace dossier::storage

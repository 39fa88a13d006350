#pragma once

#include <Poco/Data/Session.h>

#include <string>
#include <vector>

#include "DatabaseImpl.h"

namespace dossier::storage {

/// What a filing or project save does with the documents it names, inside the caller's
/// transaction. Throws Poco Data exceptions (the caller converts them).

/// The ids of `documentIds` that are not documents of `organizationId` of a kind in `kinds`
/// (all kinds when empty), in the order given. On PostgreSQL the documents found are held
/// with a key-share lock until the transaction ends, so a document deletion (which locks the
/// row for update first) waits and then sees the use; on SQLite the writer lock of
/// BEGIN IMMEDIATE serializes the two.
std::vector<std::string> lockDocumentsOf(Database::Impl& db, Poco::Data::Session& session,
                                         const std::string& organizationId,
                                         const std::vector<std::string>& documentIds,
                                         const std::vector<std::string>& kinds);
/// Makes the document_uses rows of `usedBy` ("project:<id>") exactly `documentIds`.
void replaceDocumentUses(Database::Impl& db, Poco::Data::Session& session,
                         const std::string& usedBy, const std::vector<std::string>& documentIds);

}  // namespace dossier::storage

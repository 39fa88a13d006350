#pragma once

#include <string>

#include "Exchange.h"
#include "dossier/core/Error.h"

namespace dossier::http {

/// The HTTP status of a code: the registry's column (dossier/core/ErrorCodes.h).
int statusOf(ErrorCode code);

/// Writes an RFC 9457 application/problem+json response:
/// {type, title, status, detail, code, instance, request_id}. 5xx bodies never carry
/// internal detail; callers log it. The answer is built from a clean header set: headers the
/// handler set for the representation it meant to send (ETag, Content-Disposition, ...) are
/// removed; see keptOnError in Problem.cpp for what stays.
void sendProblem(Exchange& ex, const Error& error);

/// The problem+json body of `error` as sendProblem writes it; `instance` is left out when
/// empty (a request whose target could not be read).
std::string problemJson(const Error& error, const std::string& title, const std::string& instance,
                        const std::string& requestId);

}  // namespace dossier::http

#pragma once

#include <string>

#include "Exchange.h"
#include "dossier/core/Error.h"

namespace dossier::http {

/// The one place where error codes become HTTP statuses.
int statusOf(const std::string& code);

/// Writes an RFC 9457 application/problem+json response:
/// {type, title, status, detail, code, instance, request_id}. 5xx bodies never carry
/// internal detail; callers log it.
void sendProblem(Exchange& ex, const Error& error);

}  // namespace dossier::http

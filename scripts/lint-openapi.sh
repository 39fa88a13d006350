#!/usr/bin/env bash
# Lints the served OpenAPI document with Spectral's spectral:oas ruleset and fails on any error
# or warning. Usage:
#   scripts/lint-openapi.sh --install          # npm ci in tools/openapi-lint (quick when current)
#   scripts/lint-openapi.sh DOCUMENT_PRINTER   # the ctest: lint what the printer writes
# DOCUMENT_PRINTER is build/test/tests/openapi_document (prints http::openApiDocument()).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOL="$ROOT/tools/openapi-lint"
SPECTRAL="$TOOL/node_modules/.bin/spectral"

if [ "${1:-}" = "--install" ]; then
  # npm ci wipes and reinstalls node_modules; skip it when the installed tree is the locked one.
  if [ -x "$SPECTRAL" ] && cmp -s "$TOOL/package-lock.json" "$TOOL/node_modules/.dossier-lock"; then
    exit 0
  fi
  (cd "$TOOL" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  cp "$TOOL/package-lock.json" "$TOOL/node_modules/.dossier-lock"
  exit 0
fi

printer="${1:?usage: lint-openapi.sh --install | lint-openapi.sh DOCUMENT_PRINTER}"
if [ ! -x "$SPECTRAL" ]; then
  echo "lint-openapi: Spectral is not installed; run scripts/lint-openapi.sh --install" >&2
  exit 1
fi
doc="$(mktemp --suffix=.json)"
trap 'rm -f "$doc"' EXIT
"$printer" >"$doc"
# --fail-severity=warn: a warning fails the test as an error does.
"$SPECTRAL" lint --ruleset "$TOOL/.spectral.json" --fail-severity=warn --display-only-failures \
  "$doc"

#!/usr/bin/env bash
# README command (b): install what is missing, build with -Werror, start a throwaway
# PostgreSQL 15 cluster, run every test against SQLite and PostgreSQL, stop the cluster on
# every exit path. Exits non-zero on any failure.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# One run at a time per machine: runs from several worktrees at once starve each other of
# the two cores and time tests out. A second run waits here (flock is in util-linux).
exec 9>"${TMPDIR:-/tmp}/dossier-test.lock"
flock 9
scripts/install-deps.sh
scripts/check-format.sh
scripts/lint-openapi.sh --install  # Spectral, for the openapi_lint test
scripts/console.sh install         # the web console's packages, for web_unit and web_e2e

BUILD=build/test
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDOSSIER_WERROR=ON >/dev/null
cmake --build "$BUILD"

PG_DIR=""
cleanup() { [ -n "$PG_DIR" ] && scripts/pg-test-cluster.sh stop "$PG_DIR"; }
trap cleanup EXIT INT TERM
eval "$(scripts/pg-test-cluster.sh start)"
PG_DIR="$DOSSIER_TEST_PG_DIR"

# Every test carries a ctest label (tests/CMakeLists.txt): the fast inner loop relies on them.
unlabeled="$(ctest --test-dir "$BUILD" -N -LE . | grep -E '^ *Test +#' || true)"
if [ -n "$unlabeled" ]; then
  echo "tests without a ctest label (fast, slow, db, ocr, bench, lint, web, browser):" >&2
  echo "$unlabeled" >&2
  exit 1
fi

export OMP_THREAD_LIMIT=1
ctest --test-dir "$BUILD" --output-on-failure --timeout 900 -j 2

# The concurrency stress test once more, built with AddressSanitizer and UBSan: a torn-down
# library state or a use-after-free under many threads is reported there, not just survived.
ASAN_BUILD=build/asan
cmake -S . -B "$ASAN_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DDOSSIER_SANITIZE=address,undefined >/dev/null
cmake --build "$ASAN_BUILD" --target stress_test
for backend in sqlite postgres; do
  DOSSIER_TEST_BACKEND=$backend ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
    UBSAN_OPTIONS=print_stacktrace=1 "$ASAN_BUILD/tests/stress_test"
done

#!/usr/bin/env bash
# README command (a): install what is missing, build the server and the web console, and start
# the server on its embedded defaults: 127.0.0.1:8080 (the console at /), SQLite, data in ./var
# (relative to the repository root).
# Extra arguments go to `dossier serve` (e.g. --config FILE). Ctrl-C stops it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
scripts/install-deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DDOSSIER_BUILD_TESTS=OFF >/dev/null
cmake --build build/release --target dossier
# The web console (npm ci + vite build into web/dist, which `dossier serve` serves at /).
scripts/console.sh build
# Tesseract (evidence checks) must see this before the process starts.
export OMP_THREAD_LIMIT=1
exec build/release/dossier serve "$@"

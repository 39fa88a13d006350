#!/usr/bin/env bash
# The web console (web/): install, build and test it. Usage:
#   scripts/console.sh install            # npm ci in web/ (skipped when node_modules is the locked tree)
#   scripts/console.sh build [OUT_DIR]     # API types from src/http/openapi.json, vue-tsc, vite build
#                                          # (OUT_DIR defaults to web/dist, where `dossier serve` looks)
#   scripts/console.sh unit                # Vitest
#   scripts/console.sh e2e DOSSIER ART_DIR # build into ART_DIR/dist, then Playwright in Debian's
#                                          # Chromium against DOSSIER started on SQLite; screenshots
#                                          # and measurements.json in ART_DIR
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WEB="$ROOT/web"

need_node() {
  # Vite 8 needs Node.js 20.19 or later; Debian 12's own nodejs is 18 (scripts/install-deps.sh).
  local version
  version="$(node -p 'process.versions.node' 2>/dev/null || echo 0)"
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' 2>/dev/null || {
    echo "console: Node.js >= 20.19 is needed to build the console (found $version); see README, \"The web console\"" >&2
    exit 1
  }
}

install() {
  need_node
  # npm ci wipes and reinstalls node_modules; skip it when the installed tree is the locked one.
  if [ -d "$WEB/node_modules" ] && cmp -s "$WEB/package-lock.json" "$WEB/node_modules/.dossier-lock"; then
    return
  fi
  (cd "$WEB" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  cp "$WEB/package-lock.json" "$WEB/node_modules/.dossier-lock"
}

build() {
  local out="${1:-$WEB/dist}"
  install
  (cd "$WEB" && npm run --silent gen:api >/dev/null && npm run --silent typecheck &&
    DOSSIER_CONSOLE_OUT="$out" npx vite build --logLevel warn)
}

case "${1:-}" in
  install) install ;;
  build) build "${2:-}" ;;
  unit)
    install
    (cd "$WEB" && npm run --silent gen:api >/dev/null && npx vitest run)
    ;;
  e2e)
    binary="${2:?usage: console.sh e2e DOSSIER_BINARY ARTIFACT_DIR}"
    art="${3:?usage: console.sh e2e DOSSIER_BINARY ARTIFACT_DIR}"
    binary="$(realpath "$binary")"
    mkdir -p "$art"
    art="$(cd "$art" && pwd)"
    build "$art/dist"
    rm -rf "$art/screenshots"
    (cd "$WEB" && DOSSIER_BINARY="$binary" DOSSIER_CONSOLE_DIR="$art/dist" DOSSIER_WEB_ARTIFACTS="$art" \
      npx playwright test)
    ;;
  *)
    sed -n '2,10p' "$0" >&2
    exit 2
    ;;
esac

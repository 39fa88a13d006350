#!/usr/bin/env bash
# Installs what Dossier needs to build, run and test, from Debian 12 packages.
# Idempotent: installs only what is missing and runs `apt-get update` only then.
set -euo pipefail

PACKAGES=(
  # toolchain
  g++ cmake ninja-build ccache pkg-config make
  # libraries
  libpoco-dev libssl-dev zlib1g-dev libpng-dev libjpeg-dev libsqlite3-dev libpq-dev libmagick++-dev
  # Unicode normalization (NFC) of uploaded file names, NFKC of imported cells
  libicu-dev
  # QC import: XLSX parts parsed by expat (SAX), the template and summary written by libxlsxwriter
  libexpat1-dev libxlsxwriter-dev
  # CJK fonts for watermarks and PDFs
  fonts-wqy-zenhei fonts-wqy-microhei fonts-arphic-uming fonts-dejavu-core fonts-hanazono
  # OCR
  libtesseract-dev libleptonica-dev tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-eng tesseract-ocr-osd
  # PDF: poppler (render), qpdf (tests, overlays)
  libpoppler-cpp-dev qpdf libqpdf-dev poppler-utils
  # PDF rendering: libharu + harfbuzz-subset
  libhpdf-dev libharfbuzz-dev libqrencode-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev postgresql-15 curl clang-format
  # archives read back as applicants read them (Info-ZIP and Python's zipfile)
  unzip python3
  # the README's curl walk-through reads the answers with jq (readme_walkthrough_test)
  jq
  # the Word versions read back: docx2txt (every value), LibreOffice headless (pages)
  docx2txt libreoffice-writer-nogui
  # the shipped front (deploy/nginx/dossier.conf), started by nginx_test from a temp prefix
  nginx
  # the leader certificate's printed QR code read back (leader_certificate_test)
  zbar-tools
  # the web console's browser tests (Playwright drives Debian's Chromium: it cannot fetch its own)
  chromium
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm run the OpenAPI lint (tools/openapi-lint) and build the web console. Machines
# that already have them (this image ships Node 20) keep theirs; Debian's are installed only when
# npm is absent. The console's Vite 8 needs Node >= 20.19 and Debian 12's nodejs is 18.20: that
# is checked (and explained) below, after the install, since apt cannot fix it.
if ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
fi
node_check() {
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' 2>/dev/null && return
  cat >&2 <<'MSG'
install-deps: Node.js >= 20.19 is needed to build the web console (Vite 8); Debian 12's own
nodejs is 18.20. Install Node 20 LTS as this project's machine image does (the NodeSource
"node_20.x" apt repository for bookworm, package nodejs), then run this again.
MSG
  exit 1
}
if [ ${#missing[@]} -eq 0 ]; then
  node_check
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root (missing: ${missing[*]})" >&2; exit 1; }
  SUDO="sudo"
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Packages must not start their services (nginx would take port 80 and fail the install when
# the port is busy; the tests start their own nginx and PostgreSQL): the standard
# policy-rc.d refusal for the duration of the install, unless one is already in place.
POLICY=/usr/sbin/policy-rc.d
if [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
  $SUDO chmod 755 "$POLICY"
  trap '$SUDO rm -f "$POLICY"' EXIT
fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
node_check

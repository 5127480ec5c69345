#!/usr/bin/env bash
# Installs the Debian packages appealgen needs, if any are missing. As root it runs apt;
# otherwise it prints the exact command to run and fails, so nothing fails obscurely later.
set -euo pipefail

packages=(
  fonts-noto-cjk        # Noto Serif CJK SC: the Chinese text and addresses
  fonts-liberation2     # Liberation Serif: the Latin text
  fonts-dejavu-core     # DejaVu: fallback for Cyrillic, Greek, Arabic… in supporters' names
  fontconfig            # fc-match: appealgen finds its fonts with it
  libpango-1.0-0 libpangoft2-1.0-0   # WeasyPrint's text layout
  libharfbuzz-subset0   # font subsetting: 0.17 s a letter instead of 6.4 s
  poppler-utils         # pdftotext, for the tests that read the PDFs back
  cups                  # lp/lpstat for --print; the tests start a private cupsd with a virtual printer
  printer-driver-cups-pdf   # a virtual PDF printer for trying printing without paper
)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$package")
done
python=${PYTHON:-python3}
if ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
  missing+=(python3-venv)
fi

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "appealgen needs these system packages: ${missing[*]}" >&2
  echo "Install them with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  echo "then run make again." >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"

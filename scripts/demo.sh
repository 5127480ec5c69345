#!/usr/bin/env bash
# Renders one example letter per shipped case into ./out/ (run by `make demo`).
# Every shipped Urgent Action is past its deadline and Ma Xingrui has left office, so the
# examples say --after-deadline and write to his successor, as a section office would.
set -euo pipefail
cd "$(dirname "$0")/.."
appealgen=.venv/bin/appealgen
mkdir -p out

$appealgen cases
sender=(--sender-name "Sample Supporter" --sender-address $'1 Example Street\nOxford OX1 1AA')
$appealgen letter kamile-wayit --after-deadline --target chen-xiaojiang "${sender[@]}" -o out/kamile-wayit.pdf
$appealgen letter xinjiang-detainees --after-deadline "${sender[@]}" -o out/xinjiang-detainees.pdf
$appealgen letter nagyz-muhammed --after-deadline "${sender[@]}" -o out/nagyz-muhammed.pdf
$appealgen letter zhanargul-zhumatai --after-deadline --target chen-xiaojiang "${sender[@]}" \
  -o out/zhanargul-zhumatai.pdf
# A sheet of labels for every current target of a case, an envelope, and a calibration page.
$appealgen labels --case xinjiang-detainees --target xi-jinping --target chen-xiaojiang --target erkin-tuniyaz \
  --target zheng-zeguang --count 3 "${sender[@]}" -o out/labels-L7160.pdf
$appealgen envelope --target chen-xiaojiang "${sender[@]}" -o out/envelope-DL.pdf
$appealgen labels --calibrate --sheet L7160 -o out/calibrate-L7160.pdf

# A mailing from the example supporter list: letters, labels, one file per supporter, manifest.
$appealgen batch examples/supporters.csv --case kamile-wayit --target chen-xiaojiang --after-deadline \
  --per-recipient -o out/mailing

echo
echo "Example letters (each with its envelope address slip on the last page), labels and an envelope:"
for pdf in out/*.pdf; do echo "  $(pwd)/$pdf"; done
echo "A mailing from examples/supporters.csv (letters.pdf, labels.pdf, letters/, manifest.csv):"
echo "  $(pwd)/out/mailing/"

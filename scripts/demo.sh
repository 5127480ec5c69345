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

echo
echo "Example letters, each with its envelope address slip on the last page:"
for pdf in out/*.pdf; do echo "  $(pwd)/$pdf"; done

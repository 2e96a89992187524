#!/usr/bin/env bash
# Makes sure a headless Chromium is on this machine for the report's browser test
# (ReportBrowserTest): prints its path. Looks in $CHROMIUM, then PATH (chromium, chromium-browser,
# google-chrome); when none is found and apt-get is available (Debian/Ubuntu, as root or with sudo),
# installs Debian's `chromium` package. Exits 1 with the reason when it can neither find nor install one.
set -euo pipefail
find_chromium() {
  local c
  for c in "${CHROMIUM:-}" chromium chromium-browser google-chrome google-chrome-stable; do
    [[ -z "$c" ]] && continue
    if command -v "$c" >/dev/null 2>&1; then command -v "$c"; return 0; fi
  done
  return 1
}
if path="$(find_chromium)"; then echo "$path"; exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: no chromium found and no apt-get to install it (set CHROMIUM=/path/to/chromium)" >&2
  exit 1
fi
SUDO=""
if [[ "$(id -u)" != "0" ]]; then
  command -v sudo >/dev/null 2>&1 || { echo "ensure-chromium: installing chromium needs root or sudo" >&2; exit 1; }
  SUDO="sudo -n"
fi
echo "ensure-chromium: installing Debian's chromium package (apt-get)..." >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
find_chromium || { echo "ensure-chromium: chromium installed but not found on PATH" >&2; exit 1; }

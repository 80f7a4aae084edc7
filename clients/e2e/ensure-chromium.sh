#!/usr/bin/env bash
# The browser the console's Playwright suite drives: Debian's Chromium (Playwright's own builds cannot be downloaded
# everywhere this runs). Installs it when missing and this runs as root (as .ci/run does in a fresh container);
# otherwise says how to get it. Prints the executable's path.
set -euo pipefail
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [[ ! -x "$chromium" ]]; then
  if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "ensure-chromium: $chromium is missing; installing Debian's chromium" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
  else
    echo "ensure-chromium: no Chromium at $chromium. Install Debian's (sudo apt-get install chromium) or set" \
      "CHROMIUM_PATH to a Chromium or Chrome executable" >&2
    exit 1
  fi
fi
if [[ ! -x "$chromium" ]]; then
  echo "ensure-chromium: apt-get installed chromium, yet $chromium is still missing" >&2
  exit 1
fi
echo "$chromium"

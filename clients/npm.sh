#!/usr/bin/env bash
# The browser packages' npm steps, as the Maven module `clients` runs them (and as anyone may by hand):
# install from the committed lockfile when it changed since the last install, then `npm run <script>` over every
# workspace (build, test).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run "$1"

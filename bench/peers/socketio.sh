#!/usr/bin/env bash
# Peer B of issue 15: the Socket.IO relay (bench/peers/socketio/README.md), in the foreground.
#   bench/peers/socketio.sh [port, default 23000]
# AGENT_JWT_SECRET defaults to the gateway's development secret, so tokens minted for a dev gateway work here too.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/socketio"
# an npm workspace of the repository: its dependencies come with the root's committed lockfile
if [[ ! -d ../../../node_modules/socket.io ]]; then
  (cd ../../.. && npm ci --no-audit --no-fund >&2)
fi
# Many idle connections need as many descriptors as the hard limit allows.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
export AGENT_JWT_SECRET="${AGENT_JWT_SECRET:-dev-only-agent-jwt-secret-change-me-0123456789}"
exec node server.mjs "${1:-23000}"

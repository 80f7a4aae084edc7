#!/usr/bin/env bash
# chat-central against its peers of issue 15, alternated in one run (bench/peers/README.md): webhook acknowledgement
# rate and webhook -> WebSocket latency against peer A (the PostgreSQL-queue design), memory per idle connection and
# fan-out against peer B (Socket.IO). Prints a Markdown report and writes it with its PNG charts.
#   bench/side-by-side.sh [all | ack,latency,idle,fanout] [rounds, default 2 (latency 3)] [output, default bench/target/side-by-side]
# Takes about 30 minutes for all on the 2-core machine; run nothing else meanwhile.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# peer B and its load client are an npm workspace of the repository
if [[ ! -d node_modules/socket.io || ! -d node_modules/socket.io-client ]]; then
  npm ci --no-audit --no-fund >&2
fi
# 10,000 connections need as many descriptors on both ends
ulimit -n "$(ulimit -Hn)"
./mvnw -B -q -DskipTests -Dclients.skip=true -pl ingest,stream-processor,gateway,bench -am package
exec java -Xmx3g -Dlogback.configurationFile=dev/chatcentral/bench/gateway/logback.xml \
  -cp "bench/target/classes:bench/target/lib/*" dev.chatcentral.bench.peers.SideBySide "$@"

#!/usr/bin/env bash
# Ingest acknowledgement latency and throughput with wrk (C, closed loop: each connection sends its next request
# when the last was answered). The JVM load generator of bench/ingest.sh saturates its own process first on this
# machine; wrk measures the ingest. Needs wrk (apt-get install wrk).
#   bench/ingest-wrk.sh [seconds per run, default 30]
# Runs: 12 connections paced at 4 ms (about 2,000 req/s), then 48 unpaced connections (the highest rate).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds=${1:-30}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
data=$(mktemp -d)
cleanup() {
  [[ -n "${ingest:-}" ]] && kill "$ingest" 2>/dev/null && wait "$ingest" 2>/dev/null || true
  [[ -n "${stack:-}" ]] && kill "$stack" 2>/dev/null && wait "$stack" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT
CHATCENTRAL_DATA_DIR="$data" bin/stack --kafka-only > "$data/stack.out" 2>&1 &
stack=$!
for _ in $(seq 1 120); do grep -q "webhook secret" "$data/stack.out" 2>/dev/null && break; sleep 1; done
export SECRET=$(grep -m1 -o "whsec_[A-Za-z0-9_-]*" "$data/stack.out") EMPRESA=emp-demo-1 INSTANCE=loja-aurora-01
SPRING_PROFILES_ACTIVE=dev KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 INGEST_RATE_LIMIT_PER_EMPRESA=1000000 SERVER_PORT=8081 \
  java -Xms512m -Xmx512m -jar ingest/target/ingest-0.1.0-SNAPSHOT-exec.jar > "$data/ingest.log" 2>&1 &
ingest=$!
for _ in $(seq 1 90); do curl -sf -o /dev/null localhost:9081/actuator/health/readiness && break; sleep 1; done
wrk -t1 -c16 -d10s -s bench/wrk/post-webhook.lua http://127.0.0.1:8081 > /dev/null   # warm-up
echo "== paced: 12 connections, 4 ms between requests"
PACE_MS=4 wrk -t2 -c12 -d"${seconds}s" --latency -s bench/wrk/post-webhook.lua http://127.0.0.1:8081
echo "== unpaced: 48 connections"
wrk -t2 -c48 -d"${seconds}s" --latency -s bench/wrk/post-webhook.lua http://127.0.0.1:8081

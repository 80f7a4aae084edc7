#!/usr/bin/env bash
# Ingest acknowledgement latency (issue 3): the ingest's exec jar as its own process, a KRaft broker, PostgreSQL,
# and an open-loop load generator in this process. Prints one Markdown row per rate.
#   bench/ingest.sh [rates, default 2000,5000,10000] [seconds measured per rate, default 30]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./mvnw -B -q -DskipTests -pl ingest,bench -am package
exec java -Xmx2g -cp "bench/target/classes:bench/target/lib/*" dev.chatcentral.bench.ingest.IngestBenchmark "$@"

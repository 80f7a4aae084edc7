#!/usr/bin/env bash
# An ingest node killed (kill -9) and started again at once under a steady webhook load (issue 18): the ingest's exec
# jar as its own process, a KRaft broker, a throwaway PostgreSQL database with one empresa, and an open-loop webhook
# sender in this process. Counts 503s, other answers, unanswered and refused webhooks, and the 200s' latency from due
# time, in the seconds after the new process first accepts a connection. Prints a Markdown row per run and medians.
#   bench/ingest-restart.sh [webhooks per second, default 150] [seconds measured after the restart, default 30] [runs per jar, default 3]
# INGEST_JAR=before=/path/to/old-exec.jar,after=ingest/target/ingest-0.1.0-SNAPSHOT-exec.jar alternates jars run by run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./mvnw -B -q -DskipTests -pl ingest,bench -am package
exec java -Xmx2g -Dlogback.configurationFile=dev/chatcentral/bench/gateway/logback.xml -cp "bench/target/classes:bench/target/lib/*" dev.chatcentral.bench.ingest.IngestRestartBenchmark "$@"

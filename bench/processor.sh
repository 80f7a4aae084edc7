#!/usr/bin/env bash
# Stream-processor benchmarks (issue 4), each run in this process with an in-process KRaft broker and a
# throwaway database on the local PostgreSQL:
#   bench/processor.sh throughput [webhooks, default 200000] [runs, default 3] [sink on, default false]
#   bench/processor.sh latency [webhooks per second, default 1000] [seconds, default 30] [warm-up s, default 20]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
case "${1:-}" in
  throughput) main=dev.chatcentral.bench.processor.TopologyThroughputBenchmark ;;
  latency) main=dev.chatcentral.bench.processor.SinkLatencyBenchmark ;;
  *) echo "usage: bench/processor.sh throughput|latency [args]" >&2; exit 2 ;;
esac
shift
./mvnw -B -q -DskipTests -pl stream-processor,bench -am package
exec java -Xmx3g -cp "bench/target/classes:bench/target/lib/*" "$main" "$@"

#!/usr/bin/env bash
# Idle WebSocket connections on one gateway node and the gateway's heap per connection (issue 6): the gateway's exec
# jar as its own process, a KRaft broker, PostgreSQL, and the connections in this process. Prints one Markdown row.
#   bench/gateway-idle.sh [connections, default 20000] [hold seconds, default 35] [gateway heap, default 6g]
#                         [empresas, default 50] [source addresses 127.0.0.2.., default 4]
# Each side holds one descriptor per connection: the open-files limit must exceed the connections (plus ~300).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ulimit -n "$(ulimit -Hn)"
if (( ${1:-20000} + 300 > $(ulimit -n) )); then
  echo "warning: ulimit -n is $(ulimit -n) (hard limit): not enough descriptors for ${1:-20000} connections" >&2
fi
./mvnw -B -q -DskipTests -pl gateway,bench -am package
exec java -Xmx2g -Dlogback.configurationFile=dev/chatcentral/bench/gateway/logback.xml -cp "bench/target/classes:bench/target/lib/*" dev.chatcentral.bench.gateway.IdleConnectionsBenchmark "$@"

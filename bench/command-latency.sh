#!/usr/bin/env bash
# Command latency (issue 5): the stream-processor and the gateway from their exec jars, a KRaft broker, PostgreSQL,
# and a supervisor in this process sending transfer commands over the WebSocket; command frame due → the
# conversa's conversation_updated (or conversation_transferred) naming the target. Prints one Markdown row.
#   bench/command-latency.sh [commands per second, default 50] [seconds measured, default 20] [conversas, default 200]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./mvnw -B -q -DskipTests -pl gateway,stream-processor,bench -am package
exec java -Xmx1g -Dlogback.configurationFile=dev/chatcentral/bench/gateway/logback.xml -cp "bench/target/classes:bench/target/lib/*" dev.chatcentral.bench.gateway.CommandLatencyBenchmark "$@"

#!/usr/bin/env bash
# Typing propagation across two gateway nodes (issue 7): two gateway processes and the stream-processor (presence
# topology) from their exec jars, a KRaft broker, PostgreSQL, and the typing and watching agents in this process.
# Prints one Markdown row.
#   bench/presence-typing.sh [typing events per second, default 1000] [seconds measured, default 30] [empresas, default 4]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./mvnw -B -q -DskipTests -pl gateway,stream-processor,bench -am package
exec java -Xmx2g -Dlogback.configurationFile=dev/chatcentral/bench/gateway/logback.xml -cp "bench/target/classes:bench/target/lib/*" dev.chatcentral.bench.gateway.TypingBenchmark "$@"

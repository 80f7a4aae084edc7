#!/usr/bin/env bash
# One empresa event fanned out to many subscribers of one gateway node (issue 6): the gateway's exec jar as its own
# process, a KRaft broker, PostgreSQL, and the subscribers and the event writer in this process. Prints one Markdown row.
#   bench/gateway-fanout.sh [subscribers, default 1000] [events, default 50] [pause between events in ms, default 200]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./mvnw -B -q -DskipTests -pl gateway,bench -am package
exec java -Xmx2g -Dlogback.configurationFile=dev/chatcentral/bench/gateway/logback.xml -cp "bench/target/classes:bench/target/lib/*" dev.chatcentral.bench.gateway.FanoutBenchmark "$@"

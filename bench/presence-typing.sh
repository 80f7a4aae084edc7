#!/usr/bin/env bash
# Typing propagation across two gateway nodes (issues 7 and 21): two gateway processes and the stream-processor
# (presence topology) from their exec jars, a KRaft broker, PostgreSQL, and the typing and watching agents in this
# process. Prints one Markdown row: the fast lane (frame on node 1 to the typing event on node 2) and, from the same
# run and events, today's path (the event readable read_committed in chat.events), with their p99 ratio, then the
# p99 of each second of the measured phase on either lane.
#   bench/presence-typing.sh [typing events per second, default 1000] [seconds measured, default 30] [empresas, default 4]
#                            [seconds at the same rate before the measured phase, default 10]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./mvnw -B -q -DskipTests -pl gateway,stream-processor,bench -am package
exec java -Xmx2g -Dlogback.configurationFile=dev/chatcentral/bench/gateway/logback.xml -cp "bench/target/classes:bench/target/lib/*" dev.chatcentral.bench.gateway.TypingBenchmark "$@"

#!/usr/bin/env bash
# Resume of missed events (issue 6): the gateway's exec jar as its own process, a KRaft broker, PostgreSQL, and the
# reconnecting client and the event writer in this process. Prints one Markdown row.
#   bench/gateway-resume.sh [missed events, default 10000] [runs, default 5]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./mvnw -B -q -DskipTests -pl gateway,bench -am package
exec java -Xmx2g -Dlogback.configurationFile=dev/chatcentral/bench/gateway/logback.xml -cp "bench/target/classes:bench/target/lib/*" dev.chatcentral.bench.gateway.ResumeBenchmark "$@"

#!/usr/bin/env bash
# Webhook to WebSocket end to end (issue 6): the ingest, the stream-processor and the gateway from their exec jars,
# each its own process, a KRaft broker, PostgreSQL, and the webhook sender and subscribed agents in this process.
# Prints one Markdown row.
#   bench/webhook-to-websocket.sh [webhooks per second, default 1000] [seconds measured, default 30] [subscribers, default one per empresa] [empresas, default 1] [warm-up s, default 60]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./mvnw -B -q -DskipTests -pl ingest,stream-processor,gateway,bench -am package
exec java -Xmx2g -Dlogback.configurationFile=dev/chatcentral/bench/gateway/logback.xml -cp "bench/target/classes:bench/target/lib/*" dev.chatcentral.bench.gateway.WebhookToWebSocketBenchmark "$@"

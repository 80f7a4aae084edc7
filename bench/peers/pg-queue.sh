#!/usr/bin/env bash
# Peer A of issue 15: the original PostgreSQL-queue design (webhook -> INSERT -> SKIP LOCKED workers -> NOTIFY ->
# WebSocket relay), one JVM, against this machine's PostgreSQL in its own database (created when missing; never one
# of chat-central's). Tuning and its reasons: bench/peers/README.md.
#   bench/peers/pg-queue.sh            (environment: PEER_PORT 8095, PEER_JDBC_URL .../peer_pgqueue, QUEUE_WORKERS 4,
#                                       QUEUE_BATCH_SIZE 10, QUEUE_PROCESSING_INTERVAL 1000, MAX_RETRY_ATTEMPTS 3,
#                                       QUEUE_RETRY_BASE_MS 1000, PEER_WEBHOOK_POOL_SIZE 16, ADMIN_API_TOKEN, PEER_HEAP 512m)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
case "${PEER_JDBC_URL:-jdbc:postgresql://127.0.0.1:5432/peer_pgqueue}" in
  */chatcentral*|*/chat_central*|*/cc_*) echo "refusing to run the peer on one of chat-central's databases" >&2; exit 2 ;;
esac
./mvnw -B -q -o -DskipTests -Dclients.skip=true -pl bench -am package
exec java -Xmx"${PEER_HEAP:-512m}" -XX:+UseG1GC -cp "bench/target/classes:bench/target/lib/*" \
  dev.chatcentral.bench.peers.pgqueue.PgQueuePeer "$@"

package dev.chatcentral.schemas.signal;

import java.time.Instant;

/** An ingest node started, as kept in the compacted {@code chat.ingest.nodes} (key = nodeId). */
public record IngestNodeStart(String nodeId, Instant startedAt) {
}

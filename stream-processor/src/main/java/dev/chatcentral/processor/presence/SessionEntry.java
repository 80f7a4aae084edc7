package dev.chatcentral.processor.presence;

import java.time.Instant;

/**
 * An open session (tab, device) of a user, in the sessions store under {@code empresa|user|session}.
 *
 * @param bootEpoch the node's boot epoch when the session opened
 * @param openedAt  the gateway's time of {@code session_opened}: proof the node was alive then
 */
public record SessionEntry(String empresaId, String userId, String sessionId, String nodeId, long bootEpoch,
                           Instant openedAt) {
}

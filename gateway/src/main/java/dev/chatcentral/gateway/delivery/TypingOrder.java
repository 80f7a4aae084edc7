package dev.chatcentral.gateway.delivery;

import java.util.HashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import dev.chatcentral.schemas.event.AtendenteTypingData;
import dev.chatcentral.schemas.event.RealtimeEvent;

/**
 * Puts an atendente's typing events in the order of their causes. Two writers put them on the fast lane: the gateway
 * node that took the typing frame (starts and stops) and the processor (the stops it decides: no news for a timeout,
 * a last session ending). Their records may cross: a stop for typing that ended may arrive after the start of the
 * next. Every event is dated with its cause ({@code ts}: the frame's time, or for an expiry a timeout after the last
 * frame), so an event older than the last one shown of the same typist in the same conversa is not shown.
 *
 * <p>Used by the fast lane's one reader thread only. It remembers each typist for two typing timeouts after their
 * latest event, which is as long as any older event of theirs can still be on its way.
 */
final class TypingOrder {

    private final long keepMillis;
    private final Map<String, Long> latest = new HashMap<>();
    private long prunedAt;

    TypingOrder(long typingTimeoutMillis) {
        this.keepMillis = 2 * typingTimeoutMillis;
    }

    /** True when the event is to be shown: not an atendente's typing, or not older than their latest shown. */
    boolean admit(RealtimeEvent event, long now) {
        JsonNode data = event.data();
        if (event.ts() == null || data == null || !data.isObject()
                || !AtendenteTypingData.WHO_ATENDENTE.equals(text(data, "who"))) {
            return true;
        }
        String userId = text(data, "userId");
        String conversaId = text(data, "conversaId");
        if (userId == null || conversaId == null) {
            return true;
        }
        prune(now);
        long ts = event.ts().toEpochMilli();
        String key = event.empresaId() + "|" + conversaId + "|" + userId;
        Long shown = latest.get(key);
        if (shown != null && ts < shown) {
            return false;
        }
        latest.put(key, ts);
        return true;
    }

    private void prune(long now) {
        if (now - prunedAt < keepMillis) {
            return;
        }
        prunedAt = now;
        latest.values().removeIf(ts -> now - ts > keepMillis);
    }

    /** Typists remembered now (for tests). */
    int size() {
        return latest.size();
    }

    private static String text(JsonNode data, String field) {
        JsonNode value = data.get(field);
        return value != null && value.isString() ? value.stringValue() : null;
    }
}

package dev.chatcentral.processor.dedupe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Remembers which WhatsApp messages were already processed, for a bounded time: Evolution redelivers (retries, and
 * the global and the instance webhook both fire), and a redelivery must not become a second mensagem. The store
 * maps {@code empresaId|instance|keyId|fromMe} to the wall-clock time it was first seen; it is changelogged, so
 * what was seen survives restarts and rebalances, and expired entries are purged by wall-clock punctuation.
 */
public final class DedupeWindow {

    private final KeyValueStore<String, Long> seen;
    private final long windowMillis;

    public DedupeWindow(KeyValueStore<String, Long> seen, Duration window) {
        this.seen = seen;
        this.windowMillis = window.toMillis();
    }

    public static String messageKey(String empresaId, String instance, String keyId, boolean fromMe) {
        return empresaId + "|" + instance + "|" + keyId + "|" + fromMe;
    }

    public boolean seenWithinWindow(String key, long nowMillis) {
        Long firstSeen = seen.get(key);
        return firstSeen != null && nowMillis - firstSeen < windowMillis;
    }

    public void remember(String key, long nowMillis) {
        seen.put(key, nowMillis);
    }

    /** Deletes the entries older than the window; returns how many. */
    public int purge(long nowMillis) {
        // collected first: not every store type tolerates deletes under an open iterator
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, Long> all = seen.all()) {
            while (all.hasNext()) {
                KeyValue<String, Long> entry = all.next();
                if (nowMillis - entry.value >= windowMillis) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(seen::delete);
        return expired.size();
    }
}

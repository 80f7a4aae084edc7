package dev.chatcentral.processor.dedupe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Remembers which WhatsApp messages and receipts were already processed, for a bounded time: Evolution redelivers
 * (retries, and the global and the instance webhook both fire), and a redelivery must not become a second mensagem
 * or a second status change. The store maps {@code empresaId|instance|keyId|fromMe} (mensagens) and
 * {@code receipt|empresaId|instance|keyId|fromMe|status} (receipts) to the wall-clock time first seen, and, in a
 * store of its own with its own window, {@code command|empresaId|userId|commandId} (atendentes' commands); it is
 * changelogged, so what was seen survives restarts and rebalances, and expired entries are purged by wall-clock
 * punctuation.
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

    /**
     * A receipt is a duplicate when the same status was already reported for the same mensagem; receipts and
     * mensagens never share a key.
     */
    public static String receiptKey(String empresaId, String instance, String keyId, Boolean fromMe, String status) {
        return "receipt|" + empresaId + "|" + instance + "|" + keyId + "|" + fromMe + "|" + status;
    }

    /** A change (edit, deletion, reaction) to the mensagem with this key, by what tells it from other changes. */
    public static String changeKey(String empresaId, String instance, String keyId, String changeId) {
        return "change|" + empresaId + "|" + instance + "|" + keyId + "|" + changeId;
    }

    /**
     * An atendente's command, by the client's commandId: the same id twice from one user acts once; the same id from
     * a colleague, or from another empresa, is another command.
     */
    public static String commandKey(String empresaId, String userId, String commandId) {
        return "command|" + empresaId + "|" + userId + "|" + commandId;
    }

    public boolean seenWithinWindow(String key, long nowMillis) {
        Long firstSeen = seen.get(key);
        return firstSeen != null && nowMillis - firstSeen < windowMillis;
    }

    public void remember(String key, long nowMillis) {
        seen.put(key, nowMillis);
    }

    /** Forgets a key, so the same record is processed again when it comes back (a DLQ redrive). */
    public void forget(String key) {
        seen.delete(key);
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

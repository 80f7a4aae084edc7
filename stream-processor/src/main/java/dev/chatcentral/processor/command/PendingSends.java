package dev.chatcentral.processor.command;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.chatcentral.schemas.outbound.OutboundMessage;

/**
 * The replies handed to the dispatcher and not yet sent ({@code conversaKey|mensagemId} → the last
 * {@link OutboundMessage} of that mensagem): awaiting their result, or failed and waiting for a resend. A result
 * applies only to the send it names (its commandId), so a stale or repeated result changes nothing; a resend reuses
 * the quote of the failed send. An entry goes when its reply is sent, or after the retention.
 */
public final class PendingSends {

    private static final StringSerializer KEYS = new StringSerializer();

    /**
     * @param awaitingResult true from the send until its result; false after it failed
     * @param touchedAt      wall-clock millis of the last change, for retention
     */
    public record PendingSend(OutboundMessage message, boolean awaitingResult, long touchedAt) {
    }

    private final KeyValueStore<String, PendingSend> sends;
    private final long retentionMillis;

    public PendingSends(KeyValueStore<String, PendingSend> sends, Duration retention) {
        this.sends = sends;
        this.retentionMillis = retention.toMillis();
    }

    public PendingSend get(String conversaKey, String mensagemId) {
        return sends.get(key(conversaKey, mensagemId));
    }

    public void put(String conversaKey, PendingSend send) {
        sends.put(key(conversaKey, send.message().mensagemId()), send);
    }

    public void remove(String conversaKey, String mensagemId) {
        sends.delete(key(conversaKey, mensagemId));
    }

    /** Whether a reply of this conversa was handed to the dispatcher and its result has not come back yet. */
    public boolean awaitingIn(String conversaKey) {
        try (KeyValueIterator<String, PendingSend> conversa = sends.prefixScan(conversaKey + "|", KEYS)) {
            while (conversa.hasNext()) {
                if (conversa.next().value.awaitingResult()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Deletes the entries untouched for longer than the retention; returns how many. */
    public int purge(long nowMillis) {
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, PendingSend> all = sends.all()) {
            while (all.hasNext()) {
                KeyValue<String, PendingSend> entry = all.next();
                if (nowMillis - entry.value.touchedAt() >= retentionMillis) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(sends::delete);
        return expired.size();
    }

    private static String key(String conversaKey, String mensagemId) {
        return conversaKey + "|" + mensagemId;
    }
}

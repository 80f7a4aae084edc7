package dev.chatcentral.processor.conversa;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.chatcentral.schemas.conversa.Mensagem;

/**
 * The mensagens receipts may still arrive for, by WhatsApp id ({@code empresa|instance|keyId|fromMe}): a receipt
 * carries only the keyId, and must find the mensagem, its conversa and its current status. A second store maps each
 * mensagemId to that key, for atendentes' commands (quote, resend) and dispatch results, which name the mensagem;
 * when a mensagem's keyId changes (a reply's provisional id replaced by WhatsApp's), its old key is dropped. Entries
 * are forgotten after the retention (wall-clock time since the mensagem was last written), so the stores stay
 * bounded; a receipt for an older mensagem is then treated like one for a mensagem never seen.
 */
public final class MensagemIndex {

    /**
     * @param mensagem   the mensagem as last written to {@code chat.mensagens}
     * @param conversaKey the {@link ConversaKey#storeKey()} of its conversa
     * @param touchedAt  wall-clock millis of the last write, for retention
     */
    public record Entry(Mensagem mensagem, String conversaKey, long touchedAt) {
    }

    private final KeyValueStore<String, Entry> entries;
    private final KeyValueStore<String, String> keysById;
    private final long retentionMillis;

    public MensagemIndex(KeyValueStore<String, Entry> entries, KeyValueStore<String, String> keysById,
                         Duration retention) {
        this.entries = entries;
        this.keysById = keysById;
        this.retentionMillis = retention.toMillis();
    }

    public static String key(String empresaId, String instance, String keyId, boolean fromMe) {
        return empresaId + "|" + instance + "|" + keyId + "|" + fromMe;
    }

    public Entry get(String empresaId, String instance, String keyId, boolean fromMe) {
        return entries.get(key(empresaId, instance, keyId, fromMe));
    }

    /** The mensagem with this id, or null when it is unknown here or past its retention. */
    public Entry byId(String mensagemId) {
        String key = keysById.get(mensagemId);
        return key == null ? null : entries.get(key);
    }

    public void put(Mensagem mensagem, String conversaKey, long nowMillis) {
        String key = key(mensagem.empresaId(), mensagem.instance(), mensagem.keyId(), mensagem.fromMe());
        String previous = keysById.get(mensagem.mensagemId());
        if (previous != null && !previous.equals(key)) {
            entries.delete(previous);
        }
        entries.put(key, new Entry(mensagem, conversaKey, nowMillis));
        if (!key.equals(previous)) {
            keysById.put(mensagem.mensagemId(), key);
        }
    }

    /** Deletes the entries older than the retention; returns how many. */
    public int purge(long nowMillis) {
        List<KeyValue<String, Entry>> expired = new ArrayList<>();
        try (KeyValueIterator<String, Entry> all = entries.all()) {
            while (all.hasNext()) {
                KeyValue<String, Entry> entry = all.next();
                if (nowMillis - entry.value.touchedAt() >= retentionMillis) {
                    expired.add(entry);
                }
            }
        }
        for (KeyValue<String, Entry> entry : expired) {
            entries.delete(entry.key);
            String id = entry.value.mensagem().mensagemId();
            if (entry.key.equals(keysById.get(id))) {
                keysById.delete(id);
            }
        }
        return expired.size();
    }
}

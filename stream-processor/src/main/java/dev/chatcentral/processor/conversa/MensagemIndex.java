package dev.chatcentral.processor.conversa;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.chatcentral.schemas.conversa.Mensagem;

/**
 * The mensagens receipts may still arrive for, by mensagemId: a receipt carries only the WhatsApp key
 * ({@code empresa|instance|keyId|fromMe}), from which a mensagem that came from WhatsApp has its id
 * ({@link DeterministicIds#mensagemId}), so it is found without a second store; atendentes' commands (quote, resend)
 * and dispatch results name the mensagemId itself. Only a reply has an id of its own (from its command): a second
 * store maps its WhatsApp key to it, and when its keyId changes (a provisional id replaced by WhatsApp's) the old key
 * is dropped. A customer's mensagem is therefore one write, not two. Entries are forgotten after the retention
 * (wall-clock time since the mensagem was last written), so the stores stay bounded; a receipt for an older mensagem
 * is then treated like one for a mensagem never seen.
 */
public final class MensagemIndex {

    /**
     * @param mensagem   the mensagem as last written to {@code chat.mensagens}
     * @param conversaKey the {@link ConversaKey#storeKey()} of its conversa
     * @param touchedAt  wall-clock millis of the last write, for retention
     */
    public record Entry(Mensagem mensagem, String conversaKey, long touchedAt) {
    }

    /** Told of every mensagem written, in the write: state kept beside the mensagens. */
    public interface Listener {
        /** @param conversaKey the {@link ConversaKey#storeKey()} of its conversa */
        void written(Mensagem mensagem, String conversaKey);
    }

    private final KeyValueStore<String, Entry> byId;
    private final KeyValueStore<String, String> replyIdsByKey;
    private final long retentionMillis;
    private final Listener listener;

    /**
     * @param byId          mensagemId → entry
     * @param replyIdsByKey a reply's WhatsApp key → its mensagemId
     */
    public MensagemIndex(KeyValueStore<String, Entry> byId, KeyValueStore<String, String> replyIdsByKey,
                         Duration retention) {
        this(byId, replyIdsByKey, retention, (mensagem, conversaKey) -> { });
    }

    public MensagemIndex(KeyValueStore<String, Entry> byId, KeyValueStore<String, String> replyIdsByKey,
                         Duration retention, Listener listener) {
        this.byId = byId;
        this.replyIdsByKey = replyIdsByKey;
        this.retentionMillis = retention.toMillis();
        this.listener = listener;
    }

    public static String key(String empresaId, String instance, String keyId, boolean fromMe) {
        return empresaId + "|" + instance + "|" + keyId + "|" + fromMe;
    }

    /** The mensagem WhatsApp knows by this key, or null when it is unknown here or past its retention. */
    public Entry get(String empresaId, String instance, String keyId, boolean fromMe) {
        Entry fromWhatsApp = byId.get(DeterministicIds.mensagemId(empresaId, instance, keyId, fromMe));
        if (fromWhatsApp != null) {
            return fromWhatsApp;
        }
        String replyId = replyIdsByKey.get(key(empresaId, instance, keyId, fromMe));
        return replyId == null ? null : byId.get(replyId);
    }

    /** The mensagem with this id, or null when it is unknown here or past its retention. */
    public Entry byId(String mensagemId) {
        return byId.get(mensagemId);
    }

    public void put(Mensagem mensagem, String conversaKey, long nowMillis) {
        if (!isFromWhatsApp(mensagem)) {
            Entry previous = byId.get(mensagem.mensagemId());
            String oldKey = previous == null ? null : keyOf(previous.mensagem());
            String newKey = keyOf(mensagem);
            if (oldKey != null && !oldKey.equals(newKey)) {
                replyIdsByKey.delete(oldKey);
            }
            if (!newKey.equals(oldKey)) {
                replyIdsByKey.put(newKey, mensagem.mensagemId());
            }
        }
        byId.put(mensagem.mensagemId(), new Entry(mensagem, conversaKey, nowMillis));
        listener.written(mensagem, conversaKey);
    }

    /** Deletes the entries older than the retention; returns how many. */
    public int purge(long nowMillis) {
        List<KeyValue<String, Entry>> expired = new ArrayList<>();
        try (KeyValueIterator<String, Entry> all = byId.all()) {
            while (all.hasNext()) {
                KeyValue<String, Entry> entry = all.next();
                if (nowMillis - entry.value.touchedAt() >= retentionMillis) {
                    expired.add(entry);
                }
            }
        }
        for (KeyValue<String, Entry> entry : expired) {
            byId.delete(entry.key);
            Mensagem mensagem = entry.value.mensagem();
            if (!isFromWhatsApp(mensagem)) {
                String key = keyOf(mensagem);
                if (entry.key.equals(replyIdsByKey.get(key))) {
                    replyIdsByKey.delete(key);
                }
            }
        }
        return expired.size();
    }

    /** Whether the mensagem's id is the one its WhatsApp key gives, so that the key finds it without a link. */
    private static boolean isFromWhatsApp(Mensagem mensagem) {
        return mensagem.mensagemId().equals(DeterministicIds.mensagemId(
                mensagem.empresaId(), mensagem.instance(), mensagem.keyId(), mensagem.fromMe()));
    }

    private static String keyOf(Mensagem mensagem) {
        return key(mensagem.empresaId(), mensagem.instance(), mensagem.keyId(), mensagem.fromMe());
    }
}

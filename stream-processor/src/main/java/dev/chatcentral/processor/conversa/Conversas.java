package dev.chatcentral.processor.conversa;

import org.apache.kafka.streams.state.KeyValueStore;

import dev.chatcentral.schemas.conversa.Conversa;

/**
 * The conversa state store ({@link ConversaKey#storeKey()} → conversa) and its index by conversaId: webhooks find a
 * conversa by the customer's identity, atendentes' commands by its id. A conversaId is a name-based UUID of the
 * store key, which cannot be reversed, hence the index; both are written together, so neither lags the other.
 */
public final class Conversas {

    /** Told of every change of a conversa, in the write that makes it: state kept beside the conversas. */
    public interface Listener {
        /** @param before the conversa as it was, or null when it is new */
        void changed(Conversa before, Conversa after);
    }

    private final KeyValueStore<String, Conversa> byKey;
    private final KeyValueStore<String, String> keysById;
    private final Listener listener;

    public Conversas(KeyValueStore<String, Conversa> byKey, KeyValueStore<String, String> keysById) {
        this(byKey, keysById, (before, after) -> { });
    }

    public Conversas(KeyValueStore<String, Conversa> byKey, KeyValueStore<String, String> keysById,
                     Listener listener) {
        this.byKey = byKey;
        this.keysById = keysById;
        this.listener = listener;
    }

    /** The state store itself, for lookups by identity ({@link JidAliases}). */
    public KeyValueStore<String, Conversa> store() {
        return byKey;
    }

    public Conversa get(String storeKey) {
        return byKey.get(storeKey);
    }

    /** The conversa with this id, or null when this task has none (it is another partition's, or never existed). */
    public Conversa byId(String conversaId) {
        String storeKey = keysById.get(conversaId);
        return storeKey == null ? null : byKey.get(storeKey);
    }

    public void put(Conversa conversa) {
        String storeKey = storeKey(conversa);
        Conversa before = byKey.get(storeKey);
        byKey.put(storeKey, conversa);
        if (!storeKey.equals(keysById.get(conversa.conversaId()))) {
            keysById.put(conversa.conversaId(), storeKey);
        }
        listener.changed(before, conversa);
    }

    public static String storeKey(Conversa conversa) {
        return key(conversa).storeKey();
    }

    public static ConversaKey key(Conversa conversa) {
        return new ConversaKey(conversa.empresaId(), conversa.instance(), conversa.remoteJid());
    }
}

package dev.chatcentral.processor.command;

import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The atendentes seen in each empresa ({@code empresaId|userId} → name): chat-central has no directory of
 * atendentes, so one counts as belonging to an empresa once a gateway saw them log in to it ({@code session_opened}
 * on {@code chat.signals}, whose token the gateway verified) or they issued a command for it. This is what the target
 * of a transfer is checked against. Entries are never forgotten: an atendente who logged in once stays a valid
 * target (docs/commands.md).
 */
public final class KnownAtendentes {

    /** @param name the display name from the token, or null when none was seen yet */
    public record KnownAtendente(String name) {
    }

    private final KeyValueStore<String, KnownAtendente> seen;

    public KnownAtendentes(KeyValueStore<String, KnownAtendente> seen) {
        this.seen = seen;
    }

    /** A session opened: the atendente is of the empresa, and their name is the latest one seen. */
    public void sessionOpened(String empresaId, String userId, String name) {
        KnownAtendente known = seen.get(key(empresaId, userId));
        if (known == null || (name != null && !name.equals(known.name()))) {
            seen.put(key(empresaId, userId), new KnownAtendente(name));
        }
    }

    /** A command's issuer, whose token named the empresa: known from now on, name unchanged. */
    public void issuedCommand(String empresaId, String userId) {
        if (seen.get(key(empresaId, userId)) == null) {
            seen.put(key(empresaId, userId), new KnownAtendente(null));
        }
    }

    public KnownAtendente get(String empresaId, String userId) {
        return seen.get(key(empresaId, userId));
    }

    private static String key(String empresaId, String userId) {
        return empresaId + "|" + userId;
    }
}

package dev.chatcentral.schemas.event;

import java.util.Optional;

/**
 * A channel a browser subscribes to: {@code kind:id}, with the seed's four kinds. Channel ids never contain
 * a colon, so the first colon splits kind from id.
 */
public record Channel(Kind kind, String id) {

    /** The longest channel id: UUIDs, user ids and empresa ids are far shorter, and clients choose some of them. */
    public static final int MAX_ID_LENGTH = 128;

    public enum Kind {
        ATENDENTE("atendente"), CONVERSA("conversa"), EMPRESA("empresa"), PRESENCE("presence");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }

        public String prefix() {
            return prefix;
        }
    }

    public Channel {
        if (id == null || id.isBlank() || id.indexOf(':') >= 0) {
            throw new IllegalArgumentException("channel id must be non-blank and contain no ':'");
        }
    }

    public static String atendente(String userId) {
        return new Channel(Kind.ATENDENTE, userId).toString();
    }

    public static String conversa(String conversaId) {
        return new Channel(Kind.CONVERSA, conversaId).toString();
    }

    public static String empresa(String empresaId) {
        return new Channel(Kind.EMPRESA, empresaId).toString();
    }

    public static String presence(String empresaId) {
        return new Channel(Kind.PRESENCE, empresaId).toString();
    }

    /** Parses {@code kind:id}; empty when the text is not a well-formed channel name. */
    public static Optional<Channel> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1 || text.indexOf(':', colon + 1) >= 0) {
            return Optional.empty();
        }
        String prefix = text.substring(0, colon);
        for (Kind kind : Kind.values()) {
            if (kind.prefix.equals(prefix)) {
                String id = text.substring(colon + 1);
                return id.isBlank() ? Optional.empty() : Optional.of(new Channel(kind, id));
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return kind.prefix + ":" + id;
    }
}

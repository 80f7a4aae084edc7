package dev.chatcentral.processor.topology;

import java.nio.charset.StandardCharsets;

/**
 * A record as it may reach {@code chat.webhooks}: its key and its body, byte for byte.
 *
 * @param kind what the generator made (the event, or how the body is broken), for the statistics of a run
 */
public record HostileWebhook(String kind, Key key, byte[] body) {

    private static final int SHOWN_BYTES = 300;

    /** The record key: the empresa of the try, or a key that names no empresa. */
    public enum Key {
        EMPRESA, NULL, EMPTY, BLANK;

        String of(String empresaId) {
            return switch (this) {
                case EMPRESA -> empresaId;
                case NULL -> null;
                case EMPTY -> "";
                case BLANK -> " \t";
            };
        }
    }

    /** What jqwik prints for a falsified sample: the start of the body, not hundreds of KB of it. */
    @Override
    public String toString() {
        String shown = new String(body, 0, Math.min(body.length, SHOWN_BYTES), StandardCharsets.UTF_8);
        return kind + ", key " + key + ", " + body.length + " bytes: " + shown
                + (body.length > SHOWN_BYTES ? "…" : "");
    }
}

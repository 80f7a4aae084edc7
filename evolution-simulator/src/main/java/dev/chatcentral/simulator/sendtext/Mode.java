package dev.chatcentral.simulator.sendtext;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the simulator answers an instance's sends (sendText, sendReaction, deleteMessageForEveryone), to play
 * Evolution's failures in tests and demos.
 */
public enum Mode {
    /** 201 with the sent message, then send.message and receipts to the ingest. */
    OK,
    /** 500, as Evolution answers when its WhatsApp session is broken: a caller should retry. */
    SERVER_ERROR,
    /** Answers like OK, after the behavior's delay: a caller with a shorter timeout gives up first. */
    SLOW,
    /** 400 with {@code exists: false}: the number has no WhatsApp. */
    NOT_ON_WHATSAPP,
    /** 401, as for a wrong apikey. */
    UNAUTHORIZED;

    /** The name used in JSON and properties: {@code server_error}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Mode parse(String value) {
        for (Mode mode : values()) {
            if (mode.wireName().equals(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("mode must be one of "
                + Arrays.stream(values()).map(Mode::wireName).collect(Collectors.joining(", ")) + ", was " + value);
    }
}

package dev.chatcentral.gateway.rest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.UUID;

/**
 * A place in a list sorted by time then id: the keyset that pages continue from. Handed to clients as an opaque
 * cursor (base64url of {@code time|id}) so they cannot depend on its layout.
 *
 * @param at the sort time of the row; null for a conversa that has no mensagem yet
 * @param id the row's id, which breaks ties between rows of the same time (WhatsApp times are whole seconds);
 *           null when the client gave a bare timestamp, which bounds by time alone
 */
record Position(Instant at, UUID id) {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    String cursor() {
        String text = (at == null ? "" : at.toString()) + "|" + id;
        return ENCODER.encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a cursor this API issued; anything else is a bad parameter named {@code parameter}. */
    static Position fromCursor(String cursor, String parameter) {
        try {
            String text = new String(DECODER.decode(cursor), StandardCharsets.UTF_8);
            int bar = text.indexOf('|');
            if (bar < 0 || text.indexOf('|', bar + 1) >= 0) {
                throw new IllegalArgumentException("no separator");
            }
            String time = text.substring(0, bar);
            UUID id = UUID.fromString(text.substring(bar + 1));
            return new Position(time.isEmpty() ? null : Instant.parse(time), id);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw ApiException.badParameter(parameter + " is not a cursor this API issued");
        }
    }

    /**
     * Reads a mensagens bound: an ISO-8601 instant (a bound by time alone) or a cursor this API issued. The two
     * cannot be confused, since base64url has no ':'.
     */
    static Position fromTimeOrCursor(String value, String parameter) {
        if (value.indexOf(':') >= 0) {
            try {
                return new Position(Instant.parse(value), null);
            } catch (DateTimeParseException e) {
                throw ApiException.badParameter(parameter + " must be an ISO-8601 instant such as "
                        + "2025-10-21T14:30:00Z, or a cursor this API issued");
            }
        }
        Position position = fromCursor(value, parameter);
        if (position.at() == null) {
            throw ApiException.badParameter(parameter + " is not a cursor of a mensagem");
        }
        return position;
    }
}

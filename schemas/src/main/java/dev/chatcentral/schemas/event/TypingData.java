package dev.chatcentral.schemas.event;

/**
 * {@code data} of a {@code typing_start} / {@code typing_stop} event.
 *
 * @param who      {@code cliente} when the customer types in WhatsApp
 * @param jid      the WhatsApp address of who types (the customer, or the group member)
 * @param presence what WhatsApp reported: {@code composing}, {@code recording}, {@code paused}, ...
 */
public record TypingData(String conversaId, String who, String jid, String presence) {

    public static final String WHO_CLIENTE = "cliente";
}

package dev.chatcentral.schemas.event;

/**
 * {@code data} of a {@code typing_start} / {@code typing_stop} event when an atendente types (the customer's is
 * {@link TypingData}; both carry {@code conversaId} and {@code who}). A start is sent once per typing episode; the
 * stop follows on the atendente's stop, 10 s after their last keystroke signal, or when their last session ends.
 *
 * @param who  always {@link #WHO_ATENDENTE}
 * @param name display name, or null when the atendente's token had none
 */
public record AtendenteTypingData(String conversaId, String who, String userId, String name) {

    public static final String WHO_ATENDENTE = "atendente";
}

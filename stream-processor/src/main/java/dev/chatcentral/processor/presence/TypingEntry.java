package dev.chatcentral.processor.presence;

/**
 * A user typing in a conversa, in the typing store under {@code empresa|user|conversa}.
 *
 * @param episode   the position ({@code partition:offset} in {@code chat.signals}) of the signal that started it: the
 *                  ids of its start and stop events derive from it, so a replay gives the same ids
 * @param expiresAt wall-clock millis at which a {@code typing_stop} is sent unless another start refreshes it
 */
public record TypingEntry(String empresaId, String conversaId, String userId, String name, String episode,
                          long expiresAt) {

    TypingEntry refreshed(long newExpiresAt) {
        return new TypingEntry(empresaId, conversaId, userId, name, episode, newExpiresAt);
    }
}

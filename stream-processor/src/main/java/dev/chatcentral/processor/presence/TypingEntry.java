package dev.chatcentral.processor.presence;

/**
 * A user typing in a conversa, in the typing store under {@code empresa|user|conversa}.
 *
 * @param episode   the position ({@code partition:offset} in {@code chat.signals}) of the signal that started it: the
 *                  ids of its start and stop events derive from it, so a replay gives the same ids
 * @param expiresAt wall-clock millis at which a {@code typing_stop} is sent unless another start refreshes it
 * @param announced the position of the signal whose {@code typing_start} was sent last (the episode's own, or a
 *                  refresh's: a start is sent again while typing goes on, and its id derives from it)
 * @param announcedAt wall-clock millis of that {@code typing_start}; 0 in entries stored before it was kept
 * @param signalledAt the gateway's time ({@code ts}, epoch millis) of the latest start signal: an expiry's stop is
 *                    dated a timeout after it, so gateways order it before a start reported after that; 0 in entries
 *                    stored before it was kept
 */
public record TypingEntry(String empresaId, String conversaId, String userId, String name, String episode,
                          long expiresAt, String announced, long announcedAt, long signalledAt) {

    TypingEntry refreshed(long newExpiresAt, long newSignalledAt) {
        return new TypingEntry(empresaId, conversaId, userId, name, episode, newExpiresAt, announced, announcedAt,
                newSignalledAt);
    }

    TypingEntry announcedAgain(String position, long at) {
        return new TypingEntry(empresaId, conversaId, userId, name, episode, expiresAt, position, at, signalledAt);
    }
}

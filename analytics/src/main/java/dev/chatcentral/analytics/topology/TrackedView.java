package dev.chatcentral.analytics.topology;

/**
 * The empresa side's entry of one conversa: its latest {@link Fact.View} and the breaches already counted for it, so
 * each is counted once per episode.
 *
 * @param assignBreached     the first-assignment target of {@code view.assignDue} passed and was counted
 * @param responseBreached   the first-response target of {@code view.responseDue} passed and was counted
 * @param responseBreachedBy the atendente that breach was counted for too, or null
 */
record TrackedView(Fact.View view, boolean assignBreached, boolean responseBreached, String responseBreachedBy) {
}

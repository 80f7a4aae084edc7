package dev.chatcentral.analytics.topology;

/**
 * One empresa's bookkeeping on the empresa side.
 *
 * @param streamTimeMs     the latest event time seen for the empresa: a window closes once its end plus the grace
 *                         is behind it
 * @param changed          something changed since the last snapshot
 * @param lastMinuteStart  the one-minute window of the last snapshot, so a new minute is shown even when quiet
 */
record EmpresaState(long streamTimeMs, boolean changed, long lastMinuteStart) {
}

package dev.chatcentral.processor.dlq;

import java.time.Instant;
import java.util.List;

/**
 * Which DLQ records to send back to {@code chat.webhooks}: exactly one of {@code ids} (record ids
 * {@code topic-partition-offset}), a failure time range ({@code from} inclusive, {@code to} exclusive, either may be
 * left open), or {@code all}.
 */
public record RedriveRequest(List<String> ids, Instant from, Instant to, Boolean all) {

    /** The selection, or an {@link IllegalArgumentException} saying what is wrong with the request. */
    public DeadLetterSelection selection() {
        boolean byIds = ids != null;
        boolean byTime = from != null || to != null;
        boolean everything = Boolean.TRUE.equals(all);
        int given = (byIds ? 1 : 0) + (byTime ? 1 : 0) + (everything ? 1 : 0);
        if (given != 1) {
            throw new IllegalArgumentException(
                    "give exactly one of \"ids\", a time range (\"from\" and/or \"to\") or \"all\": true");
        }
        if (byIds) {
            if (ids.isEmpty()) {
                throw new IllegalArgumentException("\"ids\" is empty");
            }
            return DeadLetterSelection.ofIds(ids.stream().map(DeadLetterId::parse).toList());
        }
        if (byTime) {
            if (from != null && to != null && !from.isBefore(to)) {
                throw new IllegalArgumentException("\"from\" must be before \"to\"");
            }
            return DeadLetterSelection.failedBetween(from, to);
        }
        return DeadLetterSelection.everything();
    }
}

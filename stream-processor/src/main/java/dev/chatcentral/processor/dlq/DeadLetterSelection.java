package dev.chatcentral.processor.dlq;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Which DLQ records a redrive takes. */
public final class DeadLetterSelection {

    private final Set<DeadLetterId> ids;
    private final Instant from;
    private final Instant to;

    private DeadLetterSelection(Set<DeadLetterId> ids, Instant from, Instant to) {
        this.ids = ids;
        this.from = from;
        this.to = to;
    }

    public static DeadLetterSelection ofIds(List<DeadLetterId> ids) {
        return new DeadLetterSelection(ids.stream().collect(Collectors.toUnmodifiableSet()), null, null);
    }

    /** Records whose last failure lies in {@code [from, to)}; a null bound is open. */
    public static DeadLetterSelection failedBetween(Instant from, Instant to) {
        return new DeadLetterSelection(null, from, to);
    }

    public static DeadLetterSelection everything() {
        return new DeadLetterSelection(null, null, null);
    }

    /** The ids asked for, or null when the selection is not by id. */
    public Set<DeadLetterId> ids() {
        return ids;
    }

    public boolean matches(DeadLetterId id, Instant failedAt) {
        if (ids != null) {
            return ids.contains(id);
        }
        return (from == null || !failedAt.isBefore(from)) && (to == null || failedAt.isBefore(to));
    }
}

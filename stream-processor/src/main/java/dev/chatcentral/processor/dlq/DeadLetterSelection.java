package dev.chatcentral.processor.dlq;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which DLQ records a redrive takes: by id, by failure time, or all; each optionally narrowed to one stage and one
 * reason (say, only what PostgreSQL refused, once the database accepts it), and to one empresa (a supervisor's
 * redrive from the console takes only the records of their own empresa).
 */
public final class DeadLetterSelection {

    private final Set<DeadLetterId> ids;
    private final Instant from;
    private final Instant to;
    private final DeadLetterStage stage;
    private final DeadLetterReason reason;
    private final String empresaId;

    private DeadLetterSelection(Set<DeadLetterId> ids, Instant from, Instant to, DeadLetterStage stage,
                                DeadLetterReason reason, String empresaId) {
        this.ids = ids;
        this.from = from;
        this.to = to;
        this.stage = stage;
        this.reason = reason;
        this.empresaId = empresaId;
    }

    public static DeadLetterSelection ofIds(List<DeadLetterId> ids) {
        return new DeadLetterSelection(ids.stream().collect(Collectors.toUnmodifiableSet()), null, null, null, null,
                null);
    }

    /** Records whose last failure lies in {@code [from, to)}; a null bound is open. */
    public static DeadLetterSelection failedBetween(Instant from, Instant to) {
        return new DeadLetterSelection(null, from, to, null, null, null);
    }

    public static DeadLetterSelection everything() {
        return new DeadLetterSelection(null, null, null, null, null, null);
    }

    /** This selection narrowed to one stage and one reason; a null leaves that side open. */
    public DeadLetterSelection narrowedTo(DeadLetterStage stage, DeadLetterReason reason) {
        return new DeadLetterSelection(ids, from, to, stage, reason, empresaId);
    }

    /** This selection narrowed to the records of one empresa; null leaves it open. */
    public DeadLetterSelection ofEmpresa(String empresaId) {
        return new DeadLetterSelection(ids, from, to, stage, reason, empresaId);
    }

    /** The ids asked for, or null when the selection is not by id. */
    public Set<DeadLetterId> ids() {
        return ids;
    }

    /**
     * @param stage  the record's {@code dlq-stage} code, null on records written before stages were recorded
     * @param reason the record's {@code error-reason} code, likewise
     * @param empresaId the record's {@code empresa-id} header, null when its origin named no empresa
     */
    public boolean matches(DeadLetterId id, Instant failedAt, String stage, String reason, String empresaId) {
        if (this.empresaId != null && !this.empresaId.equals(empresaId)) {
            return false;
        }
        if (this.stage != null && !this.stage.code().equals(stage)) {
            return false;
        }
        if (this.reason != null && !this.reason.code().equals(reason)) {
            return false;
        }
        if (ids != null) {
            return ids.contains(id);
        }
        return (from == null || !failedAt.isBefore(from)) && (to == null || failedAt.isBefore(to));
    }
}

package dev.chatcentral.processor.dlq;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Which DLQ records to send back to the topics they came from: exactly one of {@code ids} (record ids
 * {@code topic-partition-offset}), a failure time range ({@code from} inclusive, {@code to} exclusive, either may be
 * left open), or {@code all}; optionally narrowed to one {@code stage} and one {@code reason} (their codes), and
 * to one {@code empresaId} (the gateway narrows a supervisor's redrive to their empresa).
 */
public record RedriveRequest(List<String> ids, Instant from, Instant to, Boolean all, String stage, String reason,
                             String empresaId) {

    /** The longest empresa id the admin API accepts. */
    static final int EMPRESA_ID_MAX_LENGTH = 64;

    /**
     * The selection in a DLQ of {@code dlqPartitions} partitions, or an {@link IllegalArgumentException} saying what
     * is wrong with the request.
     */
    public DeadLetterSelection selection(int dlqPartitions) {
        return unnarrowed(dlqPartitions).ofEmpresa(parsedEmpresaId());
    }

    private DeadLetterSelection unnarrowed(int dlqPartitions) {
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
            return DeadLetterSelection.ofIds(ids.stream().map(id -> DeadLetterId.parse(id, dlqPartitions)).toList()).narrowedTo(parsedStage(),
                    parsedReason());
        }
        if (byTime) {
            if (from != null && to != null && !from.isBefore(to)) {
                throw new IllegalArgumentException("\"from\" must be before \"to\"");
            }
            return DeadLetterSelection.failedBetween(from, to).narrowedTo(parsedStage(), parsedReason());
        }
        return DeadLetterSelection.everything().narrowedTo(parsedStage(), parsedReason());
    }

    private String parsedEmpresaId() {
        if (empresaId != null && (empresaId.isBlank() || empresaId.length() > EMPRESA_ID_MAX_LENGTH)) {
            throw new IllegalArgumentException("\"empresaId\" must be a non-blank id of at most "
                    + EMPRESA_ID_MAX_LENGTH + " characters");
        }
        return empresaId;
    }

    private DeadLetterStage parsedStage() {
        return byCode("stage", stage, DeadLetterStage.values(), DeadLetterStage::code);
    }

    private DeadLetterReason parsedReason() {
        return byCode("reason", reason, DeadLetterReason.values(), DeadLetterReason::code);
    }

    /** The constant whose code is {@code code}; null when no code was given. */
    private static <T> T byCode(String field, String code, T[] constants, Function<T, String> codeOf) {
        if (code == null) {
            return null;
        }
        return Arrays.stream(constants).filter(c -> codeOf.apply(c).equals(code)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("\"" + field + "\" must be one of "
                        + Arrays.stream(constants).map(codeOf).toList()));
    }
}

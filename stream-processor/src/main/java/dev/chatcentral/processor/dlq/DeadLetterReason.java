package dev.chatcentral.processor.dlq;

import java.util.Locale;

/** Why a record went to the DLQ, as a short code in its {@code error-reason} header and in the metrics. */
public enum DeadLetterReason {
    /** The input can never be processed: malformed, missing what it needs, or naming nothing valid. */
    INVALID,
    /** One of its outputs would exceed its topic's {@code max.message.bytes}. */
    TOO_LARGE,
    /** It waited for something (a receipt for its mensagem) through every retry, and that never came. */
    RETRIES_EXHAUSTED,
    /** Processing it threw an unexpected error: a bug, to fix before redriving. */
    PROCESSING_FAILED,
    /** Its bytes could not be read as what its topic holds. */
    UNREADABLE,
    /** Kafka refused one of its outputs for good (not a passing broker failure). */
    PRODUCTION_FAILED,
    /** PostgreSQL refused it for a reason a retry cannot fix (SQLSTATE class 22 or 23, or it failed alone). */
    DATABASE_REFUSED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}

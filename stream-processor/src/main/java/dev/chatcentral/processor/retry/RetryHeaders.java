package dev.chatcentral.processor.retry;

/** Headers of the records on {@code chat.webhooks.retry}, beside the original ones and the error headers. */
public final class RetryHeaders {

    /** Which retry this is: 1 for the first. */
    public static final String ATTEMPT = "retry-attempt";
    /** When the record became due (ISO-8601). */
    public static final String DUE_AT = "retry-due-at";
    /** The record's key in the parking store, which the retry finds it by. */
    public static final String PARKING_KEY = "retry-parking-key";
    /** Failed attempts in all, on DLQ records. */
    public static final String ATTEMPTS = "attempts";
    /** When the first attempt failed (ISO-8601); {@code failed-at} holds the last. */
    public static final String FIRST_FAILED_AT = "first-failed-at";

    private RetryHeaders() {
    }
}

package dev.chatcentral.service.logging;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.common.header.Headers;
import org.slf4j.MDC;

import dev.chatcentral.schemas.topic.RecordHeaders;

/**
 * What a log line is about, put in the logging context (MDC) for as long as the work on one webhook, record or
 * command lasts: structured logs ({@code LOG_FORMAT}) carry these keys as fields, so one empresa's or one command's
 * lines can be found among all the others. Scopes nest, as processors call one another on one thread: closing one
 * restores what the enclosing scope had put. Values often come from outside (ids of a webhook or a frame), so they
 * are cut short and stripped of control characters, which could otherwise forge lines of a plain-text log.
 */
public final class LogContext implements AutoCloseable {

    public static final String EMPRESA_ID = "empresaId";
    /** The id the ingest gives a webhook, carried by every record made from it. */
    public static final String CORRELATION_ID = "correlationId";
    public static final String COMMAND_ID = "commandId";

    static final int MAX_VALUE_LENGTH = 128;

    /** The values this scope replaced, to put back on close (null: there was none). */
    private final Map<String, String> replaced = new LinkedHashMap<>(4);

    private LogContext() {
    }

    public static LogContext open() {
        return new LogContext();
    }

    /** The empresa a record names in its key, and the correlation id its headers carry, if any. */
    public static LogContext ofRecord(String empresaId, Headers headers) {
        return open().put(EMPRESA_ID, empresaId)
                .put(CORRELATION_ID, headers == null ? null : RecordHeaders.get(headers, RecordHeaders.CORRELATION_ID));
    }

    /** Sets {@code key} until this scope closes; a null or empty value removes it for that long. */
    public LogContext put(String key, String value) {
        if (!replaced.containsKey(key)) {
            replaced.put(key, MDC.get(key));
        }
        if (value == null || value.isEmpty()) {
            MDC.remove(key);
        } else {
            MDC.put(key, clean(value));
        }
        return this;
    }

    @Override
    public void close() {
        replaced.forEach((key, previous) -> {
            if (previous == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, previous);
            }
        });
    }

    static String clean(String value) {
        String bounded = value.length() > MAX_VALUE_LENGTH ? value.substring(0, MAX_VALUE_LENGTH) + "…" : value;
        StringBuilder cleaned = null;
        for (int i = 0; i < bounded.length(); i++) {
            if (Character.isISOControl(bounded.charAt(i))) {
                if (cleaned == null) {
                    cleaned = new StringBuilder(bounded);
                }
                cleaned.setCharAt(i, '?');
            }
        }
        return cleaned == null ? bounded : cleaned.toString();
    }
}

package dev.chatcentral.schemas.topic;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Names of the record headers the services set and read, and the UTF-8 helpers to do it. */
public final class RecordHeaders {

    public static final String EMPRESA_ID = "empresa-id";
    public static final String INSTANCE = "instance";
    public static final String EVENT = "event";
    public static final String RECEIVED_AT = "received-at";
    public static final String CORRELATION_ID = "correlation-id";
    /**
     * The version of the record's contract (its topic's key and value JSON Schemas, {@code contracts/} of this
     * module's resources), on every record a service writes; within one version, changes are additive only
     * (docs/consumers.md).
     */
    public static final String SCHEMA_VERSION = "schema-version";
    /** The contract version every topic is at. */
    public static final String CURRENT_SCHEMA_VERSION = "1";

    /** DLQ headers: why a record could not be processed, where it came from, and which stage gave up on it. */
    public static final String ERROR_EXCEPTION = "error-exception";
    public static final String ERROR_MESSAGE = "error-message";
    /** A short code of the failure's class, for metrics and for selecting what to redrive. */
    public static final String ERROR_REASON = "error-reason";
    /** The stage that gave up: see the DLQ's documentation (docs/reliability.md). */
    public static final String DLQ_STAGE = "dlq-stage";
    public static final String ORIGINAL_TOPIC = "original-topic";
    public static final String ORIGINAL_PARTITION = "original-partition";
    public static final String ORIGINAL_OFFSET = "original-offset";
    public static final String FAILED_AT = "failed-at";

    private RecordHeaders() {
    }

    public static void put(Headers headers, String name, String value) {
        headers.remove(name);
        if (value != null) {
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Marks {@code headers} with {@link #CURRENT_SCHEMA_VERSION}, replacing the version of the record they were
     * copied from (a Kafka Streams output carries its input's headers). Headers already marked are left alone, so a
     * record sent again with headers the producer made read-only is not refused.
     */
    public static void putSchemaVersion(Headers headers) {
        if (!CURRENT_SCHEMA_VERSION.equals(get(headers, SCHEMA_VERSION))) {
            put(headers, SCHEMA_VERSION, CURRENT_SCHEMA_VERSION);
        }
    }

    public static String get(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

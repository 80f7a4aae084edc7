package dev.chatcentral.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks records as a topic's reader sees them against the topic's committed contract: the JSON Schemas of its key
 * and value ({@code contracts/<topic>.key.json} and {@code .value.json}, on the classpath from the schemas module)
 * and the {@value #SCHEMA_VERSION} header. Its deserializers let a test read a topic as usual while every record it
 * reads is checked.
 */
public final class TopicContracts {

    /** The header every record carries (RecordHeaders.SCHEMA_VERSION of the schemas module). */
    public static final String SCHEMA_VERSION = "schema-version";

    private static final SchemaRegistry REGISTRY =
            SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Map<String, JsonNode> DOCUMENTS = new ConcurrentHashMap<>();
    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();

    private TopicContracts() {
    }

    /** The committed schema of {@code topic}'s key ({@code key}) or value, as JSON. */
    public static JsonNode schema(String topic, boolean key) {
        String resource = "contracts/" + topic + (key ? ".key.json" : ".value.json");
        return DOCUMENTS.computeIfAbsent(resource, r -> {
            try (InputStream in = TopicContracts.class.getClassLoader().getResourceAsStream(r)) {
                if (in == null) {
                    throw new IllegalArgumentException("no contract " + r + " on the classpath");
                }
                return MAPPER.readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static Schema compiled(String topic, boolean key) {
        return SCHEMAS.computeIfAbsent(topic + (key ? "/key" : "/value"),
                k -> REGISTRY.getSchema(schema(topic, key)));
    }

    /** What is wrong with a record's key (null: none) by {@code topic}'s key schema; empty when nothing is. */
    public static List<String> keyViolations(String topic, String key) {
        List<String> violations = new ArrayList<>();
        JsonNode instance = key == null ? MAPPER.nullNode() : MAPPER.getNodeFactory().stringNode(key);
        compiled(topic, true).validate(instance).forEach(e -> violations.add("key: " + e));
        return violations;
    }

    /**
     * What is wrong with a record's value bytes and headers by {@code topic}'s contract; empty when nothing is. A
     * null value (a tombstone) is checked by its headers only, and a value the contract says is raw bytes is not read.
     */
    public static List<String> valueViolations(String topic, byte[] value, Headers headers) {
        return valueViolations(topic, value, headers, true);
    }

    /**
     * {@link #valueViolations(String, byte[], Headers)}, for a record that must carry {@value #SCHEMA_VERSION}
     * ({@code stamped}) or one that a topology forwards with the headers its input had (a retry, a dead letter),
     * which has the header its input had, or none.
     */
    public static List<String> valueViolations(String topic, byte[] value, Headers headers, boolean stamped) {
        List<String> violations = new ArrayList<>();
        Header version = headers == null ? null : headers.lastHeader(SCHEMA_VERSION);
        if (stamped && (version == null || version.value() == null || version.value().length == 0)) {
            violations.add("no " + SCHEMA_VERSION + " header");
        }
        if (value != null && !schema(topic, false).has("contentMediaType")) {
            try {
                violations.addAll(valueViolations(topic, MAPPER.readTree(value)));
            } catch (JacksonException e) {
                violations.add("value is not JSON: " + e.getOriginalMessage());
            }
        }
        return violations;
    }

    /** What is wrong with a value, as JSON, by {@code topic}'s value schema; empty when nothing is. */
    public static List<String> valueViolations(String topic, JsonNode value) {
        List<String> violations = new ArrayList<>();
        compiled(topic, false).validate(value).forEach(e -> violations.add("value: " + e));
        return violations;
    }

    /** {@code keys}, failing the test on any key that breaks {@code topic}'s contract. */
    public static Deserializer<String> checkedKeys(String topic, Deserializer<String> keys) {
        return new Deserializer<>() {
            @Override
            public String deserialize(String t, byte[] data) {
                String key = keys.deserialize(t, data);
                fail(topic, keyViolations(topic, key), key);
                return key;
            }

            @Override
            public String deserialize(String t, Headers headers, byte[] data) {
                return deserialize(t, data);
            }
        };
    }

    /** {@code values}, failing the test on any value or headers that break {@code topic}'s contract. */
    public static <T> Deserializer<T> checkedValues(String topic, Deserializer<T> values) {
        return checked(topic, values, true);
    }

    /**
     * {@code values} of a topic whose records keep the headers of the record they forward (a retry, a dead letter),
     * and with them its {@value #SCHEMA_VERSION} or its lack of one, failing the test on a value that breaks
     * {@code topic}'s contract.
     */
    public static <T> Deserializer<T> checkedForwardedValues(String topic, Deserializer<T> values) {
        return checked(topic, values, false);
    }

    private static <T> Deserializer<T> checked(String topic, Deserializer<T> values, boolean stamped) {
        return new Deserializer<>() {
            @Override
            public T deserialize(String t, byte[] data) {
                throw new IllegalStateException("a record of " + topic + " is checked with its headers");
            }

            @Override
            public T deserialize(String t, Headers headers, byte[] data) {
                fail(topic, valueViolations(topic, data, headers, stamped),
                        data == null ? null : new String(data, StandardCharsets.UTF_8));
                return values.deserialize(t, headers, data);
            }
        };
    }

    private static void fail(String topic, List<String> violations, String record) {
        if (!violations.isEmpty()) {
            String shown = record == null || record.length() <= 2000 ? record : record.substring(0, 2000) + "...";
            throw new AssertionError("a record of " + topic + " breaks its contract: " + violations + "\n" + shown);
        }
    }
}

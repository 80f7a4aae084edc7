package dev.chatcentral.schemas.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.schemas.command.CommandRejectedData;
import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.event.AtendenteTypingData;
import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.InstanceStatusData;
import dev.chatcentral.schemas.event.MessageDeletedData;
import dev.chatcentral.schemas.event.MessageEditedData;
import dev.chatcentral.schemas.event.MessageReactionData;
import dev.chatcentral.schemas.event.MessageStatusData;
import dev.chatcentral.schemas.event.PresenceUpdateData;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.event.TypingData;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.serde.JsonSerde;

/**
 * The committed contracts are what {@link ContractGenerator} makes from the records now, and they describe what the
 * serdes really write: records with every property set and with every nullable one null, serialized by their topic's
 * serde, validate against their topic's schema made strict (no property the schema does not name).
 */
class TopicContractsTest {

    private static final Path DIRECTORY = Path.of("src/main/resources/contracts");
    private static final SchemaRegistry REGISTRY =
            SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Instant AT = Instant.parse("2026-11-30T01:02:03.456Z");

    @Test
    void shouldMatchTheCommittedContractsWhenTheRecordsAreUnchanged() throws IOException {
        SortedMap<String, String> generated = ContractGenerator.generate(Topics.ALL);
        if (Boolean.getBoolean("contracts.regenerate")) {
            Files.createDirectories(DIRECTORY);
            for (Path stale : committed()) {
                Files.delete(stale);
            }
            for (Map.Entry<String, String> file : generated.entrySet()) {
                Files.writeString(DIRECTORY.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
            }
        }
        String advice = " under " + ContractGenerator.DIRECTORY + " is not what the records make now: run `"
                + ContractGenerator.REGENERATE_COMMAND + "` from the repository's root and commit the result";
        Set<String> names = new TreeSet<>();
        for (Path file : committed()) {
            names.add(file.getFileName().toString());
        }
        assertThat(names).as("the contract files" + advice).isEqualTo(generated.keySet());
        for (Map.Entry<String, String> file : generated.entrySet()) {
            assertThat(Files.readString(DIRECTORY.resolve(file.getKey()), StandardCharsets.UTF_8))
                    .as(file.getKey() + advice).isEqualTo(file.getValue());
        }
    }

    private static List<Path> committed() throws IOException {
        if (!Files.isDirectory(DIRECTORY)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
        }
    }

    @Test
    void shouldValidateWhatTheSerdeWritesWhenEveryPropertyIsSet() {
        for (TopicSpec<?, ?> topic : Topics.ALL) {
            if (topic.valueSerde() instanceof JsonSerde<?> json) {
                for (Object value : samples(json.type(), true)) {
                    assertValid(topic, value);
                }
            }
        }
    }

    @Test
    void shouldValidateWhatTheSerdeWritesWhenEveryNullablePropertyIsNull() {
        for (TopicSpec<?, ?> topic : Topics.ALL) {
            if (topic.valueSerde() instanceof JsonSerde<?> json) {
                for (Object value : samples(json.type(), false)) {
                    assertValid(topic, value);
                }
            }
        }
    }

    @Test
    void shouldDescribeEveryTopicsKeyAsNonEmptyTextButTheDeadLettersAsTheyArrived() {
        for (TopicSpec<?, ?> topic : Topics.ALL) {
            Schema key = REGISTRY.getSchema(ContractGenerator.keySchema(topic));
            boolean asArrived = topic == Topics.DLQ;
            assertThat(key.validate(Json.MAPPER.getNodeFactory().stringNode("emp-1"))).as(topic.name()).isEmpty();
            assertThat(key.validate(Json.MAPPER.getNodeFactory().stringNode("")).isEmpty()).as(topic.name())
                    .isEqualTo(asArrived);
            assertThat(key.validate(Json.MAPPER.getNodeFactory().nullNode()).isEmpty()).as(topic.name())
                    .isEqualTo(asArrived);
            assertThat(key.validate(Json.MAPPER.getNodeFactory().numberNode(1))).as(topic.name()).isNotEmpty();
        }
    }

    @Test
    void shouldRefuseARecordThatLacksARequiredPropertyOrHasAWrongType() {
        Schema conversas = REGISTRY.getSchema(ContractGenerator.valueSchema(Topics.CONVERSAS));
        ObjectNode conversa = Json.MAPPER.valueToTree(samples(Conversa.class, true).get(0));
        assertThat(conversas.validate(conversa)).isEmpty();

        assertThat(conversas.validate(conversa.deepCopy().without("conversaId"))).isNotEmpty();
        assertThat(conversas.validate(conversa.deepCopy().put("unreadCount", "3"))).isNotEmpty();
        assertThat(conversas.validate(conversa.deepCopy().put("unreadCount", 3_000_000_000L))).isNotEmpty();
        assertThat(conversas.validate(conversa.deepCopy().put("status", "perdida"))).isNotEmpty();
        assertThat(conversas.validate(conversa.deepCopy().put("status", "AGUARDANDO"))).isNotEmpty();
        assertThat(conversas.validate(conversa.deepCopy().put("updatedAt", "yesterday"))).isNotEmpty();
        assertThat(conversas.validate(conversa.deepCopy().put("updatedAt", AT.toEpochMilli()))).isNotEmpty();
        assertThat(conversas.validate(conversa.deepCopy().put("updatedAt", "2026-11-30T01:02:03+01:00")))
                .isNotEmpty();
        assertThat(conversas.validate(conversa.deepCopy().put("version", 1.5))).isNotEmpty();
        assertThat(conversas.validate(Json.MAPPER.getNodeFactory().stringNode("{}"))).isNotEmpty();

        Schema events = REGISTRY.getSchema(ContractGenerator.valueSchema(Topics.EVENTS));
        ObjectNode status = Json.MAPPER.valueToTree(event(EventType.MESSAGE_STATUS, true));
        assertThat(events.validate(status)).isEmpty();
        assertThat(events.validate(status.deepCopy().put("type", "message_teleported"))).isNotEmpty();
        ObjectNode withoutMensagem = status.deepCopy();
        ((ObjectNode) withoutMensagem.get("data")).remove("mensagemId");
        assertThat(events.validate(withoutMensagem)).isNotEmpty();
        // one type's data under another type: a notification carries a conversa and a mensagem
        assertThat(events.validate(status.deepCopy().put("type", EventType.MESSAGE_NOTIFICATION))).isNotEmpty();
    }

    private static void assertValid(TopicSpec<?, ?> topic, Object value) {
        @SuppressWarnings("unchecked")
        JsonSerde<Object> serde = (JsonSerde<Object>) topic.valueSerde();
        RecordHeaders headers = new RecordHeaders();
        byte[] bytes = serde.serializer().serialize(topic.name(), headers, value);
        assertThat(dev.chatcentral.schemas.topic.RecordHeaders.get(headers,
                dev.chatcentral.schemas.topic.RecordHeaders.SCHEMA_VERSION)).isEqualTo("1");
        JsonNode written = Json.MAPPER.readTree(bytes);
        List<Error> errors = REGISTRY.getSchema(strict(ContractGenerator.valueSchema(topic))).validate(written);
        assertThat(errors).as(topic.name() + ": " + written).isEmpty();
    }

    /** The schema with no room for a property it does not name, to catch a property the serde writes unnamed. */
    private static JsonNode strict(JsonNode schema) {
        JsonNode copy = schema.deepCopy();
        closeObjects(copy);
        return copy;
    }

    private static void closeObjects(JsonNode node) {
        if (node instanceof ObjectNode object && object.has("properties")
                && !object.has("additionalProperties")) {
            object.put("additionalProperties", false);
        }
        for (JsonNode child : node) {
            closeObjects(child);
        }
    }

    /** Values of {@code type}: one, or for events one of each event type. */
    private static List<Object> samples(Class<?> type, boolean full) {
        if (type == RealtimeEvent.class) {
            List<Object> events = new ArrayList<>();
            for (String eventType : ContractGenerator.constants(EventType.class)) {
                events.add(event(eventType, full));
            }
            return events;
        }
        return List.of(sample(type, full, type.getName()));
    }

    private static RealtimeEvent event(String type, boolean full) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        Map<String, Class<?>> records = Map.of(EventType.MESSAGE_STATUS, MessageStatusData.class,
                EventType.MESSAGE_EDITED, MessageEditedData.class, EventType.MESSAGE_DELETED, MessageDeletedData.class,
                EventType.MESSAGE_REACTION, MessageReactionData.class, EventType.PRESENCE_UPDATE,
                PresenceUpdateData.class, EventType.TYPING_START, TypingData.class, EventType.TYPING_STOP,
                AtendenteTypingData.class, EventType.INSTANCE_STATUS, InstanceStatusData.class,
                EventType.COMMAND_REJECTED, CommandRejectedData.class);
        if (records.containsKey(type)) {
            data = Json.MAPPER.valueToTree(sample(records.get(type), full, type));
        } else {
            data.set("conversa", Json.MAPPER.valueToTree(sample(Conversa.class, full, type)));
            if (type.equals(EventType.MESSAGE_NOTIFICATION)) {
                data.set("mensagem", Json.MAPPER.valueToTree(sample(Mensagem.class, full, type)));
            } else if (type.equals(EventType.CONVERSATION_TRANSFERRED)) {
                data.put("from", full ? "ana" : null);
                data.put("to", full ? "bia" : null);
                data.put("by", "ana");
            }
        }
        return new RealtimeEvent("event-1", "emp-1", type, List.of("empresa:emp-1"), data, AT);
    }

    /**
     * A value of {@code type} with every property set ({@code full}), or with every reference its record accepts
     * as null left null.
     */
    private static Object sample(Type type, boolean full, String where) {
        if (type instanceof ParameterizedType parameterized) {
            Type[] arguments = parameterized.getActualTypeArguments();
            Object element = sample(arguments[arguments.length - 1], full, where);
            Class<?> raw = (Class<?>) parameterized.getRawType();
            if (Set.class.isAssignableFrom(raw)) {
                return full ? Set.of(element) : Set.of();
            }
            return java.util.Collection.class.isAssignableFrom(raw) ? (full ? List.of(element) : List.of())
                    : Map.of("queue.size", element);
        }
        Class<?> c = (Class<?>) type;
        if (c == String.class) {
            List<String> known = ContractGenerator.STRING_ENUMS.get(where);
            if (known != null) {
                return known.get(0);
            }
            return where.endsWith(".type") || where.endsWith(".kind") || where.endsWith(".status")
                    || where.endsWith(".source") ? knownValue(where) : "x";
        } else if (c == boolean.class || c == Boolean.class) {
            return true;
        } else if (c == int.class || c == Integer.class) {
            return 7;
        } else if (c == long.class || c == Long.class) {
            return 42L;
        } else if (c == double.class || c == Double.class) {
            return 1.5;
        } else if (c == float.class || c == Float.class) {
            return 1.5f;
        } else if (c == java.util.UUID.class) {
            return java.util.UUID.nameUUIDFromBytes(where.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } else if (c == Instant.class) {
            return AT;
        } else if (c == byte[].class) {
            return new byte[] {1, 2, 3};
        } else if (c.isEnum()) {
            Object[] constants = c.getEnumConstants();
            return constants[constants.length - 1];
        } else if (JsonNode.class.isAssignableFrom(c)) {
            return Json.MAPPER.createObjectNode().put("any", 1);
        } else if (c.isRecord()) {
            return record(c, full);
        }
        throw new IllegalArgumentException(where + ": no sample of " + c.getName());
    }

    /** A value the schema lists for a string property that takes known values, "x" for the others. */
    private static String knownValue(String where) {
        JsonNode values = Json.MAPPER.createObjectNode();
        for (TopicSpec<?, ?> topic : Topics.ALL) {
            if (topic.valueSerde() instanceof JsonSerde<?> json
                    && where.startsWith(json.type().getName() + ".")) {
                values = ContractGenerator.valueSchema(topic).path("properties")
                        .path(where.substring(json.type().getName().length() + 1)).path("enum");
            }
        }
        return values.isArray() && !values.isEmpty() ? values.get(0).asString() : "x";
    }

    private static Object record(Class<?> type, boolean full) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            values[i] = sample(components[i].getGenericType(), full, type.getName() + "." + components[i].getName());
        }
        if (full) {
            return construct(type, values);
        }
        // each reference that the record accepts as null, left null
        Set<Integer> nullable = new HashSet<>();
        for (int i = 0; i < components.length; i++) {
            if (!components[i].getType().isPrimitive()) {
                Object[] oneNull = values.clone();
                oneNull[i] = null;
                try {
                    construct(type, oneNull);
                    nullable.add(i);
                } catch (IllegalStateException refused) {
                    // the record never holds null there
                }
            }
        }
        nullable.forEach(i -> values[i] = null);
        return construct(type, values);
    }

    private static Object construct(Class<?> type, Object[] values) {
        Class<?>[] types = Stream.of(type.getRecordComponents()).map(RecordComponent::getType).toArray(Class[]::new);
        try {
            return type.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type.getName() + " refused " + java.util.Arrays.toString(values), e);
        }
    }
}

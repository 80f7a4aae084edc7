package dev.chatcentral.schemas.topic;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import org.apache.kafka.common.serialization.Serdes;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.schemas.command.AgentCommand;
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
import dev.chatcentral.schemas.event.SlaTimerData;
import dev.chatcentral.schemas.event.TypingData;
import dev.chatcentral.schemas.metrics.MetricsSample;
import dev.chatcentral.schemas.metrics.ServiceMetrics;
import dev.chatcentral.schemas.outbound.OutboundMessage;
import dev.chatcentral.schemas.outbound.OutboundResult;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.settings.EmpresaSettings;
import dev.chatcentral.schemas.serde.JsonSerde;
import dev.chatcentral.schemas.signal.Signal;

/**
 * Writes the JSON Schema (draft 2020-12) of the key and the value of every catalog topic from the records their
 * serdes write, as {@link Json#MAPPER} writes them: Jackson's property names ({@code @JsonProperty}), a property
 * written as null unless {@code @JsonInclude} leaves it out (then it may be absent, never null), enums by their wire
 * names ({@code @JsonValue}), instants as {@link Instant#toString()}, byte arrays as base64. The files are committed
 * under {@value #DIRECTORY} and {@link TopicContractsTest} fails when they differ from what this makes.
 */
final class ContractGenerator {

    /** Where the contracts are committed, from the repository's root. */
    static final String DIRECTORY = "schemas/src/main/resources/contracts";
    /** The one command that rewrites them, run from the repository's root. */
    static final String REGENERATE_COMMAND =
            "./mvnw -B -q -pl schemas test -Dtest=TopicContractsTest -Dcontracts.regenerate=true";

    private static final String DRAFT = "https://json-schema.org/draft/2020-12/schema";
    /** {@link Instant#toString()} within years 0 to 9999: UTC, a fraction of 0, 3, 6 or 9 digits. */
    static final String INSTANT_PATTERN =
            "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{3}|\\.[0-9]{6}|\\.[0-9]{9})?Z$";

    /** What each topic's key holds; a topic missing here gets a generic description. */
    private static final Map<String, String> KEYS = Map.ofEntries(
            Map.entry("chat.webhooks", "empresaId"),
            Map.entry("chat.webhooks.retry", "empresaId"),
            Map.entry("chat.dlq", "the original record's key, as it arrived (an empresaId or a conversaId)"),
            Map.entry("chat.media", "empresaId"),
            Map.entry("chat.signals", "empresaId (equal to the value's empresaId)"),
            Map.entry("chat.commands", "empresaId (equal to the value's empresaId)"),
            Map.entry("chat.events", "empresaId (equal to the value's empresaId)"),
            Map.entry("chat.ephemeral", "empresaId (equal to the value's empresaId)"),
            Map.entry("chat.conversas", "conversaId (equal to the value's conversaId)"),
            Map.entry("chat.mensagens", "conversaId (equal to the value's conversaId)"),
            Map.entry("chat.outbound", "instance: the WhatsApp number's Evolution instance name"),
            Map.entry("chat.outbound.results", "empresaId (equal to the value's empresaId)"),
            Map.entry("chat.gateway.heartbeats", "nodeId of the gateway node (equal to the value's nodeId)"),
            Map.entry("chat.presence", "empresaId (equal to the value's empresaId)"),
            Map.entry("chat.empresas", "empresaId (equal to the value's empresaId)"),
            Map.entry("chat.ingest.nodes", "nodeId of the ingest node (equal to the value's nodeId)"),
            Map.entry("chat.metrics", "nodeId of the node that measured (equal to the value's nodeId)"),
            Map.entry("chat.empresa.settings", "empresaId (equal to the value's empresaId)"));

    /** Values that are bytes, not JSON: what they are. */
    private static final Map<String, String> RAW_VALUES = Map.of(
            "chat.dlq", "The original record's value, byte for byte as it was read from original-topic (JSON of "
                    + "that topic's contract, or whatever unreadable bytes were sent to it). The record keeps the "
                    + "original's headers, schema-version included, and adds why it failed: dlq-stage (conversa, presence or sink), "
                    + "error-reason (a short code), error-exception, error-message (at most 4096 characters), "
                    + "original-topic, original-partition, original-offset, empresa-id (when known), attempts, "
                    + "first-failed-at and failed-at (ISO-8601 instants), and redriven-from on a record that failed "
                    + "again after a redrive. All header values are UTF-8 text (docs/consumers.md).",
            "chat.media", "The decoded bytes of one media file that a webhook carried inline (Evolution's base64 "
                    + "field), referenced from the webhook in chat.webhooks by data.message.mediaRef (topic, "
                    + "partition, offset, sizeBytes, mimetype). Headers: empresa-id, correlation-id, schema-version.");

    private ContractGenerator() {
    }

    /** The file name of a topic's key or value contract. */
    static String fileName(TopicSpec<?, ?> topic, boolean key) {
        return topic.name() + (key ? ".key.json" : ".value.json");
    }

    /** Every file of the contracts of {@code topics}, by file name, as committed (pretty, ending with a newline). */
    static SortedMap<String, String> generate(List<TopicSpec<?, ?>> topics) {
        SortedMap<String, String> files = new TreeMap<>();
        for (TopicSpec<?, ?> topic : topics) {
            files.put(fileName(topic, true), text(keySchema(topic)));
            files.put(fileName(topic, false), text(valueSchema(topic)));
        }
        return files;
    }

    private static String text(JsonNode schema) {
        return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(schema) + "\n";
    }

    private static ObjectNode header(TopicSpec<?, ?> topic, String part) {
        ObjectNode schema = Json.MAPPER.createObjectNode();
        schema.put("$schema", DRAFT);
        schema.put("title", topic.name() + " " + part);
        return schema;
    }

    static ObjectNode keySchema(TopicSpec<?, ?> topic) {
        if (!topic.keySerde().getClass().equals(Serdes.String().getClass())) {
            throw new IllegalArgumentException(topic.name() + ": only String keys are described, not "
                    + topic.keySerde().getClass().getName());
        }
        ObjectNode schema = header(topic, "key");
        schema.put("description", "UTF-8 text: " + KEYS.getOrDefault(topic.name(), "see docs/consumers.md")
                + ". Records are partitioned by Kafka's default partitioner over these bytes."
                + (topic == Topics.DLQ ? " Null (no key) or empty when the original record had such a key." : ""));
        if (topic == Topics.DLQ) {
            schema.putArray("type").add("string").add("null");
        } else {
            schema.put("type", "string");
            schema.put("minLength", 1);
        }
        return schema;
    }

    static ObjectNode valueSchema(TopicSpec<?, ?> topic) {
        ObjectNode schema = header(topic, "value");
        String tombstones = topic.compacted()
                ? " Compacted: a record with a null value (a tombstone) deletes its key." : "";
        if (topic.valueSerde() instanceof JsonSerde<?> json) {
            Definitions definitions = new Definitions();
            schema.put("description", "UTF-8 JSON of " + json.type().getName() + ", contract version "
                    + RecordHeaders.CURRENT_SCHEMA_VERSION + " (header " + RecordHeaders.SCHEMA_VERSION
                    + "). Properties may be added within a version: ignore the ones you do not know." + tombstones);
            schema.setAll(definitions.object(json.type()));
            if (json.type() == RealtimeEvent.class) {
                schema.set("allOf", eventData(definitions));
            }
            if (!definitions.defs.isEmpty()) {
                ObjectNode defs = schema.putObject("$defs");
                new TreeMap<>(definitions.defs).forEach(defs::set);
            }
        } else if (topic.valueSerde().getClass().equals(Serdes.ByteArray().getClass())) {
            schema.put("description", RAW_VALUES.getOrDefault(topic.name(), "Raw bytes.") + tombstones);
            schema.put("contentMediaType", "application/octet-stream");
        } else {
            throw new IllegalArgumentException(topic.name() + ": no contract for a value serde "
                    + topic.valueSerde().getClass().getName());
        }
        return schema;
    }

    /** The {@code data} of each event type, by {@code type}: one {@code if}/{@code then} each, in {@code $defs}. */
    private static ArrayNode eventData(Definitions definitions) {
        Map<String, ObjectNode> data = new LinkedHashMap<>();
        data.put(EventType.MESSAGE_NOTIFICATION, properties(definitions, Map.of(
                "conversa", Conversa.class, "mensagem", Mensagem.class)));
        data.put(EventType.MESSAGE_STATUS, definitions.ref(MessageStatusData.class));
        data.put(EventType.MESSAGE_EDITED, definitions.ref(MessageEditedData.class));
        data.put(EventType.MESSAGE_DELETED, definitions.ref(MessageDeletedData.class));
        data.put(EventType.MESSAGE_REACTION, definitions.ref(MessageReactionData.class));
        data.put(EventType.CONVERSATION_UPDATED, properties(definitions, Map.of("conversa", Conversa.class)));
        ObjectNode transferred = properties(definitions, Map.of("conversa", Conversa.class));
        for (String who : List.of("from", "to", "by")) {
            ObjectNode atendente = ((ObjectNode) transferred.get("properties")).putObject(who);
            atendente.putArray("type").add("string").add("null");
            ((ArrayNode) transferred.get("required")).add(who);
        }
        data.put(EventType.CONVERSATION_TRANSFERRED, transferred);
        data.put(EventType.PRESENCE_UPDATE, definitions.ref(PresenceUpdateData.class));
        ObjectNode typing = Json.MAPPER.createObjectNode();
        typing.putArray("anyOf").add(definitions.ref(TypingData.class)).add(definitions.ref(AtendenteTypingData.class));
        data.put(EventType.TYPING_START, typing);
        data.put(EventType.TYPING_STOP, typing);
        data.put(EventType.INSTANCE_STATUS, definitions.ref(InstanceStatusData.class));
        data.put(EventType.COMMAND_REJECTED, definitions.ref(CommandRejectedData.class));
        data.put(EventType.SERVICE_METRICS, definitions.ref(ServiceMetrics.class));
        data.put(EventType.SLA_WARNING, definitions.ref(SlaTimerData.class));
        data.put(EventType.SLA_BREACHED, definitions.ref(SlaTimerData.class));
        List<String> missing = constants(EventType.class).stream().filter(t -> !data.containsKey(t)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("describe the data of event types " + missing + " in "
                    + ContractGenerator.class.getName());
        }
        ArrayNode rules = Json.MAPPER.createArrayNode();
        data.forEach((type, schema) -> {
            definitions.defs.put(type, schema);
            ObjectNode rule = rules.addObject();
            rule.putObject("if").putObject("properties").putObject("type").put("const", type);
            rule.putObject("then").putObject("properties").putObject("data").put("$ref", "#/$defs/" + type);
        });
        return rules;
    }

    private static ObjectNode properties(Definitions definitions, Map<String, Class<?>> members) {
        ObjectNode schema = Json.MAPPER.createObjectNode();
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = schema.putArray("required");
        new TreeMap<>(members).forEach((name, type) -> {
            properties.set(name, definitions.ref(type));
            required.add(name);
        });
        return schema;
    }

    /** The public string constants of {@code holder}: the values a string property takes. */
    static List<String> constants(Class<?> holder) {
        return Arrays.stream(holder.getDeclaredFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && Modifier.isPublic(f.getModifiers())
                        && f.getType() == String.class)
                .map(f -> {
                    try {
                        return (String) f.get(null);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList();
    }

    /** String properties that take one of a known set of values: the values may grow within a version. */
    static final Map<String, List<String>> STRING_ENUMS = Map.of(
            RealtimeEvent.class.getName() + ".type", constants(EventType.class),
            Signal.class.getName() + ".type", constants(Signal.class),
            AgentCommand.class.getName() + ".type", AgentCommand.TYPES,
            OutboundMessage.class.getName() + ".kind",
            List.of(OutboundMessage.REPLY, OutboundMessage.REACTION, OutboundMessage.DELETE),
            OutboundResult.class.getName() + ".status",
            List.of(OutboundResult.SENT, OutboundResult.FAILED, OutboundResult.UNCONFIRMED),
            MetricsSample.class.getName() + ".source", List.of(MetricsSample.PROCESSOR, MetricsSample.GATEWAY),
            EmpresaSettings.Assignment.class.getName() + ".mode", EmpresaSettings.Assignment.MODES,
            SlaTimerData.class.getName() + ".kind", SlaTimerData.KINDS);

    /** The records met while describing one value, each described once under {@code $defs}. */
    private static final class Definitions {

        private final Map<String, JsonNode> defs = new LinkedHashMap<>();

        ObjectNode ref(Class<?> record) {
            String name = record.getSimpleName();
            if (!defs.containsKey(name)) {
                defs.put(name, Json.MAPPER.nullNode());
                defs.put(name, object(record));
            }
            ObjectNode ref = Json.MAPPER.createObjectNode();
            ref.put("$ref", "#/$defs/" + name);
            return ref;
        }

        ObjectNode object(Class<?> record) {
            if (!record.isRecord()) {
                throw new IllegalArgumentException(record.getName() + " is not a record");
            }
            ObjectNode schema = Json.MAPPER.createObjectNode();
            schema.put("type", "object");
            ObjectNode properties = schema.putObject("properties");
            ArrayNode required = Json.MAPPER.createArrayNode();
            JsonInclude classInclude = record.getAnnotation(JsonInclude.class);
            for (RecordComponent component : record.getRecordComponents()) {
                Field field = field(record, component.getName());
                JsonProperty renamed = field.getAnnotation(JsonProperty.class);
                String name = renamed != null && !renamed.value().isEmpty() ? renamed.value() : component.getName();
                JsonInclude include = field.getAnnotation(JsonInclude.class) != null
                        ? field.getAnnotation(JsonInclude.class) : classInclude;
                JsonInclude.Include inclusion = include == null ? JsonInclude.Include.ALWAYS : include.value();
                boolean primitive = component.getType().isPrimitive();
                ObjectNode property = type(component.getGenericType(), record.getName() + "." + component.getName());
                switch (inclusion) {
                    case ALWAYS, USE_DEFAULTS -> {
                        required.add(name);
                        if (!primitive) {
                            nullable(property);
                        }
                    }
                    case NON_NULL, NON_ABSENT -> {
                        // left out when null, so never written as null
                    }
                    case NON_EMPTY -> {
                        if (property.has("items") || property.has("additionalProperties")) {
                            property.put(property.has("items") ? "minItems" : "minProperties", 1);
                        } else if ("string".equals(property.path("type").asString(""))) {
                            property.put("minLength", 1);
                        }
                    }
                    default -> throw new IllegalArgumentException(record.getName() + "." + component.getName()
                            + ": no contract for @JsonInclude(" + inclusion + ")");
                }
                properties.set(name, property);
            }
            if (!required.isEmpty()) {
                schema.set("required", required);
            }
            return schema;
        }

        private static Field field(Class<?> record, String name) {
            try {
                return record.getDeclaredField(name);
            } catch (NoSuchFieldException e) {
                throw new IllegalStateException(e);
            }
        }

        /** A reference may be null: null beside its own type or its record's; any JSON allows it already. */
        private static void nullable(ObjectNode property) {
            JsonNode type = property.get("type");
            if (type != null && type.isString()) {
                property.putArray("type").add(type.asString()).add("null");
                if (property.has("enum")) {
                    ((ArrayNode) property.get("enum")).addNull();
                }
            } else if (property.has("$ref")) {
                ObjectNode copy = property.deepCopy();
                property.removeAll();
                ArrayNode anyOf = property.putArray("anyOf");
                anyOf.add(copy);
                anyOf.addObject().put("type", "null");
            }
        }

        private ObjectNode type(Type type, String where) {
            ObjectNode schema = Json.MAPPER.createObjectNode();
            if (type instanceof ParameterizedType parameterized) {
                Class<?> raw = (Class<?>) parameterized.getRawType();
                Type[] arguments = parameterized.getActualTypeArguments();
                if (java.util.Collection.class.isAssignableFrom(raw)) {
                    schema.put("type", "array");
                    schema.set("items", type(arguments[0], where + "[]"));
                    if (java.util.Set.class.isAssignableFrom(raw)) {
                        schema.put("uniqueItems", true);
                    }
                } else if (Map.class.isAssignableFrom(raw) && arguments[0] == String.class) {
                    schema.put("type", "object");
                    schema.set("additionalProperties", type(arguments[1], where + "{}"));
                } else {
                    throw new IllegalArgumentException(where + ": no contract for " + type);
                }
                return schema;
            }
            Class<?> c = (Class<?>) type;
            if (c == String.class) {
                schema.put("type", "string");
                List<String> values = STRING_ENUMS.get(where);
                if (values != null) {
                    values.forEach(schema.putArray("enum")::add);
                }
            } else if (c == boolean.class || c == Boolean.class) {
                schema.put("type", "boolean");
            } else if (c == int.class || c == Integer.class) {
                schema.put("type", "integer");
                schema.put("minimum", Integer.MIN_VALUE);
                schema.put("maximum", Integer.MAX_VALUE);
            } else if (c == long.class || c == Long.class) {
                schema.put("type", "integer");
            } else if (c == double.class || c == Double.class || c == float.class || c == Float.class) {
                schema.put("type", "number");
            } else if (c == java.util.UUID.class) {
                schema.put("type", "string");
                schema.put("format", "uuid");
            } else if (c == Instant.class) {
                schema.put("type", "string");
                schema.put("format", "date-time");
                schema.put("pattern", INSTANT_PATTERN);
            } else if (c == byte[].class) {
                schema.put("type", "string");
                schema.put("contentEncoding", "base64");
            } else if (c.isEnum()) {
                schema.put("type", "string");
                ArrayNode values = schema.putArray("enum");
                for (Object constant : c.getEnumConstants()) {
                    // as the mapper writes it: its @JsonValue, or its name
                    values.add(Json.MAPPER.valueToTree(constant).asString());
                }
            } else if (JsonNode.class.isAssignableFrom(c)) {
                schema.put("description", "any JSON: its shape depends on the record's type or event");
            } else if (c.isRecord()) {
                return ref(c);
            } else {
                throw new IllegalArgumentException(where + ": no contract for " + c.getName());
            }
            return schema;
        }
    }
}

package dev.chatcentral.schemas.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import dev.chatcentral.schemas.conversa.MensagemStatus;
import dev.chatcentral.schemas.serde.Json;

/**
 * docs/asyncapi.yaml is a valid AsyncAPI 3.0.0 document, every {@code $ref} in it resolves (in the document, or in
 * the topics' generated contracts), the event types it lists are the code's {@link EventType} constants, and each
 * type's {@code data} is the one of the {@code chat.events} contract, so a frame the gateway sends validates against
 * it; the payloads it explains in words name the same properties as the contract.
 */
class AsyncApiDocumentTest {

    private static final Path DOCUMENT = Path.of("../docs/asyncapi.yaml");
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    @Test
    void shouldBeAValidAsyncApiDocumentWhenCheckedAgainstTheSpecificationsSchema() throws IOException {
        JsonNode document = YAML.readTree(Files.readString(DOCUMENT));
        try (InputStream specification = getClass().getResourceAsStream("/asyncapi/3.0.0-without-id.json")) {
            Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
                    .getSchema(Json.MAPPER.readTree(specification));
            assertThat(schema.validate(document)).isEmpty();
        }
    }

    @Test
    void shouldResolveEveryReferenceWhenItPointsInTheDocumentOrAtAContract() throws IOException {
        JsonNode document = YAML.readTree(Files.readString(DOCUMENT));
        List<String> refs = new ArrayList<>();
        collectRefs(document, refs);
        assertThat(refs).isNotEmpty();
        List<String> unresolved = new ArrayList<>();
        for (String ref : refs) {
            int hash = ref.indexOf('#');
            String file = hash < 0 ? ref : ref.substring(0, hash);
            String pointer = hash < 0 ? "" : ref.substring(hash + 1);
            JsonNode target;
            if (file.isEmpty()) {
                target = document;
            } else {
                Path path = DOCUMENT.getParent().resolve(file).normalize();
                target = Files.isRegularFile(path) ? Json.MAPPER.readTree(path.toFile()) : null;
            }
            if (target == null || target.at(pointer).isMissingNode()) {
                unresolved.add(ref);
            }
        }
        assertThat(unresolved).as("references that resolve to nothing").isEmpty();
    }

    @Test
    void shouldListTheCodesEventTypesEachWithItsContractsData() throws IOException {
        JsonNode payload = YAML.readTree(Files.readString(DOCUMENT)).at("/components/messages/event/payload");
        Set<String> listed = new TreeSet<>();
        payload.at("/properties/type/enum").forEach(t -> listed.add(t.asString()));
        Set<String> code = new TreeSet<>(constants());
        assertThat(listed).isEqualTo(code);

        Set<String> described = new TreeSet<>();
        for (JsonNode rule : payload.path("allOf")) {
            String type = rule.at("/if/properties/type/const").asString();
            assertThat(rule.at("/then/properties/data/$ref").asString())
                    .isEqualTo("../schemas/src/main/resources/contracts/chat.events.value.json#/$defs/" + type);
            described.add(type);
        }
        assertThat(described).isEqualTo(code);
    }

    @Test
    void shouldNameTheContractsPropertiesWhereItExplainsAPayloadInWords() throws IOException {
        JsonNode explained = YAML.readTree(Files.readString(DOCUMENT)).at("/components/schemas");
        JsonNode contracts = Json.MAPPER.readTree(DOCUMENT.getParent()
                .resolve("../schemas/src/main/resources/contracts/chat.events.value.json").toFile()).path("$defs");
        Map<String, String> records = Map.of("mensagem", "Mensagem", "reaction", "Reaction",
                "messageStatusData", "MessageStatusData", "messageEditedData", "MessageEditedData",
                "messageDeletedData", "MessageDeletedData", "messageReactionData", "MessageReactionData",
                "instanceStatusData", "InstanceStatusData");
        records.forEach((component, record) -> {
            Set<String> inWords = new TreeSet<>(explained.path(component).path("properties").propertyNames());
            Set<String> inCode = new TreeSet<>(contracts.path(record).path("properties").propertyNames());
            assertThat(inWords).as(component + " beside the contract's " + record).isEqualTo(inCode);
        });
    }

    @Test
    void shouldValidateAFrameTheGatewaySendsAndRefuseOneWhoseDataIsNotItsTypes() {
        // the repository served under one base, so the document's relative references reach the contracts
        String base = "https://chat-central.test/";
        Path root = DOCUMENT.toAbsolutePath().getParent().getParent().normalize();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemas(iri -> {
                    if (!iri.startsWith(base)) {
                        return null;
                    }
                    Path file = root.resolve(iri.substring(base.length())).normalize();
                    try {
                        String text = Files.readString(file);
                        return file.toString().endsWith(".yaml")
                                ? Json.MAPPER.writeValueAsString(YAML.readTree(text)) : text;
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));
        Schema frames = registry.getSchema(SchemaLocation.of(base + "docs/asyncapi.yaml"
                + "#/components/messages/event/payload"));
        MessageStatusData data = new MessageStatusData("conv-1", "men-1", "BAE5F00D", true, MensagemStatus.READ,
                MensagemStatus.DELIVERY_ACK);
        ObjectNode frame = Json.MAPPER.createObjectNode().put("type", EventType.MESSAGE_STATUS)
                .put("channel", "conversa:conv-1").put("id", "event-1");
        frame.set("data", Json.MAPPER.valueToTree(data));
        frame.put("position", 42).put("ts", Instant.parse("2026-11-30T01:02:03Z").toString());

        assertThat(frames.validate(frame)).isEmpty();
        assertThat(frames.validate(frame.deepCopy().put("type", EventType.PRESENCE_UPDATE))).isNotEmpty();
        ObjectNode withoutStatus = frame.deepCopy();
        ((ObjectNode) withoutStatus.get("data")).remove("status");
        assertThat(frames.validate(withoutStatus)).isNotEmpty();
        assertThat(frames.validate(frame.deepCopy().put("type", "message_teleported"))).isNotEmpty();
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (field.getKey().equals("$ref") && field.getValue().isString()) {
                    refs.add(field.getValue().asString());
                } else {
                    collectRefs(field.getValue(), refs);
                }
            }
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, refs));
        }
    }

    private static List<String> constants() {
        List<String> values = new ArrayList<>();
        for (var field : EventType.class.getDeclaredFields()) {
            if (java.lang.reflect.Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                try {
                    values.add((String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return values;
    }
}

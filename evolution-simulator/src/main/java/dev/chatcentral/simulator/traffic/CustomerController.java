package dev.chatcentral.simulator.traffic;

import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.simulator.SimulatorProperties.Target;
import dev.chatcentral.simulator.instance.EmpresaWebhooks;
import dev.chatcentral.simulator.instance.MessageStore;
import dev.chatcentral.simulator.instance.Targets;
import dev.chatcentral.simulator.webhook.Delivery;
import dev.chatcentral.simulator.webhook.EvolutionPayloads;

/**
 * A customer of a configured instance, on demand, for demos and browser tests:
 * {@code POST /simulator/instances/{instance}/messages {"phone":"5511987654321","name":"Maria","text":"Oi"}} posts a
 * {@code messages.upsert} to the ingest as Evolution would and answers with its WhatsApp key id and the ingest's
 * status; {@code POST .../presence {"phone":"5511987654321","presence":"composing"}} posts the customer's typing
 * ({@code composing}, {@code paused}, {@code available}). A silent instance posts nothing and says
 * {@code "silenced":true}; the message is still stored, as Evolution stores what it receives.
 */
@RestController
class CustomerController {

    private static final Pattern PHONE = Pattern.compile("[0-9]{8,15}");
    private static final int MAX_NAME = 256;
    /** WhatsApp's own limit on a text. */
    private static final int MAX_TEXT = 65_536;

    private final Targets targets;
    private final EmpresaWebhooks webhooks;
    private final MessageStore store;

    CustomerController(Targets targets, EmpresaWebhooks webhooks, MessageStore store) {
        this.targets = targets;
        this.webhooks = webhooks;
        this.store = store;
    }

    @PostMapping("/simulator/instances/{instance}/messages")
    ResponseEntity<JsonNode> message(@PathVariable String instance, @RequestBody JsonNode body) {
        Target target = targets.byInstance(instance).orElse(null);
        if (target == null) {
            return error(HttpStatus.NOT_FOUND, "unknown_instance", "no target of this simulator has instance "
                    + instance);
        }
        String phone = string(body, "phone");
        String name = string(body, "name");
        String text = string(body, "text");
        if (phone == null || !PHONE.matcher(phone).matches()) {
            return invalid("phone is required: 8 to 15 digits");
        }
        if (name != null && name.length() > MAX_NAME) {
            return invalid("name must be at most " + MAX_NAME + " characters");
        }
        if (text == null || text.isEmpty() || text.length() > MAX_TEXT) {
            return invalid("text is required: 1 to " + MAX_TEXT + " characters");
        }
        String keyId = EvolutionPayloads.newKeyId();
        ObjectNode message = EvolutionPayloads.customerText(target.instance(), phone, name == null ? phone : name,
                text, keyId, Instant.now().getEpochSecond());
        store.add(target.instance(), (ObjectNode) message.get("data"));
        return answer(webhooks.deliver(target, message), Json.MAPPER.createObjectNode().put("keyId", keyId));
    }

    @PostMapping("/simulator/instances/{instance}/presence")
    ResponseEntity<JsonNode> presence(@PathVariable String instance, @RequestBody JsonNode body) {
        Target target = targets.byInstance(instance).orElse(null);
        if (target == null) {
            return error(HttpStatus.NOT_FOUND, "unknown_instance", "no target of this simulator has instance "
                    + instance);
        }
        String phone = string(body, "phone");
        String presence = string(body, "presence");
        if (phone == null || !PHONE.matcher(phone).matches()) {
            return invalid("phone is required: 8 to 15 digits");
        }
        if (!"composing".equals(presence) && !"paused".equals(presence) && !"available".equals(presence)) {
            return invalid("presence must be composing, paused or available");
        }
        return answer(webhooks.deliver(target, EvolutionPayloads.presence(target.instance(), phone, presence)),
                Json.MAPPER.createObjectNode());
    }

    /** 200 with the ingest's status when it took the webhook (or silenced), 502 with it when it did not. */
    private static ResponseEntity<JsonNode> answer(Optional<Delivery> posted, ObjectNode body) {
        if (posted.isEmpty()) {
            return ResponseEntity.ok(body.put("silenced", true));
        }
        Delivery delivery = posted.get();
        body.put("ingestStatus", delivery.status());
        if (delivery.accepted()) {
            return ResponseEntity.ok(body);
        }
        body.put("error", "ingest_refused").put("reason", String.valueOf(delivery.detail()));
        return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(body);
    }

    private static String string(JsonNode body, String field) {
        JsonNode value = body == null ? null : body.get(field);
        return value != null && value.isString() ? value.asString() : null;
    }

    private static ResponseEntity<JsonNode> invalid(String reason) {
        return error(HttpStatus.BAD_REQUEST, "invalid_request", reason);
    }

    private static ResponseEntity<JsonNode> error(HttpStatus status, String code, String reason) {
        return ResponseEntity.status(status).body(Json.MAPPER.createObjectNode().put("error", code)
                .put("reason", reason));
    }
}

package dev.chatcentral.simulator.actions;

import java.time.Instant;
import java.util.Optional;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.schemas.evolution.EvolutionEvent;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.simulator.SimulatorProperties.Target;
import dev.chatcentral.simulator.instance.EmpresaWebhooks;
import dev.chatcentral.simulator.instance.MessageStore;
import dev.chatcentral.simulator.instance.Targets;
import dev.chatcentral.simulator.request.Fields;
import dev.chatcentral.simulator.request.InvalidRequest;
import dev.chatcentral.simulator.request.UnknownInstance;
import dev.chatcentral.simulator.webhook.ActionPayloads;
import dev.chatcentral.simulator.webhook.Delivery;
import dev.chatcentral.simulator.webhook.EvolutionPayloads;

/**
 * What a customer does to messages, on demand, posted to the instance's empresa in each form Evolution v2.3 uses:
 * <ul>
 * <li>{@code POST /simulator/instances/{instance}/edits {"keyId","phone"|"remoteJid","fromMe":false,"text",
 * "form":"edited"|"upsert"}}: {@code messages.edited} with the MESSAGE_EDIT protocolMessage, or a
 * {@code messages.upsert} of an {@code editedMessage};</li>
 * <li>{@code POST .../revokes {"keyId","phone"|"remoteJid","fromMe","form":"delete"|"edited"|"update"}}:
 * {@code messages.delete} with the key, {@code messages.edited} with a REVOKE protocolMessage, or
 * {@code messages.update} with status DELETED;</li>
 * <li>{@code POST .../reactions {"keyId","phone"|"remoteJid","targetFromMe","emoji"}} ("" removes): a
 * {@code messages.upsert} of a {@code reactionMessage}.</li>
 * </ul>
 * Each answers 202 with the event and data posted and the ingest's status, 502 when the ingest refused it, and
 * {@code "silenced":true} instead of a status when the instance is silent.
 */
@RestController
class CustomerActionsController {

    private static final int MAX_NAME = 256;

    private final Targets targets;
    private final EmpresaWebhooks webhooks;
    private final MessageStore store;

    CustomerActionsController(Targets targets, EmpresaWebhooks webhooks, MessageStore store) {
        this.targets = targets;
        this.webhooks = webhooks;
        this.store = store;
    }

    @PostMapping("/simulator/instances/{instance}/edits")
    ResponseEntity<JsonNode> edit(@PathVariable String instance, @RequestBody JsonNode body) {
        Target target = target(instance);
        Fields.object(body);
        String keyId = Fields.keyId(body, "keyId");
        String jid = Fields.customerJid(body);
        boolean fromMe = Fields.bool(body, "fromMe", false);
        String text = Fields.text(body, "text", 1, Fields.MAX_TEXT);
        String form = form(body, "edited", "edited", "upsert");
        String pushName = pushName(instance, body, jid, fromMe);
        Instant now = Instant.now();
        ObjectNode edit = ActionPayloads.edit(ActionPayloads.key(jid, fromMe, keyId), text, now);
        ObjectNode envelope = "edited".equals(form) ? ActionPayloads.messagesEdited(instance, edit)
                : ActionPayloads.editUpsert(instance, ActionPayloads.key(jid, fromMe, keyId), pushName, edit,
                        EvolutionPayloads.newKeyId(), now);
        return post(target, envelope);
    }

    @PostMapping("/simulator/instances/{instance}/revokes")
    ResponseEntity<JsonNode> revoke(@PathVariable String instance, @RequestBody JsonNode body) {
        Target target = target(instance);
        Fields.object(body);
        ObjectNode key = ActionPayloads.key(Fields.customerJid(body), Fields.bool(body, "fromMe", false),
                Fields.keyId(body, "keyId"));
        ObjectNode envelope = switch (form(body, "delete", "delete", "edited", "update")) {
            case "edited" -> ActionPayloads.messagesEdited(instance, ActionPayloads.revoke(key));
            case "update" -> ActionPayloads.deletedUpdate(instance, key);
            default -> ActionPayloads.messagesDelete(instance, key);
        };
        return post(target, envelope);
    }

    @PostMapping("/simulator/instances/{instance}/reactions")
    ResponseEntity<JsonNode> react(@PathVariable String instance, @RequestBody JsonNode body) {
        Target target = target(instance);
        Fields.object(body);
        String keyId = Fields.keyId(body, "keyId");
        String jid = Fields.customerJid(body);
        boolean targetFromMe = Fields.bool(body, "targetFromMe");
        String emoji = Fields.optionalText(body, "emoji", Fields.MAX_EMOJI);
        if (emoji == null) {
            throw new InvalidRequest("emoji is required: an emoji, or \"\" to remove the reaction");
        }
        ObjectNode envelope = ActionPayloads.customerReaction(instance, jid, pushName(instance, body, jid, false),
                ActionPayloads.key(jid, targetFromMe, keyId), emoji, EvolutionPayloads.newKeyId(), Instant.now());
        return post(target, envelope);
    }

    private Target target(String instance) {
        return targets.byInstance(instance).orElseThrow(() -> new UnknownInstance(instance));
    }

    /** The instance's profile for its own messages; else the {@code name} given, or the customer's number. */
    private static String pushName(String instance, JsonNode body, String jid, boolean fromMe) {
        if (fromMe) {
            return EvolutionPayloads.profileName(instance);
        }
        String name = Fields.optionalText(body, "name", MAX_NAME);
        return name != null && !name.isBlank() ? name : jid.substring(0, jid.indexOf('@'));
    }

    private static String form(JsonNode body, String otherwise, String... forms) {
        String form = Fields.optionalText(body, "form", 16);
        if (form == null) {
            return otherwise;
        }
        for (String known : forms) {
            if (known.equals(form)) {
                return form;
            }
        }
        throw new InvalidRequest("form must be one of " + String.join(", ", forms) + ", was " + form);
    }

    private ResponseEntity<JsonNode> post(Target target, ObjectNode envelope) {
        if (EvolutionEvent.MESSAGES_UPSERT.equals(envelope.get("event").asString())) {
            // Evolution stores what it receives whether or not the webhook gets through
            store.add(target.instance(), (ObjectNode) envelope.get("data"));
        }
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.set("event", envelope.get("event"));
        answer.set("data", envelope.get("data"));
        Optional<Delivery> delivery = webhooks.deliver(target, envelope);
        if (delivery.isEmpty()) {
            return ResponseEntity.status(HttpStatus.ACCEPTED).body(answer.put("silenced", true));
        }
        answer.put("ingestStatus", delivery.get().status());
        if (delivery.get().accepted()) {
            return ResponseEntity.status(HttpStatus.ACCEPTED).body(answer);
        }
        answer.put("error", "ingest_refused").put("reason", String.valueOf(delivery.get().detail()));
        return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(answer);
    }
}

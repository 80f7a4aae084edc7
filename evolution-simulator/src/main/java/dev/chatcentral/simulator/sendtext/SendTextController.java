package dev.chatcentral.simulator.sendtext;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.simulator.SimulatorProperties;
import dev.chatcentral.simulator.SimulatorProperties.Target;
import dev.chatcentral.simulator.webhook.EvolutionPayloads;
import dev.chatcentral.simulator.webhook.WebhookSender;

/**
 * Evolution's {@code POST /message/sendText/{instance}} (reference/evolution-api.md, "Sending a reply"): checks
 * {@code apikey} (the instance's token or the global key), answers as the instance's {@link Behavior} says (201 by
 * default), and after a 201, like WhatsApp, reports the message to the instance's empresa: {@code send.message},
 * then receipts DELIVERY_ACK and READ as {@code messages.update}. Every call is kept in the {@link CallLog}.
 */
@RestController
class SendTextController {

    private static final Logger log = LoggerFactory.getLogger(SendTextController.class);
    private static final Pattern PHONE = Pattern.compile("\\d{10,15}");
    private static final Duration DELIVERED_AFTER = Duration.ofSeconds(1);
    private static final Duration READ_AFTER = Duration.ofSeconds(3);

    private final SimulatorProperties properties;
    private final WebhookSender sender;
    private final TaskScheduler scheduler;
    private final SendTextProperties sendText;
    private final InstanceBehaviors behaviors;
    private final CallLog calls;

    SendTextController(SimulatorProperties properties, WebhookSender sender, TaskScheduler scheduler,
                       SendTextProperties sendText, InstanceBehaviors behaviors, CallLog calls) {
        this.properties = properties;
        this.sender = sender;
        this.scheduler = scheduler;
        this.sendText = sendText;
        this.behaviors = behaviors;
        this.calls = calls;
    }

    @PostMapping("/message/sendText/{instance}")
    ResponseEntity<JsonNode> sendText(@PathVariable String instance,
            @RequestHeader(name = "apikey", required = false) String apikey, @RequestBody JsonNode body)
            throws InterruptedException {
        String number = body.path("number").asString("").replace("+", "");
        String text = body.path("text").asString("");
        ResponseEntity<JsonNode> answer = answer(instance, apikey, number, text);
        JsonNode keyId = answer.getBody() == null ? null : answer.getBody().at("/key/id");
        calls.add(instance, new CallLog.Call(number, text, answer.getStatusCode().value(),
                keyId == null || keyId.isMissingNode() ? null : keyId.asString(), Instant.now()));
        return answer;
    }

    private ResponseEntity<JsonNode> answer(String instance, String apikey, String number, String text)
            throws InterruptedException {
        if (!EvolutionPayloads.apikey(instance).equals(apikey) && !sendText.globalApikey().equals(apikey)) {
            return unauthorized();
        }
        InstanceBehaviors.Answer behavior = behaviors.next(instance);
        if (!behavior.delay().isZero()) {
            Thread.sleep(behavior.delay().toMillis());
        }
        return switch (behavior.mode()) {
            case SERVER_ERROR -> error(HttpStatus.INTERNAL_SERVER_ERROR,
                    Json.MAPPER.createArrayNode().add("Connection Closed"));
            case UNAUTHORIZED -> unauthorized();
            case NOT_ON_WHATSAPP -> notOnWhatsApp(number);
            case OK, SLOW -> send(instance, number, text);
        };
    }

    private ResponseEntity<JsonNode> send(String instance, String number, String text) {
        if (text.isBlank()) {
            return error(HttpStatus.BAD_REQUEST, Json.MAPPER.createArrayNode().add("text is required"));
        }
        if (!number.contains("@") && !PHONE.matcher(number).matches()) {
            return notOnWhatsApp(number);
        }
        String remoteJid = number.contains("@") ? number : EvolutionPayloads.jid(number);
        ObjectNode sent = EvolutionPayloads.sentText(instance, remoteJid, text, EvolutionPayloads.newWebKeyId(),
                Instant.now().getEpochSecond());
        target(instance).ifPresent(target -> reportToEmpresa(target, remoteJid, sent));
        return ResponseEntity.status(HttpStatus.CREATED).body(sent);
    }

    private static ResponseEntity<JsonNode> notOnWhatsApp(String number) {
        String remoteJid = number.contains("@") ? number : EvolutionPayloads.jid(number);
        ObjectNode notOnWhatsApp = Json.MAPPER.createObjectNode()
                .put("jid", remoteJid).put("exists", false).put("number", number);
        return error(HttpStatus.BAD_REQUEST, Json.MAPPER.createArrayNode().add(notOnWhatsApp));
    }

    private static ResponseEntity<JsonNode> unauthorized() {
        return error(HttpStatus.UNAUTHORIZED, Json.MAPPER.getNodeFactory().stringNode("Unauthorized"));
    }

    private void reportToEmpresa(Target target, String remoteJid, ObjectNode sent) {
        String keyId = sent.at("/key/id").asString();
        post(target, EvolutionPayloads.sendMessage(target.instance(), sent));
        if (remoteJid.endsWith(EvolutionPayloads.PERSONAL_JID_SUFFIX)) {
            String phone = remoteJid.substring(0, remoteJid.length() - EvolutionPayloads.PERSONAL_JID_SUFFIX.length());
            scheduler.schedule(() -> post(target, EvolutionPayloads.receipt(target.instance(), phone, keyId,
                    EvolutionPayloads.STATUS_DELIVERY_ACK)), Instant.now().plus(DELIVERED_AFTER));
            scheduler.schedule(() -> post(target, EvolutionPayloads.receipt(target.instance(), phone, keyId,
                    EvolutionPayloads.STATUS_READ)), Instant.now().plus(READ_AFTER));
        }
        log.info("sent {} to {} for empresa {}", keyId, remoteJid, target.empresaId());
    }

    private void post(Target target, ObjectNode envelope) {
        URI url = WebhookSender.webhookUrl(properties.ingestUrl(), target.empresaId(),
                envelope.get("event").asString(), properties.byEvents());
        sender.send(url, target.secret(), envelope);
    }

    private Optional<Target> target(String instance) {
        return properties.targets().stream().filter(t -> t.instance().equals(instance)).findFirst();
    }

    /** Evolution's error body: {"status":400,"error":"Bad Request","response":{"message":...}}. */
    private static ResponseEntity<JsonNode> error(HttpStatus status, JsonNode message) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("status", status.value());
        body.put("error", status.getReasonPhrase());
        body.putObject("response").set("message", message);
        return ResponseEntity.status(status).body(body);
    }
}

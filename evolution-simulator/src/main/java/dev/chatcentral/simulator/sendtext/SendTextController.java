package dev.chatcentral.simulator.sendtext;

import java.time.Instant;
import java.util.regex.Pattern;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.simulator.request.EvolutionErrors;
import dev.chatcentral.simulator.webhook.EvolutionPayloads;

/**
 * Evolution's {@code POST /message/sendText/{instance}} (reference/evolution-api.md, "Sending a reply"): played by
 * {@link Playback} (apikey, behavior), answered 201 with the sent message, which the {@link Outbox} stores and
 * reports to the instance's empresa: {@code send.message}, then receipts DELIVERY_ACK and READ.
 */
@RestController
class SendTextController {

    private static final Pattern PHONE = Pattern.compile("\\d{10,15}");

    private final Playback playback;
    private final Outbox outbox;

    SendTextController(Playback playback, Outbox outbox) {
        this.playback = playback;
        this.outbox = outbox;
    }

    @PostMapping("/message/sendText/{instance}")
    ResponseEntity<JsonNode> sendText(@PathVariable String instance,
            @RequestHeader(name = "apikey", required = false) String apikey, @RequestBody JsonNode body)
            throws InterruptedException {
        String number = body.path("number").asString("").replace("+", "");
        String text = body.path("text").asString("");
        return playback.play(instance, apikey, new Playback.Asked(CallLog.SEND_TEXT, number, text, null),
                () -> null, ignored -> send(instance, number, text));
    }

    private ResponseEntity<JsonNode> send(String instance, String number, String text) {
        if (text.isBlank()) {
            return EvolutionErrors.badRequest("text is required");
        }
        if (!number.contains("@") && !PHONE.matcher(number).matches()) {
            return Playback.notOnWhatsApp(number);
        }
        String remoteJid = number.contains("@") ? number : EvolutionPayloads.jid(number);
        ObjectNode sent = EvolutionPayloads.sentText(instance, remoteJid, text, EvolutionPayloads.newWebKeyId(),
                Instant.now().getEpochSecond());
        outbox.sent(instance, sent, true);
        return ResponseEntity.status(HttpStatus.CREATED).body(sent);
    }
}

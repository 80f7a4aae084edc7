package dev.chatcentral.simulator.sendtext;

import java.time.Instant;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.simulator.request.Fields;
import dev.chatcentral.simulator.webhook.ActionPayloads;
import dev.chatcentral.simulator.webhook.EvolutionPayloads;

/**
 * Evolution's {@code DELETE /chat/deleteMessageForEveryone/{instance}}
 * {@code {"id","remoteJid","fromMe","participant"?}}: played like sendText, answered 201 with the REVOKE protocol
 * message sent; the empresa gets {@code messages.delete} with the deleted message's key.
 */
@RestController
class DeleteForEveryoneController {

    private final Playback playback;
    private final Outbox outbox;

    DeleteForEveryoneController(Playback playback, Outbox outbox) {
        this.playback = playback;
        this.outbox = outbox;
    }

    @DeleteMapping("/chat/deleteMessageForEveryone/{instance}")
    ResponseEntity<JsonNode> delete(@PathVariable String instance,
            @RequestHeader(name = "apikey", required = false) String apikey, @RequestBody JsonNode body)
            throws InterruptedException {
        Playback.Asked asked = Playback.Asked.of(CallLog.DELETE_FOR_EVERYONE, body.path("remoteJid"), null,
                body.path("id"));
        return playback.play(instance, apikey, asked, () -> TargetKeys.of(Fields.object(body), "body"),
                targetKey -> send(instance, targetKey));
    }

    private ResponseEntity<JsonNode> send(String instance, ObjectNode targetKey) {
        ObjectNode protocolKey = ActionPayloads.key(targetKey.get("remoteJid").asString(),
                targetKey.get("fromMe").booleanValue(), targetKey.get("id").asString());
        ObjectNode revoke = ActionPayloads.sentRevoke(protocolKey, EvolutionPayloads.newWebKeyId(), Instant.now());
        outbox.revoked(instance, revoke, targetKey);
        return ResponseEntity.status(HttpStatus.CREATED).body(revoke);
    }
}

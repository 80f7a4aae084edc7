package dev.chatcentral.simulator.sendtext;

import java.time.Instant;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.simulator.request.Fields;
import dev.chatcentral.simulator.request.InvalidRequest;
import dev.chatcentral.simulator.webhook.ActionPayloads;
import dev.chatcentral.simulator.webhook.EvolutionPayloads;

/**
 * Evolution's {@code POST /message/sendReaction/{instance}}
 * {@code {"key":{"remoteJid","fromMe","id"},"reaction":"👍"}} (an empty reaction removes it): played like sendText,
 * answered 201 with the reaction message sent, which is posted to the empresa as {@code send.message}.
 */
@RestController
class ReactionController {

    private final Playback playback;
    private final Outbox outbox;

    ReactionController(Playback playback, Outbox outbox) {
        this.playback = playback;
        this.outbox = outbox;
    }

    private record Reaction(ObjectNode targetKey, String emoji) {
    }

    @PostMapping("/message/sendReaction/{instance}")
    ResponseEntity<JsonNode> sendReaction(@PathVariable String instance,
            @RequestHeader(name = "apikey", required = false) String apikey, @RequestBody JsonNode body)
            throws InterruptedException {
        Playback.Asked asked = Playback.Asked.of(CallLog.SEND_REACTION, body.at("/key/remoteJid"),
                body.path("reaction"), body.at("/key/id"));
        return playback.play(instance, apikey, asked, () -> parse(body), reaction -> send(instance, reaction));
    }

    private ResponseEntity<JsonNode> send(String instance, Reaction reaction) {
        ObjectNode sent = ActionPayloads.sentReaction(instance, reaction.targetKey(), reaction.emoji(),
                EvolutionPayloads.newWebKeyId(), Instant.now());
        outbox.sent(instance, sent, false);
        return ResponseEntity.status(HttpStatus.CREATED).body(sent);
    }

    private static Reaction parse(JsonNode body) {
        Fields.object(body);
        String emoji = Fields.optionalText(body, "reaction", Fields.MAX_EMOJI);
        if (emoji == null) {
            throw new InvalidRequest("reaction is required: an emoji, or \"\" to remove the reaction");
        }
        return new Reaction(TargetKeys.of(body.get("key"), "key"), emoji);
    }
}

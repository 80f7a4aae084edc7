package dev.chatcentral.simulator.sendtext;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.simulator.request.EvolutionErrors;
import dev.chatcentral.simulator.request.Fields;
import dev.chatcentral.simulator.request.InvalidRequest;
import dev.chatcentral.simulator.webhook.EvolutionPayloads;

/**
 * How every sending call of the faked Evolution API is played: {@code apikey} checked (401), the body read (400),
 * then the instance's {@link Behavior}: after its delay, an error or the send itself. The send runs on a scheduler
 * when the delay ends, not on the caller's thread, so a message is sent, stored and reported even when the caller
 * gave up waiting, as WhatsApp sends what Evolution was asked to send. Every call is kept in the {@link CallLog}.
 */
@Component
class Playback {

    /** What a call asked for, as the call log shows it: strings of the body, cut short, or null. */
    record Asked(String kind, String number, String text, String targetKeyId) {

        private static final int MAX_SHOWN = 256;

        Asked {
            number = cut(number, MAX_SHOWN);
            text = cut(text, Fields.MAX_TEXT);
            targetKeyId = cut(targetKeyId, MAX_SHOWN);
        }

        static Asked of(String kind, JsonNode number, JsonNode text, JsonNode targetKeyId) {
            return new Asked(kind, string(number), string(text), string(targetKeyId));
        }

        private static String string(JsonNode node) {
            return node != null && node.isString() ? node.asString() : null;
        }

        private static String cut(String value, int max) {
            return value != null && value.length() > max ? value.substring(0, max) : value;
        }
    }

    private final ApiKeys apiKeys;
    private final InstanceBehaviors behaviors;
    private final CallLog calls;
    private final TaskScheduler scheduler;

    Playback(ApiKeys apiKeys, InstanceBehaviors behaviors, CallLog calls, TaskScheduler scheduler) {
        this.apiKeys = apiKeys;
        this.behaviors = behaviors;
        this.calls = calls;
        this.scheduler = scheduler;
    }

    /** Plays one call: {@code parse} reads the body (throwing {@link InvalidRequest}), {@code send} sends. */
    <T> ResponseEntity<JsonNode> play(String instance, String apikey, Asked asked, Supplier<T> parse,
            Function<T, ResponseEntity<JsonNode>> send) throws InterruptedException {
        if (!apiKeys.accepts(instance, apikey)) {
            return log(instance, asked, EvolutionErrors.unauthorized());
        }
        T request;
        try {
            request = parse.get();
        } catch (InvalidRequest e) {
            return log(instance, asked, EvolutionErrors.badRequest(e.getMessage()));
        }
        InstanceBehaviors.Answer behavior = behaviors.next(instance);
        Supplier<ResponseEntity<JsonNode>> answer = () -> log(instance, asked, switch (behavior.mode()) {
            case SERVER_ERROR -> EvolutionErrors.answer(HttpStatus.INTERNAL_SERVER_ERROR,
                    Json.MAPPER.createArrayNode().add("Connection Closed"));
            case UNAUTHORIZED -> EvolutionErrors.unauthorized();
            case NOT_ON_WHATSAPP -> notOnWhatsApp(asked.number() == null ? "" : asked.number());
            case OK, SLOW -> send.apply(request);
        });
        return behavior.delay().isZero() ? answer.get() : await(after(behavior.delay(), answer));
    }

    /** 400 with {@code exists: false}: the number has no WhatsApp. */
    static ResponseEntity<JsonNode> notOnWhatsApp(String number) {
        String remoteJid = number.contains("@") ? number : EvolutionPayloads.jid(number);
        ObjectNode notOnWhatsApp = Json.MAPPER.createObjectNode()
                .put("jid", remoteJid).put("exists", false).put("number", number);
        return EvolutionErrors.answer(HttpStatus.BAD_REQUEST, Json.MAPPER.createArrayNode().add(notOnWhatsApp));
    }

    private CompletableFuture<ResponseEntity<JsonNode>> after(Duration delay,
            Supplier<ResponseEntity<JsonNode>> answer) {
        CompletableFuture<ResponseEntity<JsonNode>> answered = new CompletableFuture<>();
        scheduler.schedule(() -> {
            try {
                answered.complete(answer.get());
            } catch (RuntimeException e) {
                answered.completeExceptionally(e);
            }
        }, Instant.now().plus(delay));
        return answered;
    }

    private static ResponseEntity<JsonNode> await(CompletableFuture<ResponseEntity<JsonNode>> answered)
            throws InterruptedException {
        try {
            return answered.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    private ResponseEntity<JsonNode> log(String instance, Asked asked, ResponseEntity<JsonNode> answer) {
        JsonNode keyId = answer.getBody() == null ? null : answer.getBody().at("/key/id");
        calls.add(instance, new CallLog.Call(asked.kind(), asked.number(), asked.text(), asked.targetKeyId(),
                answer.getStatusCode().value(), keyId == null || keyId.isMissingNode() ? null : keyId.asString(),
                Instant.now()));
        return answer;
    }
}

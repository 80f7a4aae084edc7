package dev.chatcentral.dispatcher;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.dispatcher.EvolutionCall.Kind;
import dev.chatcentral.schemas.outbound.OutboundMessage;
import dev.chatcentral.schemas.serde.Json;

/**
 * The calls a send makes to Evolution API (reference/evolution-api.md), authorized by the global API key: a reply is
 * {@code POST /message/sendText/{instance}}, a reaction {@code POST /message/sendReaction/{instance}}, a deletion
 * {@code DELETE /chat/deleteMessageForEveryone/{instance}} with a JSON body. The JDK client's own request timeout
 * bounds each call: it aborts the exchange, which a timer around a future could not.
 */
final class EvolutionClient {

    private static final int MAX_DETAIL = 300;

    private final HttpClient http;
    private final String baseUrl;
    private final String apikey;
    private final Duration callTimeout;

    EvolutionClient(HttpClient http, URI evolutionUrl, String apikey, Duration callTimeout) {
        this.http = http;
        this.baseUrl = evolutionUrl.toString().replaceAll("/+$", "");
        this.apikey = apikey;
        this.callTimeout = callTimeout;
    }

    /** One call for the message's kind, which must be valid ({@link OutboundValidation}). */
    EvolutionCall send(OutboundMessage message) throws InterruptedException {
        String kind = message.effectiveKind();
        HttpRequest.Builder request = switch (kind) {
            case OutboundMessage.REACTION -> request("/message/sendReaction/", message.instance())
                    .POST(HttpRequest.BodyPublishers.ofString(reactionBody(message)));
            case OutboundMessage.DELETE -> request("/chat/deleteMessageForEveryone/", message.instance())
                    .method("DELETE", HttpRequest.BodyPublishers.ofString(deleteBody(message)));
            default -> request("/message/sendText/", message.instance())
                    .POST(HttpRequest.BodyPublishers.ofString(body(message)));
        };
        HttpResponse<String> response;
        try {
            response = http.send(request.timeout(callTimeout).build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            return new EvolutionCall(Kind.UNREACHABLE, 0, null, "cannot connect to Evolution at " + baseUrl + ": "
                    + e);
        } catch (HttpTimeoutException e) {
            return new EvolutionCall(Kind.NO_ANSWER, 0, null, "Evolution did not answer within "
                    + callTimeout.toMillis() + " ms");
        } catch (IOException e) {
            return new EvolutionCall(Kind.NO_ANSWER, 0, null, "the connection to Evolution was lost before its "
                    + "answer (" + e + ")");
        }
        return answer(response.statusCode(), response.body(), message);
    }

    /** A request to {@code path + instance} with the global key; the caller adds its method, body and timeout. */
    HttpRequest.Builder request(String path, String instance) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path
                        + URLEncoder.encode(instance, StandardCharsets.UTF_8).replace("+", "%20")))
                .header("apikey", apikey)
                .header("Content-Type", "application/json");
    }

    HttpClient http() {
        return http;
    }

    /** The sendText body: {@code {number, text, quoted?: {key: {id}, message: {conversation}}}}. */
    static String body(OutboundMessage message) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("number", message.number());
        body.put("text", message.text());
        if (message.quotedKeyId() != null && !message.quotedKeyId().isBlank()) {
            ObjectNode quoted = body.putObject("quoted");
            quoted.putObject("key").put("id", message.quotedKeyId());
            quoted.putObject("message").put("conversation",
                    message.quotedText() == null ? "" : message.quotedText());
        }
        return Json.MAPPER.writeValueAsString(body);
    }

    /** The sendReaction body: {@code {key: {remoteJid, fromMe, id}, reaction}}; an empty reaction removes it. */
    static String reactionBody(OutboundMessage message) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        OutboundMessage.TargetKey target = message.target();
        body.putObject("key")
                .put("remoteJid", target.remoteJid())
                .put("fromMe", target.fromMe())
                .put("id", target.id());
        body.put("reaction", message.text());
        return Json.MAPPER.writeValueAsString(body);
    }

    /** The deleteMessageForEveryone body: {@code {id, remoteJid, fromMe, participant?}}. */
    static String deleteBody(OutboundMessage message) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        OutboundMessage.TargetKey target = message.target();
        body.put("id", target.id());
        body.put("remoteJid", target.remoteJid());
        body.put("fromMe", target.fromMe());
        if (target.participant() != null && !target.participant().isBlank()) {
            body.put("participant", target.participant());
        }
        return Json.MAPPER.writeValueAsString(body);
    }

    static EvolutionCall answer(int status, String body, OutboundMessage message) {
        if (status >= 200 && status < 300) {
            String keyId = text(read(body).at("/key/id"));
            return new EvolutionCall(Kind.SENT, status, keyId,
                    keyId == null ? "Evolution answered " + status + " without key.id" : null);
        }
        boolean reply = OutboundMessage.REPLY.equals(message.effectiveKind());
        if (status == 400 && reply) {
            JsonNode exists = read(body).at("/response/message/0/exists");
            String detail = exists.isBoolean() && !exists.booleanValue()
                    ? "number " + message.number() + " is not on WhatsApp"
                    : "Evolution refused the reply (400): " + shorten(body);
            return new EvolutionCall(Kind.NOT_ON_WHATSAPP, status, null, detail);
        }
        if (status == 401) {
            return new EvolutionCall(Kind.UNAUTHORIZED, status, null,
                    "Evolution refused the API key (401); check chatcentral.dispatcher.evolution-apikey");
        }
        if (status == 429 || status >= 500) {
            return new EvolutionCall(Kind.SERVER_ERROR, status, null, "Evolution answered " + status + ": "
                    + shorten(body));
        }
        return new EvolutionCall(Kind.REJECTED, status, null, "Evolution answered " + status + ": " + shorten(body));
    }

    static JsonNode read(String body) {
        try {
            return Json.MAPPER.readTree(body == null ? "" : body);
        } catch (JacksonException e) {
            return Json.MAPPER.missingNode();
        }
    }

    static String text(JsonNode node) {
        return node != null && node.isString() && !node.asString().isBlank() ? node.asString() : null;
    }

    private static String shorten(String body) {
        if (body == null) {
            return "";
        }
        return body.length() <= MAX_DETAIL ? body : body.substring(0, MAX_DETAIL) + "...";
    }
}

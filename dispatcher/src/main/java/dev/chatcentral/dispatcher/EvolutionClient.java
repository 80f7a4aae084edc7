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
 * One {@code POST /message/sendText/{instance}} to Evolution API (reference/evolution-api.md, "Sending a reply"),
 * authorized by the global API key. The JDK client's own request timeout bounds each call: it aborts the exchange,
 * which a timer around a future could not.
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

    EvolutionCall send(OutboundMessage message) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/message/sendText/"
                        + URLEncoder.encode(message.instance(), StandardCharsets.UTF_8).replace("+", "%20")))
                .timeout(callTimeout)
                .header("apikey", apikey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(message)))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            return new EvolutionCall(Kind.UNREACHABLE, 0, null, "cannot connect to Evolution at " + baseUrl + ": "
                    + e);
        } catch (HttpTimeoutException e) {
            return new EvolutionCall(Kind.NO_ANSWER, 0, null, "no answer from Evolution within "
                    + callTimeout.toMillis() + " ms");
        } catch (IOException e) {
            return new EvolutionCall(Kind.NO_ANSWER, 0, null, "connection to Evolution lost: " + e);
        }
        return answer(response.statusCode(), response.body(), message.number());
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

    static EvolutionCall answer(int status, String body, String number) {
        if (status >= 200 && status < 300) {
            String keyId = text(read(body).at("/key/id"));
            return new EvolutionCall(Kind.SENT, status, keyId,
                    keyId == null ? "Evolution answered " + status + " without key.id" : null);
        }
        if (status == 400) {
            JsonNode exists = read(body).at("/response/message/0/exists");
            String detail = exists.isBoolean() && !exists.booleanValue()
                    ? "number " + number + " is not on WhatsApp"
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

    private static JsonNode read(String body) {
        try {
            return Json.MAPPER.readTree(body == null ? "" : body);
        } catch (JacksonException e) {
            return Json.MAPPER.missingNode();
        }
    }

    private static String text(JsonNode node) {
        return node.isString() && !node.asString().isBlank() ? node.asString() : null;
    }

    private static String shorten(String body) {
        if (body == null) {
            return "";
        }
        return body.length() <= MAX_DETAIL ? body : body.substring(0, MAX_DETAIL) + "...";
    }
}

package dev.chatcentral.dispatcher;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.schemas.outbound.OutboundMessage;
import dev.chatcentral.schemas.serde.Json;

/**
 * Looks a reply whose sendText got no answer up among the chat's own messages in Evolution
 * ({@code POST /chat/findMessages/{instance}}, newest first): a message of this number with the reply's text, sent
 * no earlier than the first call (less the clock skew), is the reply, and its {@code key.id} makes it SENT. The
 * oldest such message is taken, so two equal replies in a row are not both matched to the newest. Any failure of
 * the lookup (no answer, an error, an answer of another shape) finds nothing: the send stays UNCONFIRMED.
 */
final class SentLookup {

    private static final Logger log = LoggerFactory.getLogger(SentLookup.class);
    private static final int PAGE_SIZE = 20;

    private final EvolutionClient client;
    private final DispatcherProperties.Lookup settings;

    SentLookup(EvolutionClient client, DispatcherProperties.Lookup settings) {
        this.client = client;
        this.settings = settings;
    }

    /** The reply's key.id if Evolution has it, after the configured delay; empty when off, not found or failing. */
    Optional<String> find(OutboundMessage message, Instant firstCallStart) {
        if (!settings.enabled()) {
            return Optional.empty();
        }
        try {
            Thread.sleep(settings.delay().toMillis());
            HttpRequest request = client.request("/chat/findMessages/", message.instance())
                    .timeout(settings.timeout())
                    .POST(HttpRequest.BodyPublishers.ofString(body(message.number())))
                    .build();
            HttpResponse<String> response = client.http().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() < 200 || response.statusCode() >= 300) {
                log.warn("command {}: findMessages answered {}; the reply stays unconfirmed", message.commandId(),
                        response.statusCode());
                return Optional.empty();
            }
            return match(response.body(), message.text(), firstCallStart.minus(settings.clockSkew()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DispatchInterruptedException("interrupted while looking command " + message.commandId()
                    + " up in Evolution");
        } catch (IOException | RuntimeException e) {
            log.warn("command {}: findMessages failed ({}); the reply stays unconfirmed", message.commandId(),
                    e.toString());
            return Optional.empty();
        }
    }

    /** The findMessages body: this number's chat, the messages it sent, the newest page. */
    static String body(String number) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.putObject("where").putObject("key")
                .put("remoteJid", number.contains("@") ? number : number + "@s.whatsapp.net")
                .put("fromMe", true);
        body.put("offset", PAGE_SIZE);
        body.put("page", 1);
        return Json.MAPPER.writeValueAsString(body);
    }

    /** The key.id of the oldest record with this text sent at or after {@code notBefore}; empty for any other body. */
    static Optional<String> match(String answer, String text, Instant notBefore) {
        JsonNode records = EvolutionClient.read(answer).at("/messages/records");
        if (!records.isArray()) {
            return Optional.empty();
        }
        String found = null;
        // newest first: the last match is the oldest
        for (JsonNode record : records) {
            String keyId = EvolutionClient.text(record.at("/key/id"));
            JsonNode fromMe = record.at("/key/fromMe");
            Long seconds = seconds(record.path("messageTimestamp"));
            if (keyId == null || (fromMe.isBoolean() && !fromMe.booleanValue()) || seconds == null
                    || !text.equals(text(record.path("message")))) {
                continue;
            }
            // WhatsApp's timestamps are whole seconds: the second the first call started in counts
            if (seconds >= notBefore.getEpochSecond()) {
                found = keyId;
            }
        }
        return Optional.ofNullable(found);
    }

    /** Epoch seconds, as a number or a string of digits (both are seen); null for anything else. */
    private static Long seconds(JsonNode timestamp) {
        if (timestamp.isIntegralNumber() && timestamp.canConvertToLong()) {
            return timestamp.longValue();
        }
        if (timestamp.isString() && timestamp.asString().matches("\\d{1,18}")) {
            return Long.parseLong(timestamp.asString());
        }
        return null;
    }

    private static String text(JsonNode message) {
        JsonNode conversation = message.path("conversation");
        if (conversation.isString()) {
            return conversation.asString();
        }
        JsonNode extended = message.at("/extendedTextMessage/text");
        return extended.isString() ? extended.asString() : null;
    }
}

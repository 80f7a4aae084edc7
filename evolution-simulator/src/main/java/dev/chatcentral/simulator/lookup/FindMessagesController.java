package dev.chatcentral.simulator.lookup;

import java.time.Instant;
import java.util.function.Predicate;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.simulator.instance.MessageStore;
import dev.chatcentral.simulator.request.EvolutionErrors;
import dev.chatcentral.simulator.request.Fields;
import dev.chatcentral.simulator.request.InvalidRequest;
import dev.chatcentral.simulator.sendtext.ApiKeys;
import dev.chatcentral.simulator.sendtext.CallLog;

/**
 * Evolution's {@code POST /chat/findMessages/{instance}}
 * {@code {"where":{"key":{"remoteJid":...,"fromMe":true,"id":...}},"offset":20,"page":1}}: every filter optional,
 * {@code offset} is the page size (default 50). Answers
 * {@code {"messages":{"total","pages","currentPage","records":[...]}}}, newest first, from the {@link MessageStore}.
 */
@RestController
class FindMessagesController {

    private static final int DEFAULT_PAGE_SIZE = 50;
    private static final int MAX_PAGE = 1_000_000;

    private final ApiKeys apiKeys;
    private final MessageStore store;
    private final CallLog calls;

    FindMessagesController(ApiKeys apiKeys, MessageStore store, CallLog calls) {
        this.apiKeys = apiKeys;
        this.store = store;
        this.calls = calls;
    }

    @PostMapping("/chat/findMessages/{instance}")
    ResponseEntity<JsonNode> find(@PathVariable String instance,
            @RequestHeader(name = "apikey", required = false) String apikey,
            @RequestBody(required = false) JsonNode body) {
        JsonNode where = body == null ? null : body.path("where").path("key");
        ResponseEntity<JsonNode> answer;
        try {
            answer = apiKeys.accepts(instance, apikey) ? ResponseEntity.ok(find(instance, body))
                    : EvolutionErrors.unauthorized();
        } catch (InvalidRequest e) {
            answer = EvolutionErrors.badRequest(e.getMessage());
        }
        calls.add(instance, new CallLog.Call(CallLog.FIND_MESSAGES, string(where, "remoteJid"), null,
                string(where, "id"), answer.getStatusCode().value(), null, Instant.now()));
        return answer;
    }

    private JsonNode find(String instance, JsonNode body) {
        JsonNode query = body == null || body.isNull() ? Json.MAPPER.createObjectNode() : Fields.object(body);
        int size = Fields.number(query, "offset", DEFAULT_PAGE_SIZE, 1, MessageStore.CAPACITY);
        int page = Fields.number(query, "page", 1, 1, MAX_PAGE);
        MessageStore.Page found = store.find(instance, filter(query), size, page);
        ObjectNode answer = Json.MAPPER.createObjectNode();
        ObjectNode messages = answer.putObject("messages");
        messages.put("total", found.total());
        messages.put("pages", (found.total() + size - 1) / size);
        messages.put("currentPage", page);
        messages.putArray("records").addAll(found.records());
        return answer;
    }

    private static Predicate<ObjectNode> filter(JsonNode query) {
        JsonNode where = object(query, "where");
        JsonNode key = where == null ? null : object(where, "key");
        if (key == null) {
            return message -> true;
        }
        String remoteJid = Fields.optionalText(key, "remoteJid", 128);
        String id = Fields.optionalText(key, "id", 128);
        Boolean fromMe = key.hasNonNull("fromMe") ? Fields.bool(key, "fromMe") : null;
        return message -> (remoteJid == null || remoteJid.equals(message.at("/key/remoteJid").asString()))
                && (id == null || id.equals(message.at("/key/id").asString()))
                && (fromMe == null || fromMe == message.at("/key/fromMe").asBoolean());
    }

    private static JsonNode object(JsonNode parent, String field) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw new InvalidRequest(field + " must be a JSON object");
        }
        return value;
    }

    /** A short string of the filter for the call log; anything else is left out. */
    private static String string(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isString() && value.asString().length() <= 128 ? value.asString() : null;
    }
}

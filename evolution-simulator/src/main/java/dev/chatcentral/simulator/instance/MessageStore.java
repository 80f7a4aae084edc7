package dev.chatcentral.simulator.instance;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.simulator.webhook.EvolutionPayloads;

/**
 * What Evolution's database holds of each instance's messages: the ones it actually sent (stored when the send
 * happens, so a slow send is not found before its delay ends) and the customers' ones it received, each with the
 * receipts it got. Keeps the latest {@link #CAPACITY} per instance. Stored whether or not the webhooks reached the
 * empresa: a lost webhook does not unsend a message.
 */
@Component
public class MessageStore {

    public static final int CAPACITY = 10_000;

    /** One stored message: Evolution's database id, the message as sent or received, the receipts so far. */
    record Stored(String id, ObjectNode message, List<String> statuses) {
    }

    /** Per instance, by key.id in arrival order; each map is guarded by itself. */
    private final Map<String, LinkedHashMap<String, Stored>> byInstance = new ConcurrentHashMap<>();

    /** Stores a message object as Evolution returns and posts it (key, message, messageType, ...). */
    public void add(String instance, ObjectNode message) {
        Stored stored = new Stored(EvolutionPayloads.newMessageId(), message.deepCopy(), new ArrayList<>());
        LinkedHashMap<String, Stored> messages = byInstance.computeIfAbsent(instance, i -> new LinkedHashMap<>());
        synchronized (messages) {
            messages.put(message.at("/key/id").asString(), stored);
            Iterator<String> oldest = messages.keySet().iterator();
            while (messages.size() > CAPACITY) {
                oldest.next();
                oldest.remove();
            }
        }
    }

    /** Records a receipt (DELIVERY_ACK, READ...) of a stored message; unknown ids are ignored. */
    public void receipt(String instance, String keyId, String status) {
        LinkedHashMap<String, Stored> messages = byInstance.get(instance);
        if (messages == null) {
            return;
        }
        synchronized (messages) {
            Stored stored = messages.get(keyId);
            if (stored != null) {
                stored.statuses().add(status);
            }
        }
    }

    /** One page of what matched, newest first, and how many matched in all. */
    public record Page(int total, List<ObjectNode> records) {
    }

    /** Page {@code page} (from 1) of {@code size} matching messages, newest first, as findMessages lists them. */
    public Page find(String instance, Predicate<ObjectNode> filter, int size, int page) {
        LinkedHashMap<String, Stored> messages = byInstance.get(instance);
        if (messages == null) {
            return new Page(0, List.of());
        }
        long skip = (long) (page - 1) * size;
        int total = 0;
        List<ObjectNode> records = new ArrayList<>();
        synchronized (messages) {
            List<Stored> oldestFirst = new ArrayList<>(messages.values());
            for (int i = oldestFirst.size() - 1; i >= 0; i--) {
                Stored stored = oldestFirst.get(i);
                if (filter.test(stored.message())) {
                    if (total >= skip && records.size() < size) {
                        records.add(record(instance, stored));
                    }
                    total++;
                }
            }
        }
        return new Page(total, records);
    }

    private static ObjectNode record(String instance, Stored stored) {
        ObjectNode message = stored.message();
        ObjectNode record = Json.MAPPER.createObjectNode();
        record.put("id", stored.id());
        record.set("key", message.get("key").deepCopy());
        record.set("pushName", message.get("pushName"));
        record.set("messageType", message.get("messageType"));
        record.set("message", message.get("message").deepCopy());
        record.set("messageTimestamp", message.get("messageTimestamp"));
        record.put("instanceId", EvolutionPayloads.instanceId(instance));
        record.put("source", message.path("source").asString("web"));
        var updates = record.putArray("MessageUpdate");
        stored.statuses().forEach(status -> updates.addObject().put("status", status));
        return record;
    }
}

package dev.chatcentral.replay;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.schemas.serde.Json;

/**
 * Compares one topic's records as production wrote them with the shadow's, event by event: per key, the n-th record
 * of production with the n-th of the shadow (one key's records keep their order in Kafka, and both sides partition
 * alike), by content. Content is the value as canonical JSON (properties sorted, the ignored fields left out at
 * every depth), or its bytes where it is no JSON; headers are left out (a dead letter's carry times and stack
 * traces). Each record is kept as a 64-bit digest and a short preview, so a comparison of millions of records fits
 * in a modest heap.
 */
final class EventDiff {

    private static final int PREVIEW_CHARS = 300;

    private record Entry(long digest, String preview) {
    }

    /**
     * One side's records, by key, in their order; of a compacted topic only the latest per key, since compaction
     * may have removed any earlier one on production's side and not yet on the shadow's.
     */
    static final class Side {
        private final boolean latestOnly;
        private final Map<String, List<Entry>> byKey = new LinkedHashMap<>();
        private long count;

        Side(boolean latestOnly) {
            this.latestOnly = latestOnly;
        }

        void add(ConsumerRecord<String, byte[]> record, Set<String> ignored) {
            String content = canonical(record.value(), ignored);
            List<Entry> entries = byKey.computeIfAbsent(String.valueOf(record.key()), k -> new ArrayList<>());
            if (latestOnly && !entries.isEmpty()) {
                entries.clear();
                count--;
            }
            entries.add(new Entry(digest(content), content.length() > PREVIEW_CHARS
                    ? content.substring(0, PREVIEW_CHARS) + "..." : content));
            count++;
        }

        long count() {
            return count;
        }
    }

    /** What the comparison of one topic found; {@code first} holds at most the requested number of differences. */
    record Result(String topic, long production, long shadow, long matched, long differing, long onlyProduction,
                  long onlyShadow, List<String> first) {

        boolean equal() {
            return differing == 0 && onlyProduction == 0 && onlyShadow == 0;
        }
    }

    private EventDiff() {
    }

    static Result compare(String topic, Side production, Side shadow, int maxShown) {
        long matched = 0;
        long differing = 0;
        long onlyProduction = 0;
        long onlyShadow = 0;
        List<String> first = new ArrayList<>();
        Map<String, Boolean> keys = new TreeMap<>();
        production.byKey.keySet().forEach(k -> keys.put(k, true));
        shadow.byKey.keySet().forEach(k -> keys.put(k, true));
        for (String key : keys.keySet()) {
            List<Entry> p = production.byKey.getOrDefault(key, List.of());
            List<Entry> s = shadow.byKey.getOrDefault(key, List.of());
            for (int i = 0; i < Math.max(p.size(), s.size()); i++) {
                if (i >= s.size()) {
                    onlyProduction++;
                    note(first, maxShown, topic + " key " + key + " #" + i + ": only in production\n    production "
                            + p.get(i).preview());
                } else if (i >= p.size()) {
                    onlyShadow++;
                    note(first, maxShown, topic + " key " + key + " #" + i + ": only in the shadow\n    shadow     "
                            + s.get(i).preview());
                } else if (p.get(i).digest() != s.get(i).digest()) {
                    differing++;
                    note(first, maxShown, topic + " key " + key + " #" + i + ": differs\n    production "
                            + p.get(i).preview() + "\n    shadow     " + s.get(i).preview());
                } else {
                    matched++;
                }
            }
        }
        return new Result(topic, production.count(), shadow.count(), matched, differing, onlyProduction, onlyShadow,
                first);
    }

    private static void note(List<String> first, int max, String line) {
        if (first.size() < max) {
            first.add(line);
        }
    }

    static String canonical(byte[] value, Set<String> ignored) {
        if (value == null) {
            return "null (tombstone)";
        }
        try {
            StringBuilder out = new StringBuilder();
            canonical(Json.MAPPER.readTree(value), ignored, out);
            return out.toString();
        } catch (JacksonException e) {
            return "bytes:" + Base64.getEncoder().encodeToString(value);
        }
    }

    private static void canonical(JsonNode node, Set<String> ignored, StringBuilder out) {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            node.properties().forEach(p -> {
                if (!ignored.contains(p.getKey())) {
                    sorted.put(p.getKey(), p.getValue());
                }
            });
            out.append('{');
            boolean firstProperty = true;
            for (Map.Entry<String, JsonNode> p : sorted.entrySet()) {
                out.append(firstProperty ? "" : ",").append(Json.MAPPER.writeValueAsString(p.getKey())).append(':');
                canonical(p.getValue(), ignored, out);
                firstProperty = false;
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                out.append(i == 0 ? "" : ",");
                canonical(node.get(i), ignored, out);
            }
            out.append(']');
        } else {
            out.append(node.toString());
        }
    }

    private static long digest(String content) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(sha).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

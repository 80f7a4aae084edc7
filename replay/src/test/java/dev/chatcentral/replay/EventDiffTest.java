package dev.chatcentral.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class EventDiffTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static ConsumerRecord<String, byte[]> record(String key, String value) {
        return new ConsumerRecord<>("chat.events", 0, 0, key, value == null ? null : bytes(value));
    }

    @Test
    void shouldCompareContentRegardlessOfPropertyOrderAndWithoutIgnoredFieldsAtAnyDepth() {
        assertThat(EventDiff.canonical(bytes("{\"b\":1,\"a\":{\"ts\":2,\"x\":[{\"ts\":3,\"y\":null}]}}"),
                Set.of("ts"))).isEqualTo("{\"a\":{\"x\":[{\"y\":null}]},\"b\":1}");
        assertThat(EventDiff.canonical(bytes("{\"a\":1,\"b\":2}"), Set.of()))
                .isEqualTo(EventDiff.canonical(bytes("{ \"b\" : 2, \"a\" : 1 }"), Set.of()));
    }

    @Test
    void shouldCompareBytesWhenTheValueIsNoJson() {
        assertThat(EventDiff.canonical(new byte[] {0, (byte) 0xff, '{'}, Set.of())).startsWith("bytes:");
        assertThat(EventDiff.canonical(null, Set.of())).contains("tombstone");
    }

    @Test
    void shouldMatchEachKeysRecordsInOrderAndCountWhatDiffers() {
        EventDiff.Side production = new EventDiff.Side(false);
        EventDiff.Side shadow = new EventDiff.Side(false);
        production.add(record("emp-a", "{\"n\":1,\"ts\":\"x\"}"), Set.of("ts"));
        production.add(record("emp-a", "{\"n\":2}"), Set.of("ts"));
        production.add(record("emp-b", "{\"n\":1}"), Set.of("ts"));
        shadow.add(record("emp-a", "{\"n\":1,\"ts\":\"y\"}"), Set.of("ts"));
        shadow.add(record("emp-a", "{\"n\":3}"), Set.of("ts"));
        shadow.add(record("emp-b", "{\"n\":1}"), Set.of("ts"));
        shadow.add(record("emp-c", "{\"n\":1}"), Set.of("ts"));

        EventDiff.Result result = EventDiff.compare("chat.events", production, shadow, 1);

        assertThat(result.matched()).isEqualTo(2);
        assertThat(result.differing()).isEqualTo(1);
        assertThat(result.onlyShadow()).isEqualTo(1);
        assertThat(result.onlyProduction()).isZero();
        assertThat(result.first()).singleElement().asString().contains("emp-a #1: differs");
    }

    @Test
    void shouldKeepOnlyTheLatestRecordPerKeyOfACompactedTopic() {
        EventDiff.Side production = new EventDiff.Side(true);
        EventDiff.Side shadow = new EventDiff.Side(true);
        // compaction removed version 1 on production's side only
        production.add(record("c1", "{\"version\":2}"), Set.of());
        shadow.add(record("c1", "{\"version\":1}"), Set.of());
        shadow.add(record("c1", "{\"version\":2}"), Set.of());

        EventDiff.Result result = EventDiff.compare("chat.conversas", production, shadow, 5);

        assertThat(result.equal()).isTrue();
        assertThat(result.shadow()).isOne();
    }
}

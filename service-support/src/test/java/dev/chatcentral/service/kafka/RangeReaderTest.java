package dev.chatcentral.service.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;


class RangeReaderTest extends KafkaFixture {

    /** Reads from {@code from} until the position reaches {@code until}, noting what it was handed. */
    private static final class Stretch implements RangeReader.Range<String, String> {

        final long from;
        final long until;
        final List<String> values = new ArrayList<>();
        long logStart = -1;
        long end = -1;

        Stretch(long from, long until) {
            this.from = from;
            this.until = until;
        }

        @Override
        public OptionalLong start(long logStart, long end) {
            this.logStart = logStart;
            this.end = end;
            return from < 0 ? OptionalLong.empty() : OptionalLong.of(from);
        }

        @Override
        public boolean reached(long position) {
            return position < until;
        }

        @Override
        public boolean accept(ConsumerRecord<String, String> record) {
            values.add(record.offset() + ":" + record.value());
            return true;
        }
    }

    @Test
    void shouldHandOverTheRecordsBetweenTheStartAndWhereTheRangeStops() throws Exception {
        CommittedTopic<String, String> topic = newTopic(2);
        write(topic, 1, "a", "b", "unreadable", "d", "e", "f");
        try (RangeReader<String, String> reader = new RangeReader<>(topic, Duration.ofMillis(100))) {
            Stretch stretch = new Stretch(1, 5);

            assertThat(reader.read(1, Duration.ofSeconds(10), stretch)).isTrue();

            assertThat(stretch.logStart).isZero();
            assertThat(stretch.end).isEqualTo(6);
            assertThat(stretch.values).containsExactly("1:b", "3:d", "4:e");
        }
    }

    @Test
    void shouldReadNothingWhenTheRangeHasNoStart() throws Exception {
        CommittedTopic<String, String> topic = newTopic(1);
        write(topic, 0, "a");
        try (RangeReader<String, String> reader = new RangeReader<>(topic, Duration.ofMillis(100))) {
            Stretch stretch = new Stretch(-1, 1);

            assertThat(reader.read(0, Duration.ofSeconds(10), stretch)).isTrue();

            assertThat(stretch.end).isEqualTo(1);
            assertThat(stretch.values).isEmpty();
        }
    }

    @Test
    void shouldGiveUpWhenTimeRunsOutBeforeTheRangeStops() throws Exception {
        CommittedTopic<String, String> topic = newTopic(1);
        write(topic, 0, "a", "b");
        try (RangeReader<String, String> reader = new RangeReader<>(topic, Duration.ofMillis(100))) {
            Stretch stretch = new Stretch(0, Long.MAX_VALUE);

            assertThat(reader.read(0, Duration.ofMillis(500), stretch)).isFalse();
            assertThat(stretch.values).containsExactly("0:a", "1:b");

            // the consumer went back to the pool and serves the next read
            Stretch again = new Stretch(1, 2);
            assertThat(reader.read(0, Duration.ofSeconds(10), again)).isTrue();
            assertThat(again.values).containsExactly("1:b");
        }
    }
}

package dev.chatcentral.service.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.chatcentral.service.kafka.AssignedReader.Start;

class AssignedReaderTest extends KafkaFixture {

    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration LOOKUP = Duration.ofSeconds(5);

    private final List<String> read = new CopyOnWriteArrayList<>();
    private final Map<Integer, Long> positions = new ConcurrentHashMap<>();
    private AssignedReader<String, String> reader;

    @AfterEach
    void stopReader() {
        reader.stop();
    }

    private AssignedReader<String, String> start(CommittedTopic<String, String> topic, Start start) {
        reader = new AssignedReader<>(topic, start, POLL, LOOKUP, "reader-test", batch -> {
            for (ConsumerRecord<String, String> record : batch.records()) {
                read.add(record.partition() + ":" + record.value());
            }
            batch.partitions().forEach(p -> positions.put(p, batch.position(p)));
        });
        reader.start();
        return reader;
    }

    @Test
    void shouldReadAnAssignedPartitionFromItsEndOnly() throws Exception {
        CommittedTopic<String, String> topic = newTopic(2);
        write(topic, 0, "before-1", "before-2");
        start(topic, Start.END);

        assertThat(reader.assign(0).get(10, TimeUnit.SECONDS)).isEqualTo(2L);
        write(topic, 0, "after");
        write(topic, 1, "other-partition");

        await().atMost(Duration.ofSeconds(10)).until(() -> read.contains("0:after"));
        assertThat(reader.assigned()).containsExactly(0);
        assertThat(read).containsExactly("0:after");
        await().atMost(Duration.ofSeconds(10)).until(() -> positions.get(0) == 3L);
    }

    @Test
    void shouldAnswerReadToEndOnlyOnceEverythingWrittenBeforeWasHandedOver() throws Exception {
        CommittedTopic<String, String> topic = newTopic(2);
        write(topic, 1, "a", "b", "c");
        start(topic, Start.BEGINNING);

        reader.readToEnd(Set.of(1)).get(10, TimeUnit.SECONDS);

        assertThat(read).containsExactly("1:a", "1:b", "1:c");
        assertThat(reader.assigned()).containsExactly(1);
    }

    @Test
    void shouldSkipAbortedAndUnreadableRecordsAndMovePastThem() throws Exception {
        CommittedTopic<String, String> topic = newTopic(1);
        start(topic, Start.BEGINNING);
        reader.assign(0).get(10, TimeUnit.SECONDS);
        try (KafkaProducer<String, String> transactional = producer("reader-test-" + topic.name())) {
            transactional.beginTransaction();
            transactional.send(new ProducerRecord<>(topic.name(), 0, "k", "aborted")).get();
            transactional.abortTransaction();
        }
        write(topic, 0, "unreadable", "good");

        // not readToEnd: the abort marker lands asynchronously, and until it does the end is before the aborted record
        // the aborted record, its abort marker, the unreadable record and the good one, in whichever order they landed
        await().atMost(Duration.ofSeconds(10)).until(() -> positions.getOrDefault(0, 0L) == 4L);
        assertThat(read).containsExactly("0:good");
    }

    @Test
    void shouldStopReadingAReleasedPartition() throws Exception {
        CommittedTopic<String, String> topic = newTopic(2);
        start(topic, Start.END);
        reader.assign(0).get(10, TimeUnit.SECONDS);
        reader.assign(1).get(10, TimeUnit.SECONDS);

        reader.release(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> reader.assigned().equals(Set.of(1)));
        write(topic, 0, "released");
        write(topic, 1, "kept");

        reader.readToEnd(Set.of(1)).get(10, TimeUnit.SECONDS);
        assertThat(read).containsExactly("1:kept");
        assertThat(reader.assigned()).containsExactly(1);
    }

    @Test
    void shouldFailWhatStillWaitsWhenStopped() throws Exception {
        CommittedTopic<String, String> topic = newTopic(1);
        start(topic, Start.BEGINNING);
        // a partition the topic does not have: its end offset can never be looked up
        var waiting = reader.readToEnd(Set.of(7));
        Thread.sleep(300);

        reader.stop();

        assertThatThrownBy(() -> waiting.get(15, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(reader.isRunning()).isFalse();
    }
}

package dev.chatcentral.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.testing.TestKafka;

/** {@code move-group} on a real broker: the plan, the move, and what it refuses. */
class MoveGroupIntegrationTest {

    private static final String GROUP = "chat-central-postgres-sink";
    private static final String TOPIC = Topics.MENSAGENS.name();
    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
    private static TestKafka kafka;
    private static Admin admin;

    @BeforeAll
    static void writeTenRecords() throws Exception {
        kafka = TestKafka.start();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
        admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(),
                new StringSerializer())) {
            // partition 0 holds minutes 0, 2, 4, 6, 8 after T0; partition 1 minutes 1, 3, 5, 7, 9
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(TOPIC, i % 2, T0.plusSeconds(60L * i).toEpochMilli(), "k" + i,
                        "v" + i)).get();
            }
        }
    }

    @AfterAll
    static void stop() {
        admin.close();
        kafka.close();
    }

    @BeforeEach
    void commitAtTheEnd() throws Exception {
        admin.alterConsumerGroupOffsets(GROUP, Map.of(partition(0), new OffsetAndMetadata(5),
                partition(1), new OffsetAndMetadata(5))).all().get();
    }

    private static TopicPartition partition(int p) {
        return new TopicPartition(TOPIC, p);
    }

    private static long committed(String group, int p) throws Exception {
        return Optional.ofNullable(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                .get(partition(p))).map(OffsetAndMetadata::offset).orElse(-1L);
    }

    private static Pipeline.Run move(String group, String to, String... more) {
        List<String> args = new ArrayList<>(List.of("move-group", "--bootstrap", kafka.bootstrapServers(),
                "--group", group, "--to-timestamp", to));
        args.addAll(List.of(more));
        return Pipeline.replay(args.toArray(String[]::new));
    }

    @Test
    void shouldPrintThePlanAndChangeNothingWhenDryRun() throws Exception {
        Pipeline.Run run = move(GROUP, "2026-11-29T10:04:00Z", "--dry-run");

        assertThat(run.status()).as(run.err()).isEqualTo(Replay.OK);
        assertThat(Pipeline.lines(run.out())).anySatisfy(l -> assertThat(l).matches(TOPIC + "\\s+0\\s+5\\s+2"))
                .anySatisfy(l -> assertThat(l).matches(TOPIC + "\\s+1\\s+5\\s+2"));
        assertThat(run.out()).contains("dry run: nothing changed");
        assertThat(committed(GROUP, 0)).isEqualTo(5);
        assertThat(committed(GROUP, 1)).isEqualTo(5);
    }

    @Test
    void shouldMoveEachPartitionToItsFirstRecordAtOrAfterTheTime() throws Exception {
        // -03:00 is the same instant as 10:05Z: partition 0's first record at or after it is minute 6, offset 3
        Pipeline.Run run = move(GROUP, "2026-11-29T07:05:00-03:00");

        assertThat(run.status()).as(run.err()).isEqualTo(Replay.OK);
        assertThat(committed(GROUP, 0)).isEqualTo(3);
        assertThat(committed(GROUP, 1)).isEqualTo(2);
    }

    @Test
    void shouldMoveToTheEndWhenNoRecordIsThatLate() throws Exception {
        admin.alterConsumerGroupOffsets(GROUP, Map.of(partition(0), new OffsetAndMetadata(0))).all().get();

        Pipeline.Run run = move(GROUP, "2030-01-01T00:00:00Z");

        assertThat(run.status()).as(run.err()).isEqualTo(Replay.OK);
        assertThat(committed(GROUP, 0)).isEqualTo(5);
        assertThat(committed(GROUP, 1)).isEqualTo(5);
    }

    @Test
    void shouldRefuseWhileTheGroupHasAnActiveMember() throws Exception {
        try (KafkaConsumer<String, String> member = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, GROUP,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(),
                new StringDeserializer())) {
            member.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (member.assignment().isEmpty() && System.nanoTime() < deadline) {
                member.poll(Duration.ofMillis(200));
            }
            assertThat(member.assignment()).isNotEmpty();

            Pipeline.Run run = move(GROUP, "2026-11-29T10:00:00Z");

            assertThat(run.status()).isEqualTo(Replay.REFUSED);
            assertThat(run.err()).contains("is active").contains("1 members");
            assertThat(committed(GROUP, 0)).isEqualTo(5);
        }
    }

    @Test
    void shouldRefuseAGroupThatIsNotTheProjects() throws Exception {
        admin.alterConsumerGroupOffsets("analytics-team", Map.of(partition(0), new OffsetAndMetadata(5)))
                .all().get();

        Pipeline.Run run = move("analytics-team", "2026-11-29T10:00:00Z");

        assertThat(run.status()).isEqualTo(Replay.REFUSED);
        assertThat(run.err()).contains("not a group of this project").contains(GROUP);
        assertThat(committed("analytics-team", 0)).isEqualTo(5);
    }

    @Test
    void shouldRefuseAProjectGroupThatHasNothingToMove() {
        Pipeline.Run run = move("chat-central-dispatcher", "2026-11-29T10:00:00Z");

        assertThat(run.status()).isEqualTo(Replay.REFUSED);
        assertThat(run.err()).containsAnyOf("does not exist", "committed no offsets");
    }
}

package dev.chatcentral.localstack.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerTest {

    @Test
    void shouldRenderASingleNodeKraftBrokerWithADynamicQuorum() throws IOException {
        Properties properties = load(KafkaBroker.serverProperties(Path.of("/data/chat central/kafka")));

        assertThat(properties.getProperty("process.roles")).isEqualTo("broker,controller");
        assertThat(properties.getProperty("node.id")).isEqualTo("1");
        assertThat(properties.getProperty("controller.quorum.bootstrap.servers")).isEqualTo("127.0.0.1:9093");
        assertThat(properties).doesNotContainKey("controller.quorum.voters");
        assertThat(properties.getProperty("listeners"))
                .isEqualTo("PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093");
        assertThat(properties.getProperty("controller.listener.names")).isEqualTo("CONTROLLER");
        assertThat(properties.getProperty("log.dirs")).isEqualTo("/data/chat central/kafka");
    }

    @Test
    void shouldReplicateInternalTopicsOnceAndNeverCreateTopicsOnTheFly() throws IOException {
        Properties properties = load(KafkaBroker.serverProperties(Path.of("/tmp/kafka")));

        assertThat(properties.getProperty("offsets.topic.replication.factor")).isEqualTo("1");
        assertThat(properties.getProperty("transaction.state.log.replication.factor")).isEqualTo("1");
        assertThat(properties.getProperty("transaction.state.log.min.isr")).isEqualTo("1");
        assertThat(properties.getProperty("min.insync.replicas")).isEqualTo("1");
        assertThat(properties.getProperty("auto.create.topics.enable")).isEqualTo("false");
        assertThat(properties.getProperty("group.initial.rebalance.delay.ms")).isEqualTo("0");
    }

    @Test
    void shouldMakeEachNodeOfAQuorumOfThreeAVoterReplicatingThreeTimesTwoInSync() throws IOException {
        List<KafkaNode> quorum = List.of(
                new KafkaNode("kafka-1", 1, 19091, 19191, Path.of("/c/kafka-1")),
                new KafkaNode("kafka-2", 2, 19092, 19192, Path.of("/c/kafka-2")),
                new KafkaNode("kafka-3", 3, 19093, 19193, Path.of("/c/kafka-3")));

        Properties second = load(KafkaBroker.serverProperties(quorum.get(1), quorum));

        assertThat(second.getProperty("node.id")).isEqualTo("2");
        assertThat(second.getProperty("controller.quorum.voters"))
                .isEqualTo("1@127.0.0.1:19191,2@127.0.0.1:19192,3@127.0.0.1:19193");
        assertThat(second).doesNotContainKey("controller.quorum.bootstrap.servers");
        assertThat(second.getProperty("listeners"))
                .isEqualTo("PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19192");
        assertThat(second.getProperty("log.dirs")).isEqualTo("/c/kafka-2");
        assertThat(second.getProperty("default.replication.factor")).isEqualTo("3");
        assertThat(second.getProperty("offsets.topic.replication.factor")).isEqualTo("3");
        assertThat(second.getProperty("transaction.state.log.replication.factor")).isEqualTo("3");
        assertThat(second.getProperty("transaction.state.log.min.isr")).isEqualTo("2");
        assertThat(second.getProperty("min.insync.replicas")).isEqualTo("2");
        assertThat(second.getProperty("unclean.leader.election.enable")).isEqualTo("false");
    }

    @Test
    void shouldJoinTheClusterIdAlreadyFormattedOrMakeANewOne(@TempDir Path dir) throws IOException {
        List<KafkaNode> quorum = List.of(
                new KafkaNode("kafka-1", 1, 19091, 19191, dir.resolve("kafka-1")),
                new KafkaNode("kafka-2", 2, 19092, 19192, dir.resolve("kafka-2")));
        String fresh = KafkaBroker.clusterId(quorum);
        assertThat(fresh).isNotBlank();

        Files.createDirectories(dir.resolve("kafka-2"));
        Files.writeString(dir.resolve("kafka-2/meta.properties"), "version=1\ncluster.id=abcDEF123\nnode.id=2\n");

        assertThat(KafkaBroker.clusterId(quorum)).isEqualTo("abcDEF123");
    }

    @Test
    void shouldRefuseANodeOutsideItsQuorum() {
        KafkaNode one = new KafkaNode("kafka-1", 1, 19091, 19191, Path.of("/c/kafka-1"));
        KafkaNode stranger = new KafkaNode("kafka-9", 9, 19099, 19199, Path.of("/c/kafka-9"));

        assertThatThrownBy(() -> new KafkaBroker(null, null, stranger, List.of(one), () -> "id"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kafka-9");
    }

    @Test
    void shouldLogTheBrokerAtInfoToStdout() throws IOException {
        Properties log4j = load(KafkaBroker.log4jProperties());

        assertThat(log4j.getProperty("rootLogger.level")).isEqualTo("INFO");
        assertThat(log4j.getProperty("appender.stdout.type")).isEqualTo("Console");
    }

    private static Properties load(String text) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(text));
        return properties;
    }
}

package dev.chatcentral.localstack.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.Test;

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

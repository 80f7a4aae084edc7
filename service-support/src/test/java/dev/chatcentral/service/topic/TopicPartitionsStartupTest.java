package dev.chatcentral.service.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import dev.chatcentral.schemas.topic.PartitionCountMismatchException;
import dev.chatcentral.schemas.topic.TopicCatalog;
import dev.chatcentral.schemas.topic.TopicProvisioner;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.testing.TestKafka;

/**
 * A service's start with {@code KAFKA_TOPIC_PARTITIONS}: the shared Kafka settings and the catalog's provisioning
 * as every service has them, against a broker whose topics were made with the default 12 partitions.
 */
@ExtendWith(OutputCaptureExtension.class)
class TopicPartitionsStartupTest {

    private static TestKafka kafka;

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        TopicProvisioner.ensureCatalog(adminConfig(), Topics.catalog(12), (short) 1);
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    private static Map<String, Object> adminConfig() {
        return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    }

    /** The part of a service this test needs: Spring Boot's Kafka and the topic catalog's provisioning. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({TopicCatalogAutoConfiguration.class, KafkaAutoConfiguration.class})
    static class Service {
    }

    /** A service started with {@code KAFKA_TOPIC_PARTITIONS} as given (null: unset), as the services import it. */
    private static ConfigurableApplicationContext service(String partitions) {
        SpringApplication application = new SpringApplication(Service.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        return application.run(Stream.concat(Stream.of(
                        "--spring.config.import=classpath:dev/chatcentral/service/kafka.yml",
                        "--KAFKA_BOOTSTRAP_SERVERS=" + kafka.bootstrapServers()),
                partitions == null ? Stream.empty() : Stream.of("--KAFKA_TOPIC_PARTITIONS=" + partitions))
                .toArray(String[]::new));
    }

    private static int partitionsOf(String topic) throws Exception {
        try (Admin admin = Admin.create(adminConfig())) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        }
    }

    @Test
    void shouldRefuseToStartAgainstTopicsOfAnotherCountSayingWhichCountTheyHave(CapturedOutput output)
            throws Exception {
        assertThatThrownBy(() -> service("3").close()).isInstanceOf(PartitionCountMismatchException.class);

        assertThat(output).contains("APPLICATION FAILED TO START",
                "  topic chat.events has 12 partitions but KAFKA_TOPIC_PARTITIONS is 3",
                "  topic chat.presence has 12 partitions but KAFKA_TOPIC_PARTITIONS is 3",
                "Set KAFKA_TOPIC_PARTITIONS=12 on every service of this deployment");
        assertThat(output).doesNotContain("chat.metrics has");
        assertThat(partitionsOf(Topics.EVENTS.name())).isEqualTo(12);
    }

    @Test
    void shouldStartWithTheCountTheTopicsHaveAndByDefault() {
        for (String partitions : new String[] {"12", null}) {
            try (ConfigurableApplicationContext context = service(partitions)) {
                assertThat(context.getBean(TopicCatalog.class).partitions(Topics.EVENTS)).isEqualTo(12);
            }
        }
    }

    @Test
    void shouldRefuseHostileCountsBeforeTouchingAnyTopic(CapturedOutput output) {
        for (String hostile : new String[] {"0", "-1", "100000", "1001"}) {
            assertThatThrownBy(() -> service(hostile).close()).hasRootCauseMessage(
                    "KAFKA_TOPIC_PARTITIONS must be a whole number from 1 to 1000, was " + hostile);
        }
        for (String hostile : new String[] {"abc", "1.5", "99999999999999999999"}) {
            assertThatThrownBy(() -> service(hostile).close()).hasRootCauseInstanceOf(NumberFormatException.class);
            assertThat(output).contains("Failed to bind properties under 'chatcentral.kafka.topic-partitions' to int",
                    "Value: \"${KAFKA_TOPIC_PARTITIONS:12}\"", "For input string: \"" + hostile + "\"");
        }
        assertThat(output).contains("KAFKA_TOPIC_PARTITIONS must be a whole number from 1 to 1000, was 100000");
    }
}

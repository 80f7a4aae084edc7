package dev.chatcentral.service.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.chatcentral.schemas.topic.TopicSpec;
import dev.chatcentral.testing.TestKafka;

/** The catalog provisioned through spring-kafka's KafkaAdmin, on a real broker. */
class CatalogKafkaAdminTest {

    private static TestKafka kafka;
    private static Admin admin;

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        admin = Admin.create(config());
    }

    @AfterAll
    static void stop() {
        admin.close();
        kafka.close();
    }

    private static Map<String, Object> config() {
        return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    }

    private static TopicSpec<String, String> spec(int partitions) {
        return new TopicSpec<>("catalog-test-" + UUID.randomUUID(), partitions, Duration.ofHours(1), false, 512 * 1024,
                Map.of(), Serdes.String(), Serdes.String());
    }

    private static CatalogKafkaAdmin catalogAdmin(List<TopicSpec<?, ?>> topics, boolean createTopics) {
        return new CatalogKafkaAdmin(config(), topics, new TopicCatalogProperties((short) 1, createTopics));
    }

    @Test
    void shouldCreateMissingTopicsWithTheCatalogsPartitionsAndRecordSize() throws Exception {
        TopicSpec<String, String> topic = spec(3);

        catalogAdmin(List.of(topic), true).afterSingletonsInstantiated();

        assertThat(admin.describeTopics(List.of(topic.name())).allTopicNames().get().get(topic.name())
                .partitions()).hasSize(3);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic.name());
        assertThat(admin.describeConfigs(List.of(resource)).all().get().get(resource)
                .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value()).isEqualTo(Integer.toString(512 * 1024));
    }

    @Test
    void shouldRefuseToStartAgainstATopicWithAnotherPartitionCountInsteadOfAddingPartitions() throws Exception {
        TopicSpec<String, String> topic = spec(4);
        admin.createTopics(List.of(new NewTopic(topic.name(), 2, (short) 1))).all().get();

        for (boolean createTopics : new boolean[] {true, false}) {
            assertThatThrownBy(() -> catalogAdmin(List.of(topic), createTopics).afterSingletonsInstantiated())
                    .hasStackTraceContaining("topic " + topic.name() + " has 2 partitions but the catalog says 4");
        }
        assertThat(admin.describeTopics(List.of(topic.name())).allTopicNames().get().get(topic.name())
                .partitions()).hasSize(2);
    }

    @Test
    void shouldOnlyCheckWhenServicesMayNotCreateTopics() throws Exception {
        TopicSpec<String, String> topic = spec(2);

        catalogAdmin(List.of(topic), false).afterSingletonsInstantiated();

        Set<String> names = admin.listTopics().names().get();
        assertThat(names).doesNotContain(topic.name());
    }

    @Test
    void shouldBringAnExistingTopicsRecordSizeInLineWithTheCatalog() throws Exception {
        TopicSpec<String, String> topic = spec(1);
        admin.createTopics(List.of(new NewTopic(topic.name(), 1, (short) 1)
                .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "1000")))).all().get();

        catalogAdmin(List.of(topic), true).afterSingletonsInstantiated();

        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic.name());
        assertThat(admin.describeConfigs(List.of(resource)).all().get().get(resource)
                .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value()).isEqualTo(Integer.toString(512 * 1024));
    }
}

package dev.chatcentral.service.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.ForwardingAdmin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.chatcentral.schemas.topic.PartitionCountMismatchException;
import dev.chatcentral.schemas.topic.TopicCatalog;
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

    private static TopicSpec<String, String> spec(TopicSpec.Partitioning partitioning) {
        return new TopicSpec<>("catalog-test-" + UUID.randomUUID(), partitioning, Duration.ofHours(1), false,
                512 * 1024, Map.of(), Serdes.String(), Serdes.String());
    }

    private static TopicSpec<String, String> spread() {
        return spec(TopicSpec.Partitioning.DEPLOYMENT);
    }

    /** The admin of a deployment whose spread topics have {@code partitions} partitions. */
    private static CatalogKafkaAdmin catalogAdmin(List<TopicSpec<?, ?>> topics, int partitions, boolean createTopics) {
        return new CatalogKafkaAdmin(config(), new TopicCatalog(partitions, topics),
                new TopicCatalogProperties((short) 1, createTopics, partitions));
    }

    private static int partitionsOf(TopicSpec<?, ?> topic) throws Exception {
        return admin.describeTopics(List.of(topic.name())).allTopicNames().get().get(topic.name()).partitions().size();
    }

    @Test
    void shouldCreateMissingTopicsWithTheDeploymentsPartitionsAndRecordSize() throws Exception {
        TopicSpec<String, String> topic = spread();
        TopicSpec<String, String> single = spec(TopicSpec.Partitioning.SINGLE);

        catalogAdmin(List.of(topic, single), 3, true).afterSingletonsInstantiated();

        assertThat(partitionsOf(topic)).isEqualTo(3);
        assertThat(partitionsOf(single)).isEqualTo(1);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic.name());
        assertThat(admin.describeConfigs(List.of(resource)).all().get().get(resource)
                .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value()).isEqualTo(Integer.toString(512 * 1024));
    }

    @Test
    void shouldRefuseToStartAgainstATopicWithAnotherPartitionCountInsteadOfAddingPartitions() throws Exception {
        TopicSpec<String, String> topic = spread();
        TopicSpec<String, String> single = spec(TopicSpec.Partitioning.SINGLE);
        admin.createTopics(List.of(new NewTopic(topic.name(), 2, (short) 1), new NewTopic(single.name(), 3, (short) 1)))
                .all().get();

        for (boolean createTopics : new boolean[] {true, false}) {
            assertThatThrownBy(() -> catalogAdmin(List.of(topic, single), 4, createTopics)
                    .afterSingletonsInstantiated())
                    .isInstanceOf(PartitionCountMismatchException.class)
                    .hasMessage("topic " + topic.name() + " has 2 partitions but KAFKA_TOPIC_PARTITIONS is 4"
                            + "; topic " + single.name() + " has 3 partitions but the catalog gives it 1"
                            + "; partition counts never change after creation");
        }
        assertThat(partitionsOf(topic)).isEqualTo(2);
        assertThat(partitionsOf(single)).isEqualTo(3);
    }

    @Test
    void shouldRefuseATopicAnotherServiceCreatedWithItsOwnCountMeanwhile() throws Exception {
        TopicSpec<String, String> topic = spread();
        CatalogKafkaAdmin late = new CatalogKafkaAdmin(config(), new TopicCatalog(4, List.of(topic)),
                new TopicCatalogProperties((short) 1, true, 4)) {
            @Override
            protected Admin createAdmin() {
                return new ForwardingAdmin(config()) {
                    @Override
                    public CreateTopicsResult createTopics(Collection<NewTopic> topics, CreateTopicsOptions options) {
                        // the other service's creation lands between this one's check and its own creation
                        catalogAdmin(List.of(topic), 2, true).afterSingletonsInstantiated();
                        return super.createTopics(topics, options);
                    }
                };
            }
        };

        assertThatThrownBy(late::afterSingletonsInstantiated).isInstanceOf(PartitionCountMismatchException.class)
                .hasMessage("topic " + topic.name() + " has 2 partitions but KAFKA_TOPIC_PARTITIONS is 4"
                        + "; partition counts never change after creation");
        assertThat(partitionsOf(topic)).isEqualTo(2);
    }

    @Test
    void shouldOnlyCheckWhenServicesMayNotCreateTopics() throws Exception {
        TopicSpec<String, String> topic = spread();

        catalogAdmin(List.of(topic), 2, false).afterSingletonsInstantiated();

        Set<String> names = admin.listTopics().names().get();
        assertThat(names).doesNotContain(topic.name());
    }

    @Test
    void shouldBringAnExistingTopicsRecordSizeInLineWithTheCatalog() throws Exception {
        TopicSpec<String, String> topic = spec(TopicSpec.Partitioning.SINGLE);
        admin.createTopics(List.of(new NewTopic(topic.name(), 1, (short) 1)
                .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "1000")))).all().get();

        catalogAdmin(List.of(topic), 12, true).afterSingletonsInstantiated();

        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic.name());
        assertThat(admin.describeConfigs(List.of(resource)).all().get().get(resource)
                .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value()).isEqualTo(Integer.toString(512 * 1024));
    }
}

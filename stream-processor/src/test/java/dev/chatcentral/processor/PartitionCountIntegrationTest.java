package dev.chatcentral.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.topic.EmpresaPartition;
import dev.chatcentral.schemas.topic.Topics;

/**
 * The processor in a deployment of 3 partitions ({@code KAFKA_TOPIC_PARTITIONS=3}): its co-partitioned inputs, its
 * state changelogs and its outputs all have 3, and each empresa's events come out in the partition of 3 the gateway
 * computes for it.
 */
class PartitionCountIntegrationTest {

    private static final int PARTITIONS = 3;
    private static final int EMPRESAS = 6;

    @RegisterExtension
    static final ProcessorTestStack stack = ProcessorTestStack.withArgs("--KAFKA_TOPIC_PARTITIONS=" + PARTITIONS);

    private static byte[] webhook(int n) {
        return ("{\"event\":\"messages.upsert\",\"instance\":\"loja-" + n + "\",\"data\":{\"key\":"
                + "{\"remoteJid\":\"5511900000" + n + "@s.whatsapp.net\",\"fromMe\":false,\"id\":\"PC-" + n + "\"},"
                + "\"pushName\":\"Cliente " + n + "\",\"message\":{\"conversation\":\"mensagem " + n + "\"},"
                + "\"messageType\":\"conversation\",\"messageTimestamp\":" + (1761057639 + n) + "},"
                + "\"sender\":\"5511999990000@s.whatsapp.net\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldProcessEveryEmpresaIntoThePartitionOfThreeTheGatewayLooksIn() throws Exception {
        for (int n = 0; n < EMPRESAS; n++) {
            stack.sendBytes(Topics.WEBHOOKS, "emp-" + n, webhook(n));
        }

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(stack.database().queryForLong("SELECT count(*) FROM mensagem")).isEqualTo(EMPRESAS));
        List<ConsumerRecord<String, byte[]>> notifications = stack.readAll(Topics.EVENTS, Integer.MAX_VALUE,
                        Duration.ofSeconds(5)).stream()
                .filter(r -> EventType.MESSAGE_NOTIFICATION.equals(event(r).type()))
                .toList();
        assertThat(notifications).hasSize(EMPRESAS).allSatisfy(r ->
                assertThat(r.partition()).isEqualTo(EmpresaPartition.of(event(r).empresaId(), PARTITIONS)));
        assertThat(notifications.stream().map(ConsumerRecord::partition).collect(Collectors.toSet()))
                .as("the empresas spread over more than one partition").hasSizeGreaterThan(1);

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.kafka().bootstrapServers()))) {
            Set<String> changelogs = admin.listTopics().names().get().stream()
                    .filter(name -> name.endsWith("-changelog")).collect(Collectors.toSet());
            assertThat(changelogs).isNotEmpty();
            Map<String, TopicDescription> described = admin.describeTopics(changelogs).allTopicNames().get();
            assertThat(described.values()).allSatisfy(d -> assertThat(d.partitions()).hasSize(PARTITIONS));
            assertThat(admin.describeTopics(List.of(Topics.WEBHOOKS.name(), Topics.METRICS.name())).allTopicNames()
                    .get()).satisfies(topics -> {
                        assertThat(topics.get(Topics.WEBHOOKS.name()).partitions()).hasSize(PARTITIONS);
                        assertThat(topics.get(Topics.METRICS.name()).partitions()).hasSize(1);
                    });
        }
    }

    private static RealtimeEvent event(ConsumerRecord<String, byte[]> record) {
        return Topics.EVENTS.valueSerde().deserializer().deserialize(record.topic(), record.value());
    }
}

package dev.chatcentral.processor.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.chatcentral.processor.ProcessorTestApp;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/**
 * A processor that stops leaves the consumer groups of its Kafka Streams clients at once. Otherwise the instance
 * that replaces it (a restart, a deploy) joins a group still holding the old member, and every partition waits until
 * that member's session times out, 45 s by default, with nothing processed for any empresa.
 */
class StreamsLeaveGroupIntegrationTest {

    @TempDir
    static Path stateDir;

    private static TestKafka kafka;
    private static TestDatabase database;
    private static Admin admin;

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        database = TestDatabase.create();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (database != null) {
            database.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldLeaveTheConversaAndPresenceGroupsWhenStopped() {
        ProcessorTestApp app = ProcessorTestApp.start(kafka, database, stateDir);
        List<String> groups;
        try {
            groups = List.of(
                    app.context().getEnvironment().getRequiredProperty("chatcentral.processor.application-id"),
                    app.context().getEnvironment().getRequiredProperty(
                            "chatcentral.processor.presence.application-id"));
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .until(() -> groups.stream().allMatch(group -> members(group) == 1));
        } finally {
            app.close();
        }
        // well within the 45 s session timeout: only a member that left is gone this soon
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(groups).allMatch(group -> members(group) == 0));
    }

    private static int members(String group) {
        try {
            ConsumerGroupDescription description =
                    admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            return description.members().size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}

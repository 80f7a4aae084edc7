package dev.chatcentral.gateway.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.chatcentral.gateway.GatewayApplication;
import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/** Gateway nodes on a test's broker and database, and the events a test writes for them to deliver. */
public final class TestGateway {

    private TestGateway() {
    }

    /** Starts a node on a free port; {@code settings} are extra {@code --name=value} arguments. */
    public static ConfigurableApplicationContext start(TestKafka kafka, TestDatabase database, String... settings) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.user()));
        args.addAll(List.of(settings));
        return GatewayApplication.application().run(args.toArray(String[]::new));
    }

    public static int port(ConfigurableApplicationContext node) {
        return ((WebServerApplicationContext) node).getWebServer().getPort();
    }

    /** Writes to {@code chat.events} with acks=all; records up to 4 MiB. */
    public static KafkaProducer<String, RealtimeEvent> eventsProducer(TestKafka kafka) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024),
                Topics.EVENTS.keySerde().serializer(), Topics.EVENTS.valueSerde().serializer());
    }

    /** A small event of the empresa on the channel, with an id of its own. */
    public static RealtimeEvent event(String empresaId, String channel) {
        return new RealtimeEvent(UUID.randomUUID().toString(), empresaId, EventType.CONVERSATION_UPDATED,
                List.of(channel), Json.MAPPER.createObjectNode().put("n", UUID.randomUUID().toString()), Instant.now());
    }
}

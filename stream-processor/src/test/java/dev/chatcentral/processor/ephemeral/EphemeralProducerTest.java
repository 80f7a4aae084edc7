package dev.chatcentral.processor.ephemeral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.serde.Json;

/** The fast lane's writer when Kafka is not there, and when handed what is not typing. */
class EphemeralProducerTest {

    @Test
    void shouldDropTypingAfterOneShortWaitWhenNoBrokerAnswersSoPresenceIsNotHeldUp() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        EphemeralProducer producer = new EphemeralProducer(unreachable(), meters);
        try {
            long start = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                producer.publish(typing(EventType.TYPING_START), System.currentTimeMillis());
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            // one wait of at most 500 ms for metadata, then the lane pauses: not 20 of them
            assertThat(took).isLessThan(Duration.ofSeconds(2));
            assertThat(meters.counter("chatcentral.processor.ephemeral.failed").count()).isEqualTo(20);
            assertThat(meters.counter("chatcentral.processor.ephemeral.sent").count()).isZero();
        } finally {
            producer.destroy();
        }
    }

    @Test
    void shouldRefuseWhatIsNotTypingSoPresenceChangesKeepTheirExactlyOncePath() {
        EphemeralProducer producer = new EphemeralProducer(unreachable(), new SimpleMeterRegistry());
        try {
            for (String type : List.of(EventType.PRESENCE_UPDATE, EventType.MESSAGE_NOTIFICATION, "", "typing")) {
                assertThatThrownBy(() -> producer.publish(typing(type), 0L))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only typing events");
            }
        } finally {
            producer.destroy();
        }
    }

    /** A port nothing listens on: taken, then given back. */
    private static KafkaProperties unreachable() {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        KafkaProperties properties = new KafkaProperties();
        properties.setBootstrapServers(List.of("127.0.0.1:" + port));
        return properties;
    }

    private static RealtimeEvent typing(String type) {
        return new RealtimeEvent("id-1", "emp-1", type, List.of("conversa:c-1"),
                Json.MAPPER.createObjectNode().put("conversaId", "c-1"), Instant.now());
    }
}

package dev.chatcentral.processor.topology;

import static dev.chatcentral.processor.topology.TopologyFixture.EMPRESA;
import static dev.chatcentral.processor.topology.Webhooks.INSTANCE;
import static dev.chatcentral.processor.topology.Webhooks.customerText;
import static dev.chatcentral.processor.topology.Webhooks.envelope;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.RealtimeEvent;

/**
 * A WhatsApp number that says it is connected and stops sending webhooks (issue 19): reported silent against its own
 * usual gap, once, and cleared by its next webhook; settings in {@link TopologyFixture#SILENCE}.
 */
class InstanceSilenceTopologyTest {

    @TempDir
    Path stateDir;

    private TopologyFixture t;

    @BeforeEach
    void start() {
        t = new TopologyFixture(stateDir);
    }

    @AfterEach
    void close() {
        t.close();
    }

    /** {@code count} webhooks of {@code instance}, one every {@code gap} of wall-clock time. */
    private void traffic(String empresaId, String instance, int count, Duration gap) {
        for (int i = 0; i < count; i++) {
            t.send(empresaId, envelope("messages.upsert", instance, "{\"key\":{\"remoteJid\":\"55119888877"
                    + (i % 10) + "7@s.whatsapp.net\",\"fromMe\":false,\"id\":\"" + instance + "-" + empresaId + "-"
                    + i + "\"},\"message\":{\"conversation\":\"oi\"},\"messageType\":\"conversation\"}"));
            t.advance(gap);
        }
    }

    private List<RealtimeEvent> statuses() {
        return t.events.readValuesToList().stream().filter(e -> e.type().equals(EventType.INSTANCE_STATUS))
                .toList();
    }

    @Test
    void shouldReportANumberSilentAfterTenUsualGapsAndOnlyOnce() {
        traffic(EMPRESA, INSTANCE, 25, Duration.ofMinutes(1));
        t.drainOutputs();

        t.advance(Duration.ofMinutes(5));
        assertThat(statuses()).isEmpty();
        t.advance(Duration.ofMinutes(5));

        List<RealtimeEvent> silent = statuses();
        assertThat(silent).hasSize(1);
        assertThat(silent.get(0).channels()).containsExactly("empresa:" + EMPRESA);
        assertThat(silent.get(0).data().path("instance").stringValue()).isEqualTo(INSTANCE);
        assertThat(silent.get(0).data().path("state").stringValue()).isEqualTo("open");
        assertThat(silent.get(0).data().path("silent").booleanValue()).isTrue();
        assertThat(silent.get(0).data().path("lastWebhookAt").isString()).isTrue();
        assertThat(t.silences).containsExactly(EMPRESA + "|" + INSTANCE + "|true");

        t.advance(Duration.ofMinutes(30));
        assertThat(statuses()).isEmpty();
    }

    @Test
    void shouldClearTheSilenceOnTheNextWebhook() {
        traffic(EMPRESA, INSTANCE, 25, Duration.ofMinutes(1));
        t.advance(Duration.ofMinutes(11));
        t.drainOutputs();

        t.send(customerText("BACK", "voltei"));

        List<RealtimeEvent> back = statuses();
        assertThat(back).hasSize(1);
        assertThat(back.get(0).data().path("silent").booleanValue()).isFalse();
        assertThat(t.silences).containsExactly(EMPRESA + "|" + INSTANCE + "|true", EMPRESA + "|" + INSTANCE + "|false");
    }

    @Test
    void shouldNotReportANumberThatSaidItIsClosedNorOneWithTooLittleTraffic() {
        traffic(EMPRESA, INSTANCE, 25, Duration.ofMinutes(1));
        t.send(envelope("connection.update", INSTANCE, "{\"instance\":\"" + INSTANCE
                + "\",\"state\":\"close\",\"statusReason\":401}"));
        traffic(EMPRESA, "loja-quieta", 5, Duration.ofMinutes(1));
        t.drainOutputs();

        t.advance(Duration.ofHours(2));

        assertThat(statuses()).isEmpty();
    }

    @Test
    void shouldJudgeEachNumberByItsOwnTraffic() {
        traffic("emp-2", "loja-lenta", 25, Duration.ofMinutes(2));
        traffic(EMPRESA, "loja-rapida", 25, Duration.ofSeconds(10));
        t.drainOutputs();

        t.advance(Duration.ofMinutes(6));
        assertThat(statuses()).extracting(e -> e.data().path("instance").stringValue()).containsExactly("loja-rapida");
        t.advance(Duration.ofMinutes(20));
        assertThat(statuses()).extracting(e -> e.data().path("instance").stringValue()).containsExactly("loja-lenta");
    }
}

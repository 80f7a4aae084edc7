package dev.chatcentral.processor.topology;

import static dev.chatcentral.processor.topology.TopologyFixture.EMPRESA;
import static dev.chatcentral.processor.topology.Webhooks.CUSTOMER_JID;
import static dev.chatcentral.processor.topology.Webhooks.INSTANCE;
import static dev.chatcentral.processor.topology.Webhooks.customerText;
import static dev.chatcentral.processor.topology.Webhooks.envelope;
import static dev.chatcentral.processor.topology.Webhooks.presence;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.chatcentral.schemas.event.RealtimeEvent;

/**
 * The customer's typing on the fast lane (issue 21): every typing event the conversas topology decides goes to
 * {@code chat.ephemeral} at once, besides {@code chat.events}, with the same id, and nothing else does.
 */
class CustomerTypingFastLaneTest {

    private static final String OTHER_EMPRESA = "emp-2";

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

    @Test
    void shouldHandEachCustomerTypingEdgeToTheFastLaneWithTheIdItHasInChatEvents() {
        t.send(customerText("C1", "Oi"));
        t.drainOutputs();
        assertThat(t.fastLane).isEmpty();

        t.send(presence(CUSTOMER_JID, CUSTOMER_JID, "composing"));
        t.send(presence(CUSTOMER_JID, CUSTOMER_JID, "composing"));
        t.send(presence(CUSTOMER_JID, CUSTOMER_JID, "paused"));

        List<RealtimeEvent> durable = t.events.readValuesToList();
        assertThat(durable).extracting(RealtimeEvent::type).containsExactly("typing_start", "typing_stop");
        assertThat(t.fastLane).extracting(TestRecord::value).containsExactlyElementsOf(durable);
        assertThat(t.fastLane).extracting(TestRecord::key).containsOnly(EMPRESA);
        // stamped with the webhook's time, by which gateways tell a stale start
        assertThat(t.fastLane.get(0).timestamp()).isEqualTo(t.recordTime.minusSeconds(2).toEpochMilli());
    }

    @Test
    void shouldHandTheStopOfAnExpiredCustomerTypingToTheFastLane() {
        t.send(customerText("C1", "Oi"));
        t.send(presence(CUSTOMER_JID, CUSTOMER_JID, "composing"));
        t.drainOutputs();

        for (int second = 0; second < 11; second++) {
            t.advance(Duration.ofSeconds(1));
        }

        assertThat(t.fastLane).extracting(r -> r.value().type()).containsExactly("typing_start", "typing_stop");
        RealtimeEvent stop = t.fastLane.get(1).value();
        assertThat(stop.data().path("presence").stringValue()).isEqualTo("expired");
        assertThat(t.events.readValuesToList()).containsExactly(stop);
    }

    @Test
    void shouldAnnounceACustomerStillTypingAgainOnceMoreThanHalfTheTimeoutPassed() {
        t.send(customerText("C1", "Oi"));
        t.drainOutputs();

        // WhatsApp repeats composing every few seconds while the customer types
        t.send(presence(CUSTOMER_JID, CUSTOMER_JID, "composing"));
        for (int second = 2; second <= 14; second += 2) {
            t.advance(Duration.ofSeconds(2));
            t.send(presence(CUSTOMER_JID, CUSTOMER_JID, "composing"));
        }

        // at 0 s, 6 s and 12 s: a client dropping an indicator 10 s after the start it saw never drops this one
        List<RealtimeEvent> durable = t.events.readValuesToList();
        assertThat(durable).extracting(RealtimeEvent::type)
                .containsExactly("typing_start", "typing_start", "typing_start");
        assertThat(durable).extracting(RealtimeEvent::id).doesNotHaveDuplicates();
        assertThat(t.fastLane).extracting(TestRecord::value).containsExactlyElementsOf(durable);
    }

    @Test
    void shouldKeepHostilePresenceWebhooksOffTheFastLaneWhileAnotherEmpresasTypingGoesThrough() {
        t.send(customerText("C1", "Oi"));
        t.send(OTHER_EMPRESA, customerText("C2", "Olá"));
        t.drainOutputs();

        String huge = "x".repeat(200_000);
        List<byte[]> hostile = List.of(
                "not json".getBytes(StandardCharsets.UTF_8),
                new byte[0],
                envelope("presence.update", INSTANCE, "{}"),
                envelope("presence.update", INSTANCE, "[1,2]"),
                envelope("presence.update", INSTANCE, "{\"id\":42,\"presences\":\"composing\"}"),
                envelope("presence.update", INSTANCE, "{\"id\":\"" + CUSTOMER_JID + "\",\"presences\":{\""
                        + CUSTOMER_JID + "\":{\"lastKnownPresence\":42}}}"),
                presence(CUSTOMER_JID, CUSTOMER_JID, "compo\\u0000sing"),
                presence(CUSTOMER_JID, CUSTOMER_JID, huge),
                presence(CUSTOMER_JID + huge, CUSTOMER_JID, "composing"),
                // a customer of no conversa of this empresa: typing opens none
                presence("5511900000000@s.whatsapp.net", "5511900000000@s.whatsapp.net", "composing"));
        hostile.forEach(t::send);
        assertThat(t.fastLane).isEmpty();

        t.send(OTHER_EMPRESA, presence(CUSTOMER_JID, CUSTOMER_JID, "composing"));

        assertThat(t.fastLane).extracting(TestRecord::key).containsExactly(OTHER_EMPRESA);
        assertThat(t.fastLane.get(0).value().type()).isEqualTo("typing_start");
    }
}

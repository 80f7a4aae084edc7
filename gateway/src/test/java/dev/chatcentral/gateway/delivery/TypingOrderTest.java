package dev.chatcentral.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.serde.Json;

class TypingOrderTest {

    private static final long TIMEOUT = 10_000;
    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    private final TypingOrder order = new TypingOrder(TIMEOUT);

    @Test
    void shouldDropAStopDatedBeforeTheLatestStartOfTheSameTypistInTheSameConversa() {
        assertThat(order.admit(atendente(EventType.TYPING_START, "emp-1", "conv-1", "ana", T0.plusMillis(20)),
                now())).isTrue();
        assertThat(order.admit(atendente(EventType.TYPING_STOP, "emp-1", "conv-1", "ana", T0), now())).isFalse();
        // another conversa, another typist, another empresa: theirs
        assertThat(order.admit(atendente(EventType.TYPING_STOP, "emp-1", "conv-2", "ana", T0), now())).isTrue();
        assertThat(order.admit(atendente(EventType.TYPING_STOP, "emp-1", "conv-1", "bia", T0), now())).isTrue();
        assertThat(order.admit(atendente(EventType.TYPING_STOP, "emp-2", "conv-1", "ana", T0), now())).isTrue();
        // the same moment is not older: what arrives later is shown
        assertThat(order.admit(atendente(EventType.TYPING_STOP, "emp-1", "conv-1", "ana", T0.plusMillis(20)),
                now())).isTrue();
    }

    @Test
    void shouldLeaveCustomersTypingAndIncompleteEventsAlone() {
        order.admit(atendente(EventType.TYPING_START, "emp-1", "conv-1", "ana", T0.plusSeconds(1)), now());
        RealtimeEvent customer = new RealtimeEvent("c", "emp-1", EventType.TYPING_STOP, List.of("conversa:conv-1"),
                Json.MAPPER.createObjectNode().put("conversaId", "conv-1").put("who", "cliente"), T0);
        RealtimeEvent undated = new RealtimeEvent("u", "emp-1", EventType.TYPING_STOP, List.of("conversa:conv-1"),
                Json.MAPPER.createObjectNode().put("conversaId", "conv-1").put("who", "atendente").put("userId", "ana"),
                null);
        RealtimeEvent typed = new RealtimeEvent("t", "emp-1", EventType.TYPING_STOP, List.of("conversa:conv-1"),
                Json.MAPPER.createObjectNode().put("conversaId", "conv-1").put("who", "atendente").put("userId", 7),
                T0);
        RealtimeEvent notAnObject = new RealtimeEvent("n", "emp-1", EventType.TYPING_STOP, List.of("conversa:conv-1"),
                Json.MAPPER.createArrayNode().add("ana"), T0);

        assertThat(List.of(customer, undated, typed, notAnObject)).allMatch(e -> order.admit(e, now()));
    }

    @Test
    void shouldForgetTypistsTwoTimeoutsAfterTheirLatestEventSoMemoryStaysBounded() {
        for (int i = 0; i < 1_000; i++) {
            order.admit(atendente(EventType.TYPING_START, "emp-1", "conv-" + i, "ana", T0), T0.toEpochMilli());
        }
        assertThat(order.size()).isEqualTo(1_000);

        long later = T0.plusMillis(2 * TIMEOUT + 1).toEpochMilli();
        order.admit(atendente(EventType.TYPING_START, "emp-1", "conv-new", "ana", Instant.ofEpochMilli(later)), later);

        assertThat(order.size()).isEqualTo(1);
    }

    private static long now() {
        return T0.toEpochMilli();
    }

    private static RealtimeEvent atendente(String type, String empresaId, String conversaId, String userId,
                                           Instant ts) {
        return new RealtimeEvent(type + conversaId + userId + ts, empresaId, type,
                List.of("conversa:" + conversaId), Json.MAPPER.createObjectNode().put("conversaId", conversaId)
                .put("who", "atendente").put("userId", userId), ts);
    }
}

package dev.chatcentral.processor.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.conversa.MensagemStatus;

class SinkRepositoryTest {

    private static final Instant T0 = Instant.parse("2026-11-29T12:00:00Z");

    private static Mensagem reply(String id, String keyId, MensagemStatus status) {
        return new Mensagem(id, "conversa-1", "emp-1", "loja-01", keyId, true, "5511999990000@s.whatsapp.net", null,
                "conversation", "Sim!", status, T0, T0, List.of());
    }

    @Test
    void shouldKeepTheResentRepliesServerAckWhenItsErrorAndResendArriveInTheSameBatch() {
        List<Mensagem> kept = SinkRepository.latest(List.of(
                reply("m-1", "pending:m-1", MensagemStatus.PENDING),
                reply("m-1", "pending:m-1", MensagemStatus.ERROR),
                reply("m-1", "pending:m-1", MensagemStatus.PENDING),
                reply("m-1", "3EB0C767D097B7C7C030", MensagemStatus.SERVER_ACK),
                reply("m-1", "pending:m-1", MensagemStatus.PENDING)));

        assertThat(kept).singleElement().satisfies(m -> {
            assertThat(m.status()).isEqualTo(MensagemStatus.SERVER_ACK);
            assertThat(m.keyId()).isEqualTo("3EB0C767D097B7C7C030");
        });
    }

    @Test
    void shouldMoveEachMensagemForwardOnlyButToErrorFromAnyStatus() {
        List<Mensagem> kept = SinkRepository.latest(List.of(
                reply("m-1", "A", MensagemStatus.DELIVERY_ACK),
                reply("m-2", "B", MensagemStatus.READ),
                reply("m-1", "A", MensagemStatus.SERVER_ACK),
                reply("m-2", "B", MensagemStatus.ERROR),
                reply("m-2", "B", MensagemStatus.READ)));

        assertThat(kept).extracting(Mensagem::mensagemId, Mensagem::status).containsExactly(
                tuple("m-1", MensagemStatus.DELIVERY_ACK),
                tuple("m-2", MensagemStatus.ERROR));
    }
}

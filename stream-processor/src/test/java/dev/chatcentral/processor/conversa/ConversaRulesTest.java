package dev.chatcentral.processor.conversa;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.ConversaStatus;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.conversa.MensagemStatus;

class ConversaRulesTest {

    private static final ConversaKey KEY = new ConversaKey("emp-1", "loja-01", "5511988887777@s.whatsapp.net");
    private static final Instant T0 = Instant.parse("2025-10-21T14:00:00Z");
    private static final Instant NOW = Instant.parse("2025-10-21T15:00:00Z");

    private static Conversa conversa(ConversaStatus status, String atendenteId) {
        return new Conversa(KEY.conversaId(), "emp-1", "loja-01", KEY.customerJid(), null, "Maria", status,
                atendenteId, 2, "antes", T0, 5, T0, T0);
    }

    private static Mensagem mensagem(boolean fromMe, String text, Instant sentAt) {
        return new Mensagem("m-1", KEY.conversaId(), "emp-1", "loja-01", "K1", fromMe,
                fromMe ? "5511999990000@s.whatsapp.net" : KEY.customerJid(), fromMe ? "Loja" : "Maria Souza",
                "conversation", text, fromMe ? MensagemStatus.SERVER_ACK : MensagemStatus.DELIVERY_ACK, sentAt, NOW, List.of());
    }

    @Test
    void shouldReopenEncerradaConversaWhenCustomerWrites() {
        Conversa next = ConversaRules.onMensagem(conversa(ConversaStatus.ENCERRADA, "ana"), KEY, null,
                mensagem(false, "voltei", NOW), NOW);

        assertThat(next.status()).isEqualTo(ConversaStatus.AGUARDANDO);
        assertThat(next.atendenteId()).isNull();
        assertThat(next.unreadCount()).isEqualTo(3);
        assertThat(next.version()).isEqualTo(6);
        assertThat(next.updatedAt()).isEqualTo(NOW);
        assertThat(next.createdAt()).isEqualTo(T0);
    }

    @Test
    void shouldKeepEncerradaConversaClosedWhenCompanyWrites() {
        Conversa next = ConversaRules.onMensagem(conversa(ConversaStatus.ENCERRADA, "ana"), KEY, null,
                mensagem(true, "obrigado pelo contato", NOW), NOW);

        assertThat(next.status()).isEqualTo(ConversaStatus.ENCERRADA);
        assertThat(next.atendenteId()).isEqualTo("ana");
        assertThat(next.unreadCount()).isEqualTo(2);
        assertThat(next.contactName()).isEqualTo("Maria");
        assertThat(next.lastMensagemPreview()).isEqualTo("obrigado pelo contato");
    }

    @Test
    void shouldKeepAtendenteWhenCustomerWritesIntoOpenConversa() {
        Conversa next = ConversaRules.onMensagem(conversa(ConversaStatus.EM_ATENDIMENTO, "ana"), KEY, null,
                mensagem(false, "e aí?", NOW), NOW);

        assertThat(next.status()).isEqualTo(ConversaStatus.EM_ATENDIMENTO);
        assertThat(next.atendenteId()).isEqualTo("ana");
        assertThat(next.contactName()).isEqualTo("Maria Souza");
    }

    @Test
    void shouldNotReplacePreviewWhenOlderMensagemArrivesLate() {
        Conversa next = ConversaRules.onMensagem(conversa(ConversaStatus.AGUARDANDO, null), KEY, null,
                mensagem(false, "mais antiga", T0.minusSeconds(30)), NOW);

        assertThat(next.lastMensagemPreview()).isEqualTo("antes");
        assertThat(next.lastMensagemAt()).isEqualTo(T0);
        assertThat(next.unreadCount()).isEqualTo(3);
    }

    @Test
    void shouldReturnSameConversaWhenMensagemChangesNothing() {
        Conversa current = conversa(ConversaStatus.AGUARDANDO, null);

        Conversa next = ConversaRules.onMensagem(current, KEY, null, mensagem(true, "velha", T0.minusSeconds(30)),
                NOW);

        assertThat(next).isSameAs(current);
    }

    @Test
    void shouldCutLongTextInPreview() {
        String longText = "á".repeat(150);

        Conversa opened = ConversaRules.onMensagem(null, KEY, null, mensagem(false, longText, NOW), NOW);

        assertThat(opened.lastMensagemPreview()).isEqualTo("á".repeat(ConversaRules.PREVIEW_LENGTH) + "…");
        assertThat(opened.version()).isEqualTo(1);
        assertThat(opened.unreadCount()).isEqualTo(1);
    }

    @Test
    void shouldOpenWithoutUnreadWhenCompanyWritesFirst() {
        Conversa opened = ConversaRules.onMensagem(null, KEY, null, mensagem(true, "Olá!", NOW), NOW);

        assertThat(opened.unreadCount()).isZero();
        assertThat(opened.contactName()).isNull();
        assertThat(opened.status()).isEqualTo(ConversaStatus.AGUARDANDO);
    }
}

package dev.chatcentral.analytics.topology;

import static dev.chatcentral.analytics.topology.AnalyticsDriver.at;
import static dev.chatcentral.analytics.topology.AnalyticsDriver.figures;
import static dev.chatcentral.schemas.conversa.ConversaStatus.AGUARDANDO;
import static dev.chatcentral.schemas.conversa.ConversaStatus.EM_ATENDIMENTO;
import static dev.chatcentral.schemas.metrics.ServiceMetrics.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.conversa.MensagemStatus;
import dev.chatcentral.schemas.metrics.ServiceMetrics;

/**
 * Records no pipeline writes but a tap must survive: each is dropped with a reason, and the same empresa's and the
 * next empresa's figures go on.
 */
class HostileInputTest {

    private static final String VICTIM = "emp-hostile";
    private static final String NEXT = "emp-next";

    @TempDir
    Path stateDir;

    private AnalyticsDriver driver;

    @BeforeEach
    void start() {
        driver = new AnalyticsDriver(stateDir, Map.of());
        driver.conversa(VICTIM, "c-victim", AGUARDANDO, null, at(0, 0));
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    /** The next empresa's conversa and mensagem still count, and so do the victim's own. */
    private void assertOthersGoOn() {
        driver.conversa(NEXT, "c-next", AGUARDANDO, null, at(0, 2));
        driver.mensagem(NEXT, "c-next", "m-next", false, at(0, 3));
        driver.mensagem(VICTIM, "c-victim", "m-victim", false, at(0, 3));
        driver.clockTo(at(0, 5));
        ServiceMetrics next = driver.latest(NEXT);
        assertThat(next.waiting()).isEqualTo(1);
        assertThat(figures(next, MINUTE).mensagensIn()).isEqualTo(1);
        ServiceMetrics victim = driver.latest(VICTIM);
        assertThat(victim.waiting()).isEqualTo(1);
        assertThat(figures(victim, MINUTE).mensagensIn()).isEqualTo(1);
    }

    @Test
    void shouldDropUnreadableAndWronglyTypedRecords() {
        driver.conversaBytes("c-victim", "{not json");
        driver.conversaBytes("c-victim", "{\"conversaId\":\"c-victim\",\"empresaId\":\"" + VICTIM
                + "\",\"status\":42,\"version\":\"many\"}");
        driver.conversaBytes("c-victim", "[]");
        driver.conversaBytes("c-victim", "");
        driver.mensagemBytes("c-victim", new byte[] {0, (byte) 0xff, 0x7b});
        driver.mensagemBytes("c-victim", "{\"mensagemId\":{\"a\":1}}".getBytes(StandardCharsets.UTF_8));
        driver.mensagemBytes("c-victim", ("{\"mensagemId\":\"m-null\",\"conversaId\":\"c-victim\",\"empresaId\":\""
                + VICTIM + "\",\"sanitized\":[null],\"reactions\":[null]}").getBytes(StandardCharsets.UTF_8));
        driver.mensagemBytes("c-victim", ("[".repeat(100_000) + "]".repeat(100_000)).getBytes(StandardCharsets.UTF_8));

        assertOthersGoOn();
        assertThat(driver.rejected).containsExactly(
                "chat.conversas: unreadable", "chat.conversas: unreadable", "chat.conversas: unreadable",
                "chat.conversas: unreadable", "chat.mensagens: unreadable", "chat.mensagens: unreadable",
                "chat.mensagens: unreadable", "chat.mensagens: unreadable");
    }

    @Test
    void shouldDropAConversaWithNullFields() {
        driver.conversa(new Conversa("c-victim", VICTIM, null, null, null, null, null, null, 0, null, null, 9,
                null, null), at(0, 1));
        driver.conversa(new Conversa("c-victim", VICTIM, null, null, null, null, EM_ATENDIMENTO, null, 0, null,
                null, 9, null, at(0, 1)), at(0, 1));
        driver.conversa(new Conversa("c-victim", null, null, null, null, null, AGUARDANDO, null, 0, null, null, 9,
                null, at(0, 1)), at(0, 1));
        driver.conversa(new Conversa("c-victim", VICTIM, null, null, null, null, AGUARDANDO, null, 0, null, null, 9,
                null, null), at(0, 1));
        driver.conversaBytes(null, "{}");
        driver.conversaBytes("c-victim", null);

        assertOthersGoOn();
        assertThat(driver.rejected).containsExactly("chat.conversas: missing_field",
                "chat.conversas: missing_field", "chat.conversas: invalid_id", "chat.conversas: out_of_range",
                "chat.conversas: unreadable");
    }

    @Test
    void shouldDropHugeAndNulLadenIds() {
        String huge = "a".repeat(1_000_000);
        for (String atendenteId : List.of(huge, "ana\u0000admin", "")) {
            driver.conversa(new Conversa("c-victim", VICTIM, "inst-1", null, null, null, EM_ATENDIMENTO,
                    atendenteId, 0, null, null, 9, at(0, 0), at(0, 1)), at(0, 1));
        }
        driver.conversa(new Conversa(huge, VICTIM, "inst-1", null, null, null, AGUARDANDO, null, 0, null, null, 1,
                at(0, 0), at(0, 1)), at(0, 1));
        driver.conversa(new Conversa("c-x", "emp\u0000", "inst-1", null, null, null, AGUARDANDO, null, 0, null,
                null, 1, at(0, 0), at(0, 1)), at(0, 1));
        driver.mensagem(mensagem("m\u0000", "c-victim", VICTIM, at(0, 1)));

        assertOthersGoOn();
        assertThat(driver.rejected).hasSize(6).allMatch(r -> r.endsWith(": invalid_id"));
        assertThat(driver.latest(VICTIM).atendentes()).isEmpty();
    }

    @Test
    void shouldDropTimesFarInThePastOrTheFuture() {
        for (Instant far : List.of(Instant.EPOCH, Instant.parse("1999-12-31T23:59:59Z"),
                Instant.parse("3000-01-01T00:00:00Z"), Instant.MAX, Instant.MIN, driver.now().plusSeconds(120))) {
            driver.conversa(new Conversa("c-far", VICTIM, "inst-1", null, null, null, AGUARDANDO, null, 0, null,
                    null, 1, at(0, 0), far), at(0, 1));
            driver.mensagem(mensagem("m-far", "c-victim", VICTIM, far));
        }

        assertOthersGoOn();
        assertThat(driver.rejected).hasSize(12).allMatch(r -> r.endsWith(": out_of_range"));
        assertThat(driver.latest(VICTIM).waiting()).isEqualTo(1);
    }

    @Test
    void shouldDropARecordWhoseKeyIsNotItsConversaOrWhoseEmpresaChanged() {
        driver.mensagem(mensagem("m-1", "c-victim", VICTIM, at(0, 1)));
        driver.mensagemBytes("c-other", dev.chatcentral.schemas.topic.Topics.MENSAGENS.valueSerde().serializer()
                .serialize("", mensagem("m-2", "c-victim", VICTIM, at(0, 1))));
        // another empresa claims the victim's conversa: neither its state nor its figures move
        driver.conversa(new Conversa("c-victim", NEXT, "inst-1", null, null, null, AGUARDANDO, null, 0, null, null,
                7, at(0, 0), at(0, 1)), at(0, 1));
        driver.mensagem(mensagem("m-3", "c-victim", NEXT, at(0, 1)));

        driver.clockTo(at(0, 2));
        assertThat(figures(driver.latest(VICTIM), MINUTE).mensagensIn()).isEqualTo(1);
        assertThat(driver.latest(NEXT)).isNull();
        assertThat(driver.rejected).containsExactly("chat.mensagens: invalid_id",
                "chat.conversas: empresa_changed", "chat.mensagens: empresa_changed");
    }

    @Test
    void shouldWriteAnEmpresaWithTooManyAtendentesForOneRecordWithoutTheirDetails() {
        driver.close();
        driver = new AnalyticsDriver(stateDir.resolve("small"), Map.of(), 4_000);
        for (int i = 0; i < 20; i++) {
            String conversaId = "c-" + i;
            driver.conversa(VICTIM, conversaId, AGUARDANDO, null, at(0, 0));
            driver.conversa(VICTIM, conversaId, EM_ATENDIMENTO, ("atendente-" + i + "-").repeat(15), at(0, 1));
        }
        driver.conversa(NEXT, "c-next", AGUARDANDO, null, at(0, 0));
        driver.conversa(NEXT, "c-next", EM_ATENDIMENTO, "ana", at(0, 1));
        driver.clockTo(at(0, 2));

        ServiceMetrics victim = driver.latest(VICTIM);
        assertThat(victim.atendentes()).isEmpty();
        assertThat(victim.window(MINUTE).byAtendente()).isEmpty();
        assertThat(figures(victim, MINUTE).assigned()).isEqualTo(20);
        assertThat(driver.trimmed).containsOnly(VICTIM);
        ServiceMetrics next = driver.latest(NEXT);
        assertThat(next.atendentes()).hasSize(1);
        assertThat(next.window(MINUTE).byAtendente()).hasSize(1);
    }

    private static Mensagem mensagem(String mensagemId, String conversaId, String empresaId, Instant sentAt) {
        return new Mensagem(mensagemId, conversaId, empresaId, "inst-1", "k", false, "x@s.whatsapp.net", null,
                "conversation", "oi", MensagemStatus.DELIVERY_ACK, sentAt, sentAt, List.of());
    }
}

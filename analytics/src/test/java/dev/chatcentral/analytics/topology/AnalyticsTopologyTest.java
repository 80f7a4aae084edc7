package dev.chatcentral.analytics.topology;

import static dev.chatcentral.analytics.topology.AnalyticsDriver.at;
import static dev.chatcentral.analytics.topology.AnalyticsDriver.figures;
import static dev.chatcentral.analytics.topology.AnalyticsDriver.figuresOf;
import static dev.chatcentral.schemas.conversa.ConversaStatus.AGUARDANDO;
import static dev.chatcentral.schemas.conversa.ConversaStatus.EM_ATENDIMENTO;
import static dev.chatcentral.schemas.conversa.ConversaStatus.ENCERRADA;
import static dev.chatcentral.schemas.metrics.ServiceMetrics.HOUR;
import static dev.chatcentral.schemas.metrics.ServiceMetrics.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.conversa.MensagemStatus;
import dev.chatcentral.schemas.metrics.ServiceMetrics;
import dev.chatcentral.schemas.metrics.ServiceMetrics.AtendenteLoad;
import dev.chatcentral.schemas.metrics.ServiceMetrics.Figures;

/**
 * Hand-computed figures. Figures read (assigned, firstAssignmentMsSum, firstAssignmentMsMax, firstResponses,
 * firstResponseMsSum, firstResponseMsMax, closed, handlingMsSum, handlingMsMax, mensagensIn, mensagensOut,
 * slaBreaches). Times are minute:second after 10:00:00; targets 2 min to a first atendente and 5 min to a first
 * reply unless an empresa has its own.
 */
class AnalyticsTopologyTest {

    private static final String EMP = "emp-1";
    private static final String OTHER = "emp-2";
    private static final String ANA = "ana";
    private static final String BIA = "bia";

    @TempDir
    Path stateDir;

    private AnalyticsDriver driver;

    @BeforeEach
    void start() {
        driver = new AnalyticsDriver(stateDir, Map.of(OTHER, new SlaTargets.Targets(Duration.ofSeconds(30),
                Duration.ofMinutes(5))));
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void shouldMeasureWaitResponseAndHandlingOfOneConversa() {
        driver.conversa(EMP, "c1", AGUARDANDO, null, at(0, 0));
        driver.clockTo(at(0, 10));
        driver.mensagem(EMP, "c1", "m1", false, at(0, 10));
        driver.clockTo(at(0, 40));
        driver.conversa(EMP, "c1", EM_ATENDIMENTO, ANA, at(0, 40));
        driver.clockTo(at(0, 50));
        driver.mensagem(EMP, "c1", "m2", true, at(0, 50));
        driver.clockTo(at(0, 55));
        driver.conversa(EMP, "c1", ENCERRADA, ANA, at(0, 55));
        driver.tick();

        ServiceMetrics metrics = driver.latest(EMP);
        // waited 0:00 → 0:40; first mensagem 0:10, reply 0:50; served 0:40 → 0:55
        Figures expected = new Figures(1, 40_000, 40_000, 1, 40_000, 40_000, 1, 15_000, 15_000, 1, 1, 0);
        assertThat(figures(metrics, MINUTE)).isEqualTo(expected);
        assertThat(figures(metrics, HOUR)).isEqualTo(expected);
        // the customer's mensagem came while nobody served the conversa: the empresa's, not ana's
        assertThat(figuresOf(metrics, MINUTE, ANA))
                .isEqualTo(new Figures(1, 40_000, 40_000, 1, 40_000, 40_000, 1, 15_000, 15_000, 0, 1, 0));
        assertThat(metrics.waiting()).isZero();
        assertThat(metrics.longestWaitMs()).isZero();
        assertThat(metrics.atendentes()).isEmpty();
        assertThat(metrics.window(MINUTE).start()).isEqualTo(at(0, 0));
        assertThat(metrics.window(MINUTE).end()).isEqualTo(at(1, 0));
        assertThat(metrics.window(HOUR).end()).isEqualTo(at(60, 0));
    }

    @Test
    void shouldShowWaitingCustomersAndTheLongestWaitOnTheWallClock() {
        driver.conversa(EMP, "c1", AGUARDANDO, null, at(0, 5));
        driver.conversa(EMP, "c2", AGUARDANDO, null, at(0, 20));
        driver.clockTo(at(0, 50));

        ServiceMetrics metrics = driver.latest(EMP);
        assertThat(metrics.ts()).isEqualTo(at(0, 50));
        assertThat(metrics.waiting()).isEqualTo(2);
        assertThat(metrics.longestWaitMs()).isEqualTo(45_000);

        driver.clockTo(at(1, 10));
        assertThat(driver.latest(EMP).longestWaitMs()).isEqualTo(65_000);
    }

    @Test
    void shouldCountFirstResponseOnceWhenReplyArrivesBeforeAssignment() {
        driver.conversa(EMP, "c1", AGUARDANDO, null, at(0, 0));
        driver.mensagem(EMP, "c1", "m1", false, at(0, 10));
        driver.clockTo(at(0, 30));
        // the reply and the assignment it caused are written together; the tracker reads the reply first
        Mensagem reply = driver.mensagem(EMP, "c1", "m2", true, at(0, 30));
        driver.conversa(EMP, "c1", EM_ATENDIMENTO, ANA, at(0, 30));
        // its status moves on: the same mensagemId at a higher revision
        driver.mensagem(reply.withDelivery(MensagemStatus.DELIVERY_ACK, reply.keyId(), null, null, null));
        driver.mensagem(reply.withDelivery(MensagemStatus.DELIVERY_ACK, reply.keyId(), null, null, null)
                .withDelivery(MensagemStatus.READ, reply.keyId(), null, null, null));
        driver.tick();

        ServiceMetrics metrics = driver.latest(EMP);
        Figures empresa = figures(metrics, MINUTE);
        assertThat(empresa.firstResponses()).isEqualTo(1);
        assertThat(empresa.firstResponseMsSum()).isEqualTo(20_000);
        assertThat(empresa.mensagensOut()).isEqualTo(1);
        assertThat(empresa.assigned()).isEqualTo(1);
        assertThat(empresa.firstAssignmentMsSum()).isEqualTo(30_000);
        // counted for the atendente who got the conversa, once
        Figures ana = figuresOf(metrics, MINUTE, ANA);
        assertThat(ana.firstResponses()).isEqualTo(1);
        assertThat(ana.firstResponseMsSum()).isEqualTo(20_000);
        assertThat(ana.assigned()).isEqualTo(1);
    }

    @Test
    void shouldCountEachMensagemOnceWhateverItsDuplicatesAndRevisions() {
        driver.conversa(EMP, "c1", AGUARDANDO, null, at(0, 0));
        Mensagem m1 = driver.mensagem(EMP, "c1", "m1", false, at(0, 5));
        driver.mensagem(m1);
        driver.mensagem(m1.withEdit("outro texto", at(0, 8)));
        driver.mensagem(EMP, "c1", "m2", false, at(0, 9));
        driver.clockTo(at(0, 10));

        assertThat(figures(driver.latest(EMP), MINUTE).mensagensIn()).isEqualTo(2);
    }

    @Test
    void shouldMeasureAReopenedConversaFromItsReopening() {
        driver.conversa(EMP, "c1", AGUARDANDO, null, at(0, 0));
        driver.mensagem(EMP, "c1", "m1", false, at(0, 5));
        driver.clockTo(at(0, 20));
        driver.conversa(EMP, "c1", EM_ATENDIMENTO, ANA, at(0, 20));
        driver.mensagem(EMP, "c1", "m2", true, at(0, 25));
        driver.clockTo(at(0, 30));
        driver.conversa(EMP, "c1", ENCERRADA, ANA, at(0, 30));
        driver.clockTo(at(0, 41));
        // the customer writes again: the tracker reads the mensagem before the reopening it caused
        driver.mensagem(EMP, "c1", "m3", false, at(0, 40));
        driver.conversa(EMP, "c1", AGUARDANDO, null, at(0, 41));
        driver.clockTo(at(0, 51));
        driver.conversa(EMP, "c1", EM_ATENDIMENTO, BIA, at(0, 51));
        driver.clockTo(at(0, 56));
        driver.mensagem(EMP, "c1", "m4", true, at(0, 56));
        driver.tick();

        ServiceMetrics metrics = driver.latest(EMP);
        // assignments: 0:00 → 0:20 (20 s) and reopened 0:41 → 0:51 (10 s); replies: 0:05 → 0:25 (20 s) and
        // 0:40 → 0:56 (16 s); closed once, served 0:20 → 0:30
        assertThat(figures(metrics, MINUTE))
                .isEqualTo(new Figures(2, 30_000, 20_000, 2, 36_000, 20_000, 1, 10_000, 10_000, 2, 2, 0));
        assertThat(figuresOf(metrics, MINUTE, BIA))
                .isEqualTo(new Figures(1, 10_000, 10_000, 1, 16_000, 16_000, 0, 0, 0, 0, 1, 0));
        assertThat(metrics.atendentes()).containsExactly(new AtendenteLoad(BIA, 1, 0, 0));
    }

    @Test
    void shouldFollowATransferredConversaToItsNewAtendente() {
        driver.conversa(EMP, "c1", AGUARDANDO, null, at(0, 0));
        driver.clockTo(at(0, 10));
        driver.conversa(EMP, "c1", EM_ATENDIMENTO, ANA, at(0, 10));
        driver.clockTo(at(0, 20));
        driver.conversa(EMP, "c1", EM_ATENDIMENTO, BIA, at(0, 20));
        driver.clockTo(at(0, 25));
        driver.mensagem(EMP, "c1", "m1", false, at(0, 25));
        driver.clockTo(at(0, 35));

        ServiceMetrics serving = driver.latest(EMP);
        // bia has it now, and the customer's mensagem of 0:25 awaits her reply
        assertThat(serving.atendentes()).containsExactly(new AtendenteLoad(BIA, 1, 1, 10_000));

        driver.conversa(EMP, "c1", ENCERRADA, BIA, at(0, 40));
        driver.clockTo(at(0, 41));
        ServiceMetrics closed = driver.latest(EMP);
        assertThat(closed.atendentes()).isEmpty();
        // the first assignment was ana's; the close, served since 0:10, is bia's
        assertThat(figuresOf(closed, MINUTE, ANA))
                .isEqualTo(new Figures(1, 10_000, 10_000, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        assertThat(figuresOf(closed, MINUTE, BIA))
                .isEqualTo(new Figures(0, 0, 0, 0, 0, 0, 1, 30_000, 30_000, 1, 0, 0));
        assertThat(figures(closed, MINUTE).assigned()).isEqualTo(1);
    }

    @Test
    void shouldCountABreachWhenTheTargetPassesWhileTheCustomerStillWaits() {
        driver.conversa(EMP, "c1", AGUARDANDO, null, at(0, 0));
        driver.mensagem(EMP, "c1", "m1", false, at(0, 5));
        driver.clockTo(at(1, 59));
        assertThat(figures(driver.latest(EMP), HOUR).slaBreaches()).isZero();

        // 2:00: the first-assignment target passes while c1 still waits, counted in the minute it passed
        driver.clockTo(at(2, 0));
        ServiceMetrics passed = driver.latest(EMP);
        assertThat(passed.window(MINUTE).start()).isEqualTo(at(2, 0));
        assertThat(figures(passed, MINUTE).slaBreaches()).isEqualTo(1);
        assertThat(figures(passed, HOUR).slaBreaches()).isEqualTo(1);
        assertThat(passed.waiting()).isEqualTo(1);

        // assigned late, at 2:30: the breach is not counted again
        driver.clockTo(at(2, 30));
        driver.conversa(EMP, "c1", EM_ATENDIMENTO, ANA, at(2, 30));
        // 5:05: the first-response target passes while ana has not replied yet; her reply of 5:10 counts once
        driver.clockTo(at(5, 10));
        driver.mensagem(EMP, "c1", "m2", true, at(5, 10));
        driver.tick();

        ServiceMetrics metrics = driver.latest(EMP);
        Figures hour = figures(metrics, HOUR);
        assertThat(hour.slaBreaches()).isEqualTo(2);
        assertThat(hour.firstAssignmentMsSum()).isEqualTo(150_000);
        assertThat(hour.firstResponseMsSum()).isEqualTo(305_000);
        assertThat(figuresOf(metrics, HOUR, ANA).slaBreaches()).isEqualTo(1);
        assertThat(figures(metrics, MINUTE).slaBreaches()).isEqualTo(1);
    }

    @Test
    void shouldCountABreachOnceWhenTheFactShowsItBeforeTheWallClockCheck() {
        driver.conversa(EMP, "c1", AGUARDANDO, null, at(0, 0));
        driver.mensagem(EMP, "c1", "m1", false, at(0, 0));
        driver.clockTo(at(1, 50));
        driver.conversa(EMP, "c1", EM_ATENDIMENTO, ANA, at(1, 50));
        driver.clockTo(at(4, 59));
        // the reply of 5:10 is read before the wall clock reaches the target of 5:00
        driver.mensagem(EMP, "c1", "m2", true, at(5, 10));
        driver.clockTo(at(5, 11));

        ServiceMetrics metrics = driver.latest(EMP);
        assertThat(figures(metrics, HOUR).slaBreaches()).isEqualTo(1);
        assertThat(figures(metrics, MINUTE).slaBreaches()).isEqualTo(1);
        assertThat(figuresOf(metrics, HOUR, ANA).slaBreaches()).isEqualTo(1);
    }

    @Test
    void shouldApplyAnEmpresasOwnTargets() {
        for (String empresa : List.of(EMP, OTHER)) {
            driver.conversa(empresa, "c-" + empresa, AGUARDANDO, null, at(0, 0));
        }
        driver.clockTo(at(0, 40));
        for (String empresa : List.of(EMP, OTHER)) {
            driver.conversa(empresa, "c-" + empresa, EM_ATENDIMENTO, ANA, at(0, 40));
        }
        driver.tick();

        // 40 s to a first atendente: within the default 2 min, past emp-2's 30 s
        assertThat(figures(driver.latest(EMP), HOUR).slaBreaches()).isZero();
        assertThat(figures(driver.latest(OTHER), HOUR).slaBreaches()).isEqualTo(1);
    }

    @Test
    void shouldTakeBackABreachCountedWhileTheApplicationLaggedBehind() {
        driver.clockTo(at(10, 0));
        // history read late: the wall-clock check sees c1 waiting 10 min and counts a breach
        driver.conversa(EMP, "c1", AGUARDANDO, null, at(0, 0));
        driver.tick();
        assertThat(figures(driver.latest(EMP), HOUR).slaBreaches()).isEqualTo(1);

        // the next record shows it was assigned after 1 min, within the target
        driver.conversa(EMP, "c1", EM_ATENDIMENTO, ANA, at(1, 0));
        driver.tick();
        Figures hour = figures(driver.latest(EMP), HOUR);
        assertThat(hour.slaBreaches()).isZero();
        assertThat(hour.assigned()).isEqualTo(1);
    }

    @Test
    void shouldPutOutOfOrderAndLateEventsInTheirOwnWindowUntilTheGraceEnds() {
        driver.clockTo(at(0, 50));
        driver.mensagem(EMP, "c1", "m1", false, at(1, 10));
        // out of order, same minute
        driver.mensagem(EMP, "c1", "m2", false, at(1, 5));
        // the previous minute, within its grace (1:00 + 30 s is after the 1:10 seen)
        driver.mensagem(EMP, "c1", "m3", false, at(0, 45));
        driver.mensagem(EMP, "c1", "m4", false, at(1, 40));
        // the previous minute again, now past its grace (1:30 is behind 1:40): dropped from it, the hour takes it
        driver.mensagem(EMP, "c1", "m5", false, at(0, 30));
        driver.tick();

        ServiceMetrics first = driver.latest(EMP);
        assertThat(first.window(MINUTE).start()).isEqualTo(at(0, 0));
        assertThat(figures(first, MINUTE).mensagensIn()).isEqualTo(1);
        assertThat(figures(first, HOUR).mensagensIn()).isEqualTo(5);
        assertThat(driver.late).containsExactly(MINUTE);

        driver.clockTo(at(1, 1));
        assertThat(figures(driver.latest(EMP), MINUTE).mensagensIn()).isEqualTo(3);
    }

    @Test
    void shouldKeepEachEmpresasFiguresApart() {
        driver.conversa(EMP, "c1", AGUARDANDO, null, at(0, 0));
        driver.conversa(OTHER, "c2", AGUARDANDO, null, at(0, 0));
        driver.mensagem(OTHER, "c2", "m1", false, at(0, 1));
        driver.clockTo(at(0, 10));

        assertThat(figures(driver.latest(EMP), MINUTE).mensagensIn()).isZero();
        assertThat(figures(driver.latest(OTHER), MINUTE).mensagensIn()).isEqualTo(1);
        assertThat(driver.latest(EMP).empresaId()).isEqualTo(EMP);
    }

    @Test
    void shouldStopWritingAQuietEmpresaWithinAMinute() {
        driver.conversa(EMP, "c1", AGUARDANDO, null, at(0, 0));
        driver.conversa(EMP, "c1", ENCERRADA, null, at(0, 1));
        driver.clockTo(at(0, 5));
        int written = driver.published.size();
        driver.clockTo(at(0, 59));
        assertThat(driver.published).hasSize(written);
        // a new minute is shown once
        driver.clockTo(at(1, 30));
        assertThat(driver.published).hasSize(written + 1);
        assertThat(driver.latest(EMP).window(MINUTE).empresa()).isEqualTo(Figures.NONE);
    }
}

package dev.chatcentral.processor.topology;

import static dev.chatcentral.processor.topology.TopologyFixture.EMPRESA;
import static dev.chatcentral.processor.topology.TopologyFixture.START;
import static dev.chatcentral.processor.topology.Webhooks.INSTANCE;
import static dev.chatcentral.processor.topology.Webhooks.conversation;
import static dev.chatcentral.processor.topology.Webhooks.key;
import static dev.chatcentral.processor.topology.Webhooks.upsert;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.chatcentral.processor.conversa.DeterministicIds;
import dev.chatcentral.schemas.command.AgentCommand;
import dev.chatcentral.schemas.event.Channel;
import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.event.SlaTimerData;
import dev.chatcentral.schemas.presence.PresenceSnapshot;
import dev.chatcentral.schemas.presence.PresenceStatus;
import dev.chatcentral.schemas.settings.EmpresaSettings;
import dev.chatcentral.schemas.settings.EmpresaSettings.Assignment;
import dev.chatcentral.schemas.settings.EmpresaSettings.Calendar;
import dev.chatcentral.schemas.settings.EmpresaSettings.Interval;
import dev.chatcentral.schemas.settings.EmpresaSettings.Sla;

/**
 * SLA timers in the conversa topology (docs/assignment.md "SLA timers"): every rule through the topology's real
 * inputs, with the wall clock moved by hand. The fixture's clock starts on Tuesday 2025-10-21 at 14:40:40 UTC.
 */
class SlaTimersTopologyTest {

    private static final String OTHER = "emp-2";
    private static final String ANA = "ana";
    private static final String BIA = "bia";
    /** Monday to Friday, 09:00 to 18:00 UTC. */
    private static final Calendar OFFICE = office(List.of());

    @TempDir
    Path stateDir;

    private TopologyFixture t;
    /** The driver's wall clock, as moved here. */
    private Instant now = START;
    private final Map<String, Long> versions = new HashMap<>();
    private int commands;
    private int mensagens;

    @BeforeEach
    void start() {
        t = new TopologyFixture(stateDir);
        for (String empresaId : List.of(EMPRESA, OTHER)) {
            for (String userId : List.of(ANA, BIA)) {
                t.sessionOpened(empresaId, userId, userId);
            }
        }
        t.drainOutputs();
    }

    @AfterEach
    void close() {
        t.close();
    }

    private static Calendar office(List<String> holidays) {
        Map<String, List<Interval>> week = new LinkedHashMap<>();
        for (String day : List.of("monday", "tuesday", "wednesday", "thursday", "friday")) {
            week.put(day, List.of(new Interval("09:00", "18:00")));
        }
        return new Calendar("UTC", week, holidays);
    }

    private void sla(String empresaId, Sla sla, Calendar calendar) {
        sla(empresaId, Assignment.OFF, sla, calendar);
    }

    private void sla(String empresaId, Assignment assignment, Sla sla, Calendar calendar) {
        long version = versions.merge(empresaId, 1L, Long::sum);
        t.settings(new EmpresaSettings(empresaId, version, assignment, sla, calendar, now, "dona"));
    }

    /** Moves the wall clock (running the punctuators once) and the time of the next records to {@code instant}. */
    private void at(Instant instant) {
        t.advance(Duration.between(now, instant));
        now = instant;
        if (t.recordTime.isBefore(instant)) {
            t.recordTime = instant;
        }
    }

    /** {@code duration} after the latest record (records piped one second apart run ahead of the wall clock). */
    private void after(Duration duration) {
        at((t.recordTime.isAfter(now) ? t.recordTime : now).plus(duration));
    }

    /** Customer {@code n} of {@code empresaId} writes: a new conversa, or a mensagem in theirs. */
    private String customerWrites(String empresaId, int n) {
        String jid = "55119" + String.format("%08d", n) + "@s.whatsapp.net";
        mensagens++;
        t.send(empresaId, upsert(INSTANCE, key(jid, false, "C" + mensagens), "Cliente " + n,
                conversation("oi " + mensagens), "conversation", t.recordTime.getEpochSecond() + 1, null));
        return DeterministicIds.conversaId(empresaId, INSTANCE, jid);
    }

    private String customerWrites(int n) {
        return customerWrites(EMPRESA, n);
    }

    /** The empresa's phone sends a mensagem of its own to customer {@code n}: an automation, not an atendente. */
    private void phoneWrites(int n) {
        String jid = "55119" + String.format("%08d", n) + "@s.whatsapp.net";
        mensagens++;
        t.send(EMPRESA, upsert(INSTANCE, key(jid, true, "AUTO" + mensagens), null,
                conversation("Recebemos sua mensagem"), "conversation", t.recordTime.getEpochSecond() + 1, null));
    }

    private void command(String empresaId, String userId, String type, String conversaId, String target,
                         String text) {
        commands++;
        t.command(new AgentCommand("cmd-" + commands, empresaId, userId, List.of("atendente"), type, conversaId,
                target, text, null, null, null, null));
    }

    private void assign(String userId, String conversaId) {
        command(EMPRESA, userId, AgentCommand.ASSIGN, conversaId, null, null);
    }

    private void reply(String userId, String conversaId) {
        command(EMPRESA, userId, AgentCommand.SEND_MESSAGE, conversaId, null, "Olá, como posso ajudar?");
    }

    /** The SLA events written since the last call. */
    private List<RealtimeEvent> sla() {
        List<RealtimeEvent> written = new ArrayList<>();
        for (RealtimeEvent event : t.events.readValuesToList()) {
            if (event.type().equals(EventType.SLA_WARNING) || event.type().equals(EventType.SLA_BREACHED)) {
                written.add(event);
            }
        }
        t.conversas.readRecordsToList();
        t.mensagens.readRecordsToList();
        t.outbound.readRecordsToList();
        return written;
    }

    private static String describe(RealtimeEvent event) {
        return event.type() + " " + event.data().path("kind").asString() + " " + event.data().path("conversaId")
                .asString() + " " + event.data().path("atendenteId").asString();
    }

    private static String warning(String kind, String conversaId, String atendenteId) {
        return EventType.SLA_WARNING + " " + kind + " " + conversaId + " " + atendenteId;
    }

    private static String breached(String kind, String conversaId, String atendenteId) {
        return EventType.SLA_BREACHED + " " + kind + " " + conversaId + " " + atendenteId;
    }

    private static final String FIRST = SlaTimerData.FIRST_RESPONSE;
    private static final String NEXT = SlaTimerData.NEXT_RESPONSE;

    @Test
    void shouldWarnBeforeFirstResponseDueAndBreachAtItOnTheEmpresaAndAtendenteChannels() {
        sla(EMPRESA, new Sla(600, 1200, 120), null);
        String conversa = customerWrites(1);
        assign(ANA, conversa);
        Instant assignedAt = t.recordTime;

        after(Duration.ofSeconds(470));
        assertThat(sla()).isEmpty();
        after(Duration.ofSeconds(20));
        List<RealtimeEvent> warned = sla();
        after(Duration.ofSeconds(60));
        assertThat(sla()).isEmpty();
        after(Duration.ofSeconds(60));
        List<RealtimeEvent> breachedNow = sla();
        after(Duration.ofHours(2));

        assertThat(warned).extracting(SlaTimersTopologyTest::describe).containsExactly(warning(FIRST, conversa, ANA));
        assertThat(breachedNow).extracting(SlaTimersTopologyTest::describe)
                .containsExactly(breached(FIRST, conversa, ANA));
        assertThat(sla()).as("each once per clock").isEmpty();
        RealtimeEvent warning = warned.get(0);
        assertThat(warning.channels()).containsExactly(Channel.empresa(EMPRESA), Channel.atendente(ANA));
        assertThat(warning.empresaId()).isEqualTo(EMPRESA);
        assertThat(warning.data().path("startedAt").asString()).isEqualTo(assignedAt.toString());
        assertThat(warning.data().path("dueAt").asString()).isEqualTo(assignedAt.plusSeconds(600).toString());
        assertThat(breachedNow.get(0).data()).isEqualTo(warning.data());
        assertThat(breachedNow.get(0).id()).isNotEqualTo(warning.id());
    }

    @Test
    void shouldStartTheFirstResponseClockWhenAConversaIsAssignedAutomatically() {
        sla(EMPRESA, new Assignment(Assignment.ROUND_ROBIN, 5, Map.of(), 120), new Sla(300, 0, 0), null);
        t.presence(new PresenceSnapshot(EMPRESA, List.of(new PresenceSnapshot.OnlineUser(BIA, BIA,
                PresenceStatus.DISPONIVEL, now)), 1, 1, now));
        String conversa = customerWrites(1);

        after(Duration.ofSeconds(290));
        assertThat(sla()).isEmpty();
        after(Duration.ofSeconds(20));

        assertThat(sla()).extracting(SlaTimersTopologyTest::describe).containsExactly(breached(FIRST, conversa, BIA));
    }

    @Test
    void shouldStopTheClockWhenTheAtendenteRepliesAndKeepItPausedWhileTheConversaWaitsOnTheCustomer() {
        sla(EMPRESA, new Sla(600, 600, 60), null);
        String conversa = customerWrites(1);
        assign(ANA, conversa);
        after(Duration.ofSeconds(300));
        reply(ANA, conversa);

        after(Duration.ofSeconds(600));
        after(Duration.ofHours(5));

        assertThat(sla()).isEmpty();
    }

    @Test
    void shouldStartTheNextResponseClockAtTheCustomersFirstMensagemAfterAReply() {
        sla(EMPRESA, new Sla(600, 900, 300), null);
        String conversa = customerWrites(1);
        assign(ANA, conversa);
        reply(ANA, conversa);
        after(Duration.ofHours(1));
        customerWrites(1);
        Instant wroteAt = t.recordTime;
        after(Duration.ofSeconds(300));
        // a second mensagem while the response is owed does not start the clock again
        customerWrites(1);

        after(Duration.ofSeconds(310));
        List<RealtimeEvent> warned = sla();
        after(Duration.ofSeconds(300));

        assertThat(warned).extracting(SlaTimersTopologyTest::describe).containsExactly(warning(NEXT, conversa, ANA));
        assertThat(sla()).extracting(SlaTimersTopologyTest::describe).containsExactly(breached(NEXT, conversa, ANA));
        assertThat(warned.get(0).data().path("startedAt").asString()).isEqualTo(wroteAt.toString());
        assertThat(warned.get(0).data().path("dueAt").asString()).isEqualTo(wroteAt.plusSeconds(900).toString());

        // the reply stops it; the customer's next mensagem starts a new one
        reply(ANA, conversa);
        customerWrites(1);
        after(Duration.ofSeconds(1000));
        assertThat(sla()).extracting(SlaTimersTopologyTest::describe)
                .containsExactly(warning(NEXT, conversa, ANA), breached(NEXT, conversa, ANA));
    }

    @Test
    void shouldStopTheClockWhenTheConversaIsClosed() {
        sla(EMPRESA, new Sla(600, 600, 60), null);
        String conversa = customerWrites(1);
        assign(ANA, conversa);
        after(Duration.ofSeconds(100));
        command(EMPRESA, ANA, AgentCommand.CLOSE, conversa, null, null);

        after(Duration.ofSeconds(600));
        after(Duration.ofHours(1));

        assertThat(sla()).isEmpty();
    }

    @Test
    void shouldStopTheClockWhenTheConversaGoesBackToTheQueueAndStartItAgainAtTheNextAssignment() {
        sla(EMPRESA, new Sla(600, 600, 0), null);
        String conversa = customerWrites(1);
        assign(ANA, conversa);
        after(Duration.ofSeconds(300));
        command(EMPRESA, ANA, AgentCommand.TRANSFER, conversa, null, null);
        after(Duration.ofSeconds(900));
        assertThat(sla()).isEmpty();
        assign(BIA, conversa);
        Instant assignedAt = t.recordTime;

        after(Duration.ofSeconds(610));

        List<RealtimeEvent> breachedNow = sla();
        assertThat(breachedNow).extracting(SlaTimersTopologyTest::describe)
                .containsExactly(breached(FIRST, conversa, BIA));
        assertThat(breachedNow.get(0).data().path("startedAt").asString()).isEqualTo(assignedAt.toString());
    }

    @Test
    void shouldRestartTheFirstResponseClockWhenTheConversaIsReopened() {
        sla(EMPRESA, new Sla(600, 600, 0), null);
        String conversa = customerWrites(1);
        assign(ANA, conversa);
        reply(ANA, conversa);
        command(EMPRESA, ANA, AgentCommand.CLOSE, conversa, null, null);
        after(Duration.ofHours(1));
        command(EMPRESA, ANA, AgentCommand.REOPEN, conversa, null, null);
        Instant reopenedAt = t.recordTime;

        after(Duration.ofSeconds(610));

        List<RealtimeEvent> breachedNow = sla();
        assertThat(breachedNow).extracting(SlaTimersTopologyTest::describe)
                .containsExactly(breached(FIRST, conversa, ANA));
        assertThat(breachedNow.get(0).data().path("startedAt").asString()).isEqualTo(reopenedAt.toString());
    }

    @Test
    void shouldStartTheFirstResponseClockAgainWhenTheCustomerWritesIntoAClosedConversaAndItIsAssigned() {
        sla(EMPRESA, new Sla(600, 600, 0), null);
        String conversa = customerWrites(1);
        assign(ANA, conversa);
        reply(ANA, conversa);
        command(EMPRESA, ANA, AgentCommand.CLOSE, conversa, null, null);
        after(Duration.ofHours(1));
        // back in the queue: no clock runs until someone takes it
        customerWrites(1);
        after(Duration.ofHours(1));
        assertThat(sla()).isEmpty();
        assign(BIA, conversa);

        after(Duration.ofSeconds(610));

        assertThat(sla()).extracting(SlaTimersTopologyTest::describe).containsExactly(breached(FIRST, conversa, BIA));
    }

    @Test
    void shouldNotStopTheClockForAMensagemThePhoneSentItself() {
        sla(EMPRESA, new Sla(600, 600, 0), null);
        String conversa = customerWrites(1);
        assign(ANA, conversa);
        phoneWrites(1);

        after(Duration.ofSeconds(610));

        assertThat(sla()).extracting(SlaTimersTopologyTest::describe).containsExactly(breached(FIRST, conversa, ANA));
    }

    @Test
    void shouldHandTheRunningClockToTheAtendenteAConversaIsTransferredTo() {
        sla(EMPRESA, new Sla(600, 600, 0), null);
        String conversa = customerWrites(1);
        assign(ANA, conversa);
        Instant assignedAt = t.recordTime;
        after(Duration.ofSeconds(300));
        command(EMPRESA, ANA, AgentCommand.TRANSFER, conversa, BIA, null);

        after(Duration.ofSeconds(301));

        List<RealtimeEvent> breachedNow = sla();
        assertThat(breachedNow).extracting(SlaTimersTopologyTest::describe)
                .containsExactly(breached(FIRST, conversa, BIA));
        assertThat(breachedNow.get(0).channels()).containsExactly(Channel.empresa(EMPRESA), Channel.atendente(BIA));
        assertThat(breachedNow.get(0).data().path("startedAt").asString()).isEqualTo(assignedAt.toString());
    }

    @Test
    void shouldWarnBeforeFirstResponseDueInBusinessHours() {
        // Tuesday 14:40:40 + 4 business hours: 3 h 19 min that day, the rest on Wednesday from 09:00
        sla(EMPRESA, new Sla(4 * 3600, 0, 1800), OFFICE);
        String conversa = customerWrites(1);
        assign(ANA, conversa);
        Instant assignedAt = t.recordTime;
        Instant due = Instant.parse("2025-10-22T09:00:00Z").plusSeconds(4 * 3600
                - Duration.between(assignedAt, Instant.parse("2025-10-21T18:00:00Z")).toSeconds());

        at(assignedAt.plus(Duration.ofHours(6)));
        assertThat(sla()).as("the night does not count").isEmpty();
        at(due.minusSeconds(1801));
        assertThat(sla()).isEmpty();
        at(due.minusSeconds(1799));
        List<RealtimeEvent> warned = sla();
        at(due.plusSeconds(1));

        assertThat(warned).extracting(SlaTimersTopologyTest::describe).containsExactly(warning(FIRST, conversa, ANA));
        assertThat(warned.get(0).data().path("dueAt").asString()).isEqualTo(due.toString());
        assertThat(sla()).extracting(SlaTimersTopologyTest::describe).containsExactly(breached(FIRST, conversa, ANA));
    }

    @Test
    void shouldCarryTheClockOverTheWeekendInBusinessHours() {
        sla(EMPRESA, new Sla(3600, 0, 0), OFFICE);
        at(Instant.parse("2025-10-24T17:30:00Z"));
        String conversa = customerWrites(1);
        at(Instant.parse("2025-10-24T17:40:00Z"));
        assign(ANA, conversa);

        at(Instant.parse("2025-10-25T12:00:00Z"));
        at(Instant.parse("2025-10-27T08:59:00Z"));
        assertThat(sla()).as("the weekend does not count").isEmpty();
        at(Instant.parse("2025-10-27T09:41:00Z"));

        List<RealtimeEvent> breachedNow = sla();
        assertThat(breachedNow).extracting(SlaTimersTopologyTest::describe)
                .containsExactly(breached(FIRST, conversa, ANA));
        // 20 minutes on Friday (from 17:40:01), the other 40 on Monday
        assertThat(breachedNow.get(0).data().path("dueAt").asString()).isEqualTo("2025-10-27T09:40:01Z");
    }

    @Test
    void shouldSkipAHolidayOfTheEmpresasCalendar() {
        sla(EMPRESA, new Sla(3600, 0, 0), office(List.of("2025-10-22")));
        at(Instant.parse("2025-10-21T17:30:00Z"));
        String conversa = customerWrites(1);
        assign(ANA, conversa);

        at(Instant.parse("2025-10-22T17:00:00Z"));
        assertThat(sla()).as("the holiday does not count").isEmpty();
        at(Instant.parse("2025-10-23T09:40:00Z"));

        List<RealtimeEvent> breachedNow = sla();
        assertThat(breachedNow).extracting(SlaTimersTopologyTest::describe)
                .containsExactly(breached(FIRST, conversa, ANA));
        assertThat(breachedNow.get(0).data().path("dueAt").asString()).isEqualTo("2025-10-23T09:30:02Z");
    }

    @Test
    void shouldMeasureClocksStartedAfterASettingsChangeByTheNewSettings() {
        sla(EMPRESA, new Sla(600, 0, 0), null);
        String first = customerWrites(1);
        assign(ANA, first);
        sla(EMPRESA, new Sla(3600, 0, 0), null);
        String second = customerWrites(2);
        assign(ANA, second);

        after(Duration.ofSeconds(700));
        assertThat(sla()).extracting(SlaTimersTopologyTest::describe).containsExactly(breached(FIRST, first, ANA));
        after(Duration.ofSeconds(3000));
        assertThat(sla()).extracting(SlaTimersTopologyTest::describe).containsExactly(breached(FIRST, second, ANA));

        // switched off: clocks started from then on do not run
        sla(EMPRESA, Sla.OFF, null);
        String third = customerWrites(3);
        assign(BIA, third);
        after(Duration.ofHours(3));
        assertThat(sla()).isEmpty();
    }

    @Test
    void shouldKeepTwoEmpresasClocksApart() {
        sla(EMPRESA, new Sla(600, 0, 0), null);
        sla(OTHER, new Sla(1200, 0, 0), OFFICE);
        String mine = customerWrites(EMPRESA, 1);
        String theirs = customerWrites(OTHER, 1);
        assign(ANA, mine);
        command(OTHER, ANA, AgentCommand.ASSIGN, theirs, null, null);
        command(EMPRESA, ANA, AgentCommand.CLOSE, mine, null, null);

        after(Duration.ofSeconds(1300));

        List<RealtimeEvent> breachedNow = sla();
        assertThat(breachedNow).extracting(SlaTimersTopologyTest::describe)
                .containsExactly(breached(FIRST, theirs, ANA));
        assertThat(breachedNow.get(0).empresaId()).isEqualTo(OTHER);
        assertThat(breachedNow.get(0).channels()).containsExactly(Channel.empresa(OTHER), Channel.atendente(ANA));
    }

    @Test
    void shouldSendHostileSlaSettingsToTheDlqAndKeepEveryEmpresasClocks() {
        sla(EMPRESA, new Sla(600, 0, 0), null);
        sla(OTHER, new Sla(600, 0, 0), null);
        String assignment = "\"assignment\":{\"mode\":\"off\",\"defaultCapacity\":5,\"capacities\":{},"
                + "\"offlineGraceSeconds\":120}";
        String office = "\"weeklyHours\":{\"monday\":[{\"start\":\"09:00\",\"end\":\"18:00\"}]}";
        List<String> hostile = List.of(
                "\"sla\":{\"firstResponseSeconds\":-1,\"nextResponseSeconds\":0,\"warningBeforeSeconds\":0}",
                "\"sla\":{\"firstResponseSeconds\":999999999,\"nextResponseSeconds\":0,\"warningBeforeSeconds\":0}",
                "\"sla\":{\"firstResponseSeconds\":60,\"nextResponseSeconds\":0,\"warningBeforeSeconds\":60}",
                "\"sla\":{\"firstResponseSeconds\":\"x\",\"nextResponseSeconds\":0,\"warningBeforeSeconds\":0}",
                "\"sla\":[1,2,3]",
                "\"calendar\":{\"timeZone\":\"Mars/Olympus_Mons\"," + office + ",\"holidays\":[]}",
                "\"calendar\":{\"timeZone\":\"UTC\\u0000\"," + office + ",\"holidays\":[]}",
                "\"calendar\":{\"timeZone\":\"UTC\",\"weeklyHours\":{},\"holidays\":[]}",
                "\"calendar\":{\"timeZone\":\"UTC\",\"weeklyHours\":{\"monday\":[{\"start\":\"13:00\",\"end\":\"18:00\"},"
                        + "{\"start\":\"09:00\",\"end\":\"14:00\"}]},\"holidays\":[]}",
                "\"calendar\":{\"timeZone\":\"UTC\",\"weeklyHours\":{\"monday\":[{\"start\":\"09:00\",\"end\":\"25:00\"}]},"
                        + "\"holidays\":[]}",
                "\"calendar\":{\"timeZone\":\"UTC\",\"weeklyHours\":{\"funday\":[{\"start\":\"09:00\",\"end\":\"18:00\"}]},"
                        + "\"holidays\":[]}",
                "\"calendar\":{\"timeZone\":\"UTC\"," + office + ",\"holidays\":[\"2025-02-30\"]}",
                "\"calendar\":{\"timeZone\":\"UTC\"," + office + ",\"holidays\":[null]}",
                "\"calendar\":{\"timeZone\":\"UTC\",\"weeklyHours\":{\"monday\":null},\"holidays\":[]}",
                "\"calendar\":{\"timeZone\":\"" + "x".repeat(100_000) + "\"," + office + ",\"holidays\":[]}");
        for (String group : hostile) {
            t.settings(EMPRESA, ("{\"empresaId\":\"" + EMPRESA + "\",\"version\":99," + assignment + "," + group + "}")
                    .getBytes(StandardCharsets.UTF_8));
        }
        assertThat(t.dlq.readRecordsToList()).hasSize(hostile.size());

        String mine = customerWrites(EMPRESA, 1);
        String theirs = customerWrites(OTHER, 2);
        assign(ANA, mine);
        command(OTHER, BIA, AgentCommand.ASSIGN, theirs, null, null);
        after(Duration.ofSeconds(610));

        assertThat(sla()).extracting(SlaTimersTopologyTest::describe)
                .containsExactlyInAnyOrder(breached(FIRST, mine, ANA), breached(FIRST, theirs, BIA));
        assertThat(t.dlq.isEmpty()).isTrue();
    }

    @Test
    void shouldReadSettingsWrittenBeforeSlaTargetsExistedAsNoSla() {
        t.settings(EMPRESA, ("{\"empresaId\":\"" + EMPRESA + "\",\"version\":1,\"assignment\":{\"mode\":\"off\","
                + "\"defaultCapacity\":5,\"capacities\":{},\"offlineGraceSeconds\":120},\"updatedAt\":null,"
                + "\"updatedBy\":null}").getBytes(StandardCharsets.UTF_8));
        String conversa = customerWrites(1);
        assign(ANA, conversa);

        after(Duration.ofDays(2));

        assertThat(t.dlq.isEmpty()).isTrue();
        assertThat(sla()).isEmpty();
    }
}

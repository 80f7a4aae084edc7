package dev.chatcentral.processor.topology;

import static dev.chatcentral.processor.topology.TopologyFixture.EMPRESA;
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

import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.chatcentral.processor.conversa.DeterministicIds;
import dev.chatcentral.schemas.command.AgentCommand;
import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.ConversaStatus;
import dev.chatcentral.schemas.event.Channel;
import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.presence.PresenceSnapshot;
import dev.chatcentral.schemas.presence.PresenceStatus;
import dev.chatcentral.schemas.settings.EmpresaSettings;
import dev.chatcentral.schemas.settings.EmpresaSettings.Assignment;

/**
 * Automatic assignment in the conversa topology (docs/assignment.md): every rule, through the topology's real inputs
 * (webhooks, commands, {@code chat.empresa.settings}, {@code chat.presence}) and what it writes.
 */
class AutoAssignmentTopologyTest {

    private static final String OTHER = "emp-2";
    private static final String ANA = "ana";
    private static final String BIA = "bia";
    private static final String CAIO = "caio";

    @TempDir
    Path stateDir;

    private TopologyFixture t;
    /** Each conversa's latest state as written to chat.conversas. */
    private final Map<String, Conversa> conversas = new HashMap<>();
    /** Every conversa taken from the queue, in the order written: conversaId → its latest atendenteId. */
    private final Map<String, String> handedOut = new LinkedHashMap<>();
    private final List<RealtimeEvent> events = new ArrayList<>();
    private final Map<String, Long> versions = new HashMap<>();

    @BeforeEach
    void start() {
        t = new TopologyFixture(stateDir);
        // transfers need known targets: the gateways saw them log in
        for (String userId : List.of(ANA, BIA, CAIO)) {
            t.sessionOpened(EMPRESA, userId, userId);
            t.sessionOpened(OTHER, userId, userId);
        }
        t.drainOutputs();
    }

    @AfterEach
    void close() {
        t.close();
    }

    /** A new customer of {@code empresaId} writes: a new conversa, waiting. */
    private String customer(String empresaId, int n) {
        String jid = "55119" + String.format("%08d", n) + "@s.whatsapp.net";
        t.send(empresaId, upsert(INSTANCE, key(jid, false, "K" + n), "Cliente " + n, conversation("oi"),
                "conversation", 1761057639L + n, null));
        return DeterministicIds.conversaId(empresaId, INSTANCE, jid);
    }

    private String customer(int n) {
        return customer(EMPRESA, n);
    }

    private void settings(String empresaId, String mode, int capacity, Map<String, Integer> capacities) {
        settings(empresaId, mode, capacity, capacities, 120);
    }

    private void settings(String empresaId, String mode, int capacity, Map<String, Integer> capacities,
                          int graceSeconds) {
        long version = versions.merge("settings|" + empresaId, 1L, Long::sum);
        t.settings(new EmpresaSettings(empresaId, version, new Assignment(mode, capacity, capacities, graceSeconds),
                Instant.parse("2026-11-30T10:00:00Z"), "dona"));
    }

    private void settings(String mode, int capacity) {
        settings(EMPRESA, mode, capacity, Map.of());
    }

    /** The empresa's presence now: {@code userId, status, userId, status, ...}. */
    private void onlineIn(String empresaId, String... usersAndStatuses) {
        List<PresenceSnapshot.OnlineUser> users = new ArrayList<>();
        for (int i = 0; i < usersAndStatuses.length; i += 2) {
            users.add(new PresenceSnapshot.OnlineUser(usersAndStatuses[i], usersAndStatuses[i], usersAndStatuses[i + 1],
                    Instant.parse("2026-11-30T09:00:00Z")));
        }
        long version = versions.merge("presence|" + empresaId, 1L, Long::sum);
        t.presence(new PresenceSnapshot(empresaId, users, users.size(), version, Instant.parse("2026-11-30T10:00:00Z")));
    }

    private void online(String... usersAndStatuses) {
        onlineIn(EMPRESA, usersAndStatuses);
    }

    private void command(String userId, String type, String conversaId, String target) {
        t.command(new AgentCommand("cmd-" + userId + "-" + type + "-" + conversaId + "-" + target, EMPRESA, userId,
                List.of("atendente"), type, conversaId, target, null, null, null, null, null));
    }

    /** Reads what the topology wrote since the last call. */
    private void read() {
        for (Conversa conversa : t.conversas.readValuesToList()) {
            Conversa before = conversas.put(conversa.conversaId(), conversa);
            boolean wasWaiting = before == null || before.atendenteId() == null;
            if (conversa.atendenteId() != null && wasWaiting && conversa.status() == ConversaStatus.EM_ATENDIMENTO) {
                handedOut.put(conversa.conversaId(), conversa.atendenteId());
            }
        }
        for (TestRecord<String, RealtimeEvent> event : t.events.readRecordsToList()) {
            events.add(event.value());
        }
        t.mensagens.readRecordsToList();
    }

    private Map<String, String> assigned() {
        read();
        return handedOut;
    }

    private long load(String atendenteId) {
        read();
        return conversas.values().stream().filter(c -> atendenteId.equals(c.atendenteId())
                && c.status() != ConversaStatus.ENCERRADA).count();
    }

    private String status(String conversaId) {
        read();
        Conversa conversa = conversas.get(conversaId);
        return conversa.status().wire() + (conversa.atendenteId() == null ? "" : ":" + conversa.atendenteId());
    }

    @Test
    void shouldChangeNothingWhileAssignmentIsOff() {
        online(ANA, PresenceStatus.DISPONIVEL, BIA, PresenceStatus.DISPONIVEL);
        String first = customer(1);
        settings(Assignment.OFF_MODE, 5);
        String second = customer(2);

        assertThat(assigned()).isEmpty();
        assertThat(status(first)).isEqualTo("aguardando");
        assertThat(status(second)).isEqualTo("aguardando");
        assertThat(events).extracting(RealtimeEvent::type).doesNotContain(EventType.CONVERSATION_TRANSFERRED);
    }

    @Test
    void shouldHandOutInRoundRobinWithTheEventsOfAManualAssignAndANotificationToTheAtendente() {
        settings(Assignment.ROUND_ROBIN, 5);
        online(BIA, PresenceStatus.DISPONIVEL, ANA, PresenceStatus.DISPONIVEL, CAIO, PresenceStatus.DISPONIVEL);
        List<String> arrivals = new ArrayList<>();
        for (int n = 1; n <= 7; n++) {
            arrivals.add(customer(n));
        }

        assertThat(assigned().keySet()).containsExactlyElementsOf(arrivals);
        assertThat(assigned().values()).containsExactly(ANA, BIA, CAIO, ANA, BIA, CAIO, ANA);
        // the assign command's own records: the conversa taken and conversation_updated, then the notification
        String first = arrivals.get(0);
        List<RealtimeEvent> ofFirst = events.stream().filter(e -> e.data().toString().contains(first))
                .filter(e -> !e.type().equals(EventType.MESSAGE_NOTIFICATION)).toList();
        assertThat(ofFirst).extracting(RealtimeEvent::type).containsExactly(EventType.CONVERSATION_UPDATED,
                EventType.CONVERSATION_UPDATED, EventType.CONVERSATION_TRANSFERRED);
        RealtimeEvent notification = ofFirst.get(2);
        assertThat(notification.channels()).contains(Channel.atendente(ANA), Channel.empresa(EMPRESA));
        assertThat(notification.data().path("to").asString()).isEqualTo(ANA);
        assertThat(notification.data().path("from").isNull()).isTrue();
        assertThat(notification.data().path("by").isNull()).isTrue();
        assertThat(ofFirst.get(1).data().path("conversa").path("atendenteId").asString()).isEqualTo(ANA);
    }

    @Test
    void shouldNeverExceedCapacityAndDrainInArrivalOrderWhenAConversaIsClosed() {
        settings(EMPRESA, Assignment.ROUND_ROBIN, 2, Map.of(BIA, 1));
        online(ANA, PresenceStatus.DISPONIVEL, BIA, PresenceStatus.DISPONIVEL);
        List<String> arrivals = new ArrayList<>();
        for (int n = 1; n <= 6; n++) {
            arrivals.add(customer(n));
        }

        assertThat(assigned().keySet()).containsExactlyElementsOf(arrivals.subList(0, 3));
        assertThat(load(ANA)).isEqualTo(2);
        assertThat(load(BIA)).isEqualTo(1);
        String anasFirst = arrivals.get(0);
        command(ANA, AgentCommand.CLOSE, anasFirst, null);

        assertThat(assigned().keySet()).containsExactlyElementsOf(arrivals.subList(0, 4));
        assertThat(assigned().get(arrivals.get(3))).isEqualTo(ANA);
        assertThat(load(ANA)).isEqualTo(2);
        assertThat(status(arrivals.get(4))).isEqualTo("aguardando");
        assertThat(status(arrivals.get(5))).isEqualTo("aguardando");
    }

    @Test
    void shouldCountManualAssignsAndGiveTheLeastLoadedTheNextWhenTheSettingsSwitchItOn() {
        String[] waiting = new String[6];
        for (int n = 0; n < 6; n++) {
            waiting[n] = customer(n + 1);
        }
        command(ANA, AgentCommand.ASSIGN, waiting[0], null);
        command(ANA, AgentCommand.ASSIGN, waiting[1], null);
        online(ANA, PresenceStatus.DISPONIVEL, BIA, PresenceStatus.DISPONIVEL);
        assertThat(status(waiting[2])).isEqualTo("aguardando");

        settings(Assignment.LEAST_LOADED, 3);

        // bia holds none, ana two (by hand): bia takes two, then they alternate up to capacity
        assertThat(status(waiting[2])).isEqualTo("em_atendimento:" + BIA);
        assertThat(status(waiting[3])).isEqualTo("em_atendimento:" + BIA);
        assertThat(status(waiting[4])).isEqualTo("em_atendimento:" + ANA);
        assertThat(status(waiting[5])).isEqualTo("em_atendimento:" + BIA);
        assertThat(load(ANA)).isEqualTo(3);
        assertThat(load(BIA)).isEqualTo(3);
        String seventh = customer(7);
        assertThat(status(seventh)).isEqualTo("aguardando");
    }

    @Test
    void shouldDrainWhenAnAtendenteComesOnlineOrBecomesDisponivel() {
        settings(Assignment.ROUND_ROBIN, 1);
        String first = customer(1);
        String second = customer(2);
        assertThat(assigned()).isEmpty();

        online(ANA, PresenceStatus.AUSENTE, BIA, PresenceStatus.OCUPADO);
        assertThat(assigned()).isEmpty();

        online(ANA, PresenceStatus.AUSENTE, BIA, PresenceStatus.DISPONIVEL);
        assertThat(assigned()).containsExactly(Map.entry(first, BIA));

        online(ANA, PresenceStatus.DISPONIVEL, BIA, PresenceStatus.DISPONIVEL);
        assertThat(assigned()).containsExactly(Map.entry(first, BIA), Map.entry(second, ANA));
    }

    @Test
    void shouldGiveNothingToASupervisorOrAdminWatchingTheConsoleButStillToAtendentesAndToWhoseRolesAreUnknown() {
        settings(Assignment.ROUND_ROBIN, 5);
        Instant since = Instant.parse("2026-11-30T09:00:00Z");
        List<PresenceSnapshot.OnlineUser> users = List.of(
                new PresenceSnapshot.OnlineUser("admin-1", "Admin", PresenceStatus.DISPONIVEL, since, List.of("admin")),
                new PresenceSnapshot.OnlineUser("sup-1", "Sup", PresenceStatus.DISPONIVEL, since,
                        List.of("supervisor")));
        t.presence(new PresenceSnapshot(EMPRESA, users, users.size(), 1, since));
        String first = customer(1);
        assertThat(assigned()).isEmpty();

        List<PresenceSnapshot.OnlineUser> more = new ArrayList<>(users);
        more.add(new PresenceSnapshot.OnlineUser(ANA, ANA, PresenceStatus.DISPONIVEL, since,
                List.of("atendente", "supervisor")));
        more.add(new PresenceSnapshot.OnlineUser(BIA, BIA, PresenceStatus.DISPONIVEL, since));
        t.presence(new PresenceSnapshot(EMPRESA, more, more.size(), 2, since));
        String second = customer(2);
        assertThat(assigned()).containsOnlyKeys(first, second).doesNotContainValue("admin-1")
                .doesNotContainValue("sup-1").containsValues(ANA, BIA);
    }

    @Test
    void shouldGiveNothingToWhoWentOfflineOrIsNoLongerDisponivel() {
        settings(Assignment.ROUND_ROBIN, 5);
        online(ANA, PresenceStatus.DISPONIVEL, BIA, PresenceStatus.DISPONIVEL);
        online(BIA, PresenceStatus.DISPONIVEL);
        online(ANA, PresenceStatus.OCUPADO, BIA, PresenceStatus.DISPONIVEL);
        for (int n = 1; n <= 3; n++) {
            customer(n);
        }

        assertThat(assigned().values()).containsOnly(BIA).hasSize(3);
    }

    @Test
    void shouldDrainWhenATransferFreesCapacityAndLetManualAssignWorkBesideIt() {
        settings(Assignment.ROUND_ROBIN, 1);
        online(ANA, PresenceStatus.DISPONIVEL);
        String first = customer(1);
        String second = customer(2);
        String third = customer(3);
        assertThat(assigned()).containsExactly(Map.entry(first, ANA));

        // caio is not online: he takes the third by hand, ahead of the queue
        command(CAIO, AgentCommand.ASSIGN, third, null);
        assertThat(status(third)).isEqualTo("em_atendimento:" + CAIO);
        // ana hands hers to bia: her capacity frees, the second goes to her
        command(ANA, AgentCommand.TRANSFER, first, BIA);

        assertThat(status(first)).isEqualTo("em_atendimento:" + BIA);
        assertThat(status(second)).isEqualTo("em_atendimento:" + ANA);
        // back to the queue, which frees ana's capacity: the only one disponivel, she is handed it again
        long before = conversas.get(second).version();
        command(ANA, AgentCommand.TRANSFER, second, null);
        assertThat(status(second)).isEqualTo("em_atendimento:" + ANA);
        assertThat(conversas.get(second).version()).isEqualTo(before + 2);
    }

    @Test
    void shouldRequeueAReopenedOrReturnedConversaBehindTheOnesAlreadyWaiting() {
        settings(Assignment.ROUND_ROBIN, 1);
        online(ANA, PresenceStatus.DISPONIVEL);
        String first = customer(1);
        String second = customer(2);
        String third = customer(3);
        command(ANA, AgentCommand.CLOSE, first, null);
        assertThat(status(second)).isEqualTo("em_atendimento:" + ANA);
        // back to the queue: it waits behind the third, which the freed capacity takes at once
        command(ANA, AgentCommand.TRANSFER, second, null);

        assertThat(status(third)).isEqualTo("em_atendimento:" + ANA);
        assertThat(status(second)).isEqualTo("aguardando");
    }

    @Test
    void shouldGoBackToManualWhenTheSettingsAreDeleted() {
        settings(Assignment.ROUND_ROBIN, 5);
        online(ANA, PresenceStatus.DISPONIVEL);
        String first = customer(1);
        t.settings(EMPRESA, null);
        String second = customer(2);

        assertThat(assigned()).containsExactly(Map.entry(first, ANA));
        assertThat(status(second)).isEqualTo("aguardando");
    }

    @Test
    void shouldSendHostileSettingsAndPresenceToTheDlqAndKeepAssigningThisAndTheOtherEmpresa() {
        settings(Assignment.ROUND_ROBIN, 1);
        online(ANA, PresenceStatus.DISPONIVEL);
        settings(OTHER, Assignment.ROUND_ROBIN, 1, Map.of());
        onlineIn(OTHER, BIA, PresenceStatus.DISPONIVEL);
        List<byte[]> hostileSettings = List.of(
                "not json".getBytes(StandardCharsets.UTF_8),
                "{}".getBytes(StandardCharsets.UTF_8),
                "[1,2]".getBytes(StandardCharsets.UTF_8),
                ("{\"empresaId\":\"" + OTHER + "\",\"version\":99,\"assignment\":{\"mode\":\"round_robin\","
                        + "\"defaultCapacity\":100,\"capacities\":{},\"offlineGraceSeconds\":0}}")
                        .getBytes(StandardCharsets.UTF_8),
                ("{\"empresaId\":\"" + EMPRESA + "\",\"version\":99,\"assignment\":{\"mode\":\"round_robin\","
                        + "\"defaultCapacity\":-1,\"capacities\":{},\"offlineGraceSeconds\":0}}")
                        .getBytes(StandardCharsets.UTF_8),
                ("{\"empresaId\":\"" + EMPRESA + "\",\"version\":99,\"assignment\":{\"mode\":\"round_robin\","
                        + "\"defaultCapacity\":1000000,\"capacities\":{},\"offlineGraceSeconds\":0}}")
                        .getBytes(StandardCharsets.UTF_8),
                ("{\"empresaId\":\"" + EMPRESA + "\",\"version\":99,\"assignment\":{\"mode\":\"round_robin\","
                        + "\"defaultCapacity\":1,\"capacities\":{\"ana\":-5},\"offlineGraceSeconds\":0}}")
                        .getBytes(StandardCharsets.UTF_8),
                ("{\"empresaId\":\"" + EMPRESA + "\",\"version\":\"x\",\"assignment\":{\"mode\":\"round_robin\","
                        + "\"defaultCapacity\":\"1\",\"capacities\":{},\"offlineGraceSeconds\":0}}")
                        .getBytes(StandardCharsets.UTF_8));
        for (byte[] hostile : hostileSettings) {
            t.settings(EMPRESA, hostile);
        }
        List<byte[]> hostilePresence = List.of(
                "\u0000\u0001".getBytes(StandardCharsets.UTF_8),
                "{\"empresaId\":\"emp-1\",\"online\":null,\"count\":0,\"version\":1}".getBytes(StandardCharsets.UTF_8),
                ("{\"empresaId\":\"" + OTHER + "\",\"online\":[],\"count\":0,\"version\":1}")
                        .getBytes(StandardCharsets.UTF_8));
        for (byte[] hostile : hostilePresence) {
            t.presence(EMPRESA, hostile);
        }
        t.settings("", "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(t.dlq.readRecordsToList()).hasSize(hostileSettings.size() + hostilePresence.size() + 1);
        // users no assignment can take: ids with ':' or blank, statuses nobody chose; ana stays as she was
        t.presence(EMPRESA, ("{\"empresaId\":\"" + EMPRESA + "\",\"online\":[{\"userId\":\"ana\",\"status\":"
                + "\"disponivel\"},{\"userId\":\"x:y\",\"status\":\"disponivel\"},{\"userId\":\" \",\"status\":"
                + "\"disponivel\"},{\"userId\":\"caio\",\"status\":\"dormindo\\u0000\"}],\"count\":4,\"version\":9}")
                .getBytes(StandardCharsets.UTF_8));

        String mine = customer(1);
        String theirs = customer(OTHER, 2);
        String mineNext = customer(3);

        assertThat(assigned()).containsExactly(Map.entry(mine, ANA), Map.entry(theirs, BIA));
        assertThat(status(mineNext)).isEqualTo("aguardando");
        assertThat(t.dlq.isEmpty()).isTrue();
    }

    @Test
    void shouldIgnoreSettingsOlderThanThoseKept() {
        settings(Assignment.ROUND_ROBIN, 5);
        settings(Assignment.ROUND_ROBIN, 5);
        t.settings(new EmpresaSettings(EMPRESA, 1, Assignment.OFF, Instant.parse("2026-11-30T09:00:00Z"), "dona"));
        online(ANA, PresenceStatus.DISPONIVEL);
        String first = customer(1);

        assertThat(assigned()).containsExactly(Map.entry(first, ANA));
    }

    @Test
    void shouldNotMixEmpresasWhoseIdsShareAPrefix() {
        String lookalike = EMPRESA + "|";
        for (String userId : List.of(ANA, BIA)) {
            t.sessionOpened(lookalike, userId, userId);
        }
        settings(Assignment.ROUND_ROBIN, 5);
        settings(lookalike, Assignment.ROUND_ROBIN, 5, Map.of());
        onlineIn(lookalike, BIA, PresenceStatus.DISPONIVEL);
        String mine = customer(1);
        assertThat(status(mine)).isEqualTo("aguardando");

        online(ANA, PresenceStatus.DISPONIVEL);

        assertThat(assigned()).containsExactly(Map.entry(mine, ANA));
    }

    @Test
    void shouldReturnTheConversasOfAnAtendenteOfflinePastTheGraceBehindTheOnesWaiting() {
        settings(EMPRESA, Assignment.ROUND_ROBIN, 1, Map.of(), 60);
        online(ANA, PresenceStatus.DISPONIVEL, BIA, PresenceStatus.DISPONIVEL);
        String anas = customer(1);
        String bias = customer(2);
        String waiting = customer(3);
        assertThat(assigned()).containsExactly(Map.entry(anas, ANA), Map.entry(bias, BIA));

        online(BIA, PresenceStatus.DISPONIVEL);
        t.advance(Duration.ofSeconds(55));
        assertThat(status(anas)).isEqualTo("em_atendimento:" + ANA);
        t.advance(Duration.ofSeconds(10));

        assertThat(status(anas)).isEqualTo("aguardando");
        RealtimeEvent returned = events.stream().filter(e -> e.type().equals(EventType.CONVERSATION_TRANSFERRED))
                .filter(e -> e.data().path("from").asString("").equals(ANA)).findFirst().orElseThrow();
        assertThat(returned.data().path("to").isNull()).isTrue();
        assertThat(returned.data().path("by").isNull()).isTrue();
        // it waits behind the one that waited before it
        command(BIA, AgentCommand.CLOSE, bias, null);
        assertThat(status(waiting)).isEqualTo("em_atendimento:" + BIA);
        assertThat(status(anas)).isEqualTo("aguardando");
    }

    @Test
    void shouldLetAnAtendenteBackWithinTheGraceOrOfAnEmpresaWithAssignmentOffKeepTheirConversas() {
        settings(EMPRESA, Assignment.ROUND_ROBIN, 1, Map.of(), 60);
        online(ANA, PresenceStatus.DISPONIVEL);
        String anas = customer(1);
        online(BIA, PresenceStatus.DISPONIVEL);
        t.advance(Duration.ofSeconds(30));
        online(ANA, PresenceStatus.OCUPADO, BIA, PresenceStatus.DISPONIVEL);
        t.advance(Duration.ofSeconds(120));
        assertThat(status(anas)).isEqualTo("em_atendimento:" + ANA);

        settings(EMPRESA, Assignment.OFF_MODE, 1, Map.of(), 0);
        online(BIA, PresenceStatus.DISPONIVEL);
        t.advance(Duration.ofSeconds(120));

        assertThat(status(anas)).isEqualTo("em_atendimento:" + ANA);
    }
}

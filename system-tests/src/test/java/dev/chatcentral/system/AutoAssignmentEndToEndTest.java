package dev.chatcentral.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.service.security.DevelopmentSecrets;
import dev.chatcentral.testing.AgentTokens;
import dev.chatcentral.testing.WebSocketTestClient;

/**
 * Automatic assignment across the real processes (issue 20, item 5; docs/assignment.md): an admin switches it on
 * through the gateway's settings API, atendentes come online and {@code disponivel} over their WebSockets as the
 * console does, and a burst of customers writes in at once through the Evolution simulator and the ingest. Two
 * empresas run it at the same time, one {@code least_loaded} and one {@code round_robin}, capacity 2, each with
 * three atendentes and a fourth whose own capacity is 0: the first six conversas by arrival are handed out without
 * anyone pressing assign, each to an atendente told so on their own channel, the rest wait in arrival order; a close
 * hands the oldest waiting one to whoever freed up; an atendente who goes offline past the grace has their conversas
 * put back at the end of the queue, and the others take them, within capacity, once the conversas ahead of them are
 * served. Nobody ever holds more than their capacity and no conversa is given to two atendentes, in the events
 * (replayed in position order at every step, {@link AssignmentLedger}) and in PostgreSQL. A third empresa, its
 * assignment {@code off}, gets customers and an available atendente in the same run and none of it.
 */
@ExtendWith(TestInfrastructure.Available.class)
class AutoAssignmentEndToEndTest {

    private static final int CAPACITY = 2;
    /** The minimum is 0; one second still shows a grace is waited out, and the check runs every 5 s anyway. */
    private static final int OFFLINE_GRACE_SECONDS = 1;
    private static final int BURST = 20;
    private static final int MANUAL_CUSTOMERS = 5;
    /** Generous for a loaded machine: Kafka round trips, transaction commits, the sink's batches. */
    private static final Duration WITHIN = Duration.ofSeconds(30);
    /** Presence's grace (1 s here) and cleanup pass, then the offline check every 5 s, past the 1 s grace. */
    private static final Duration OFFLINE_WITHIN = Duration.ofSeconds(40);
    private static final Duration PRESENCE_GRACE = Duration.ofSeconds(1);
    private static final HttpClient http = HttpClient.newHttpClient();

    private static final List<String> FOUR = List.of("ana", "bia", "caio", "davi");
    /**
     * davi takes no conversas automatically; nor does the supervisor, whose console is online and disponivel to
     * presence like an atendente's: by role (see {@link #shouldLeaveASupervisorWhoOnlyWatchesOutOfAutomaticAssignment}),
     * and by a capacity of 0 as well, the way an empresa kept supervisors out before presence knew roles.
     */
    private static final Map<String, Integer> OWN_CAPACITIES = Map.of("davi", 0, "sup", 0);
    private static final Team LEAST_LOADED = new Team("emp-auto-ll", "loja-auto-ll", "least_loaded", 1, BURST, FOUR,
            OWN_CAPACITIES);
    private static final Team ROUND_ROBIN = new Team("emp-auto-rr", "loja-auto-rr", "round_robin", 2, BURST, FOUR,
            OWN_CAPACITIES);
    private static final Team MANUAL = new Team("emp-auto-off", "loja-auto-off", "off", 3, MANUAL_CUSTOMERS,
            List.of("ana"), Map.of());
    /** A supervisor alone, then one atendente. */
    private static final Team WATCHED = new Team("emp-auto-sup", "loja-auto-sup", "least_loaded", 4, 1, List.of(),
            Map.of());
    /** One atendente and a first-response target of 3 s, warned 2 s before. */
    private static final Team TIMED = new Team("emp-auto-sla", "loja-auto-sla", "least_loaded", 5, 1,
            List.of("ana"), Map.of());
    private static final List<Team> AUTOMATIC = List.of(LEAST_LOADED, ROUND_ROBIN);
    private static final List<Team> ALL = List.of(LEAST_LOADED, ROUND_ROBIN, MANUAL);
    /** A cold start on a loaded machine: the topologies' first rebalance. */
    private static final Duration STARTUP = Duration.ofSeconds(180);
    private static final String HOSTILE = "emp-auto-hostile";

    private static ChatCentralStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        // presence takes a user whose last session closed offline after 1 s instead of 3
        stack = ChatCentralStack.withEvolutionSimulator(
                "--chatcentral.processor.presence.grace=" + PRESENCE_GRACE.toMillis() + "ms");
        for (Team team : List.of(LEAST_LOADED, ROUND_ROBIN, MANUAL, WATCHED, TIMED)) {
            stack.database.seedEmpresa(team.empresaId, team.instance, team.secret);
            HttpResponse<String> registered = http.send(HttpRequest.newBuilder(URI.create(stack.simulatorUrl()
                            + "/simulator/instances/" + team.instance + "/target"))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"empresaId\":\"" + team.empresaId
                            + "\",\"secret\":\"" + team.secret + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
        }
        stack.database.seedEmpresa(HOSTILE, "loja-auto-hostile", "segredo-auto-hostile");
        // a burst met by a topology still rebalancing would measure the start, not assignment
        await("the processor's topologies RUNNING", AutoAssignmentEndToEndTest::topologyStates,
                "RUNNING/RUNNING"::equals, STARTUP);
    }

    /** The conversa and presence topologies' states, as the processor's health tells them. */
    private static String topologyStates() {
        try {
            JsonNode health = Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create(
                            stack.processorManagementUrl() + "/actuator/health"))
                    .header("Authorization", "Bearer " + DevelopmentSecrets.ADMIN_API_TOKEN)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body());
            return health.path("components").path("kafkaStreams").path("details").path("state").asString() + "/"
                    + health.path("components").path("presenceStreams").path("details").path("state").asString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void shouldHandOutABurstWithinCapacityInArrivalOrderAndDrainTheQueueOnCloseAndOffline() throws Exception {
        for (Team team : ALL) {
            team.writeSettings();
        }
        try {
            for (Team team : ALL) {
                team.connect();
            }
            for (Team team : ALL) {
                team.awaitEveryoneDisponivel();
            }

            burst();

            for (Team team : AUTOMATIC) {
                firstSixByArrivalAreHandedOutAndTheRestWait(team);
            }
            for (Team team : AUTOMATIC) {
                aCloseHandsTheOldestWaitingToWhoeverFreedUp(team);
            }
            Map<Team, AssignmentLedger> beforeOffline = new HashMap<>();
            for (Team team : AUTOMATIC) {
                beforeOffline.put(team, team.ledger());
            }
            long offlineAt = System.nanoTime();
            for (Team team : AUTOMATIC) {
                team.goOffline(team.caio);
            }
            for (Team team : AUTOMATIC) {
                conversasOfAnAtendenteOfflinePastTheGraceGoBackToTheEndOfTheQueue(team, beforeOffline.get(team),
                        offlineAt);
            }
            drainTheQueueByClosing();
            for (Team team : AUTOMATIC) {
                nobodyWasOverCapacityAndNothingWasGivenTwice(team);
            }
            anEmpresaWithAssignmentOffGetsNoneOfIt();
        } finally {
            for (Team team : ALL) {
                team.disconnect();
            }
        }
    }

    /**
     * A supervisor following the empresa's channels is online to presence, {@code disponivel} by default, like
     * anyone with a session: presence knows no roles. Automatic assignment hands conversas to atendentes (issue 20),
     * so the customer's conversa waits for the atendente who comes online after it, not for the supervisor.
     */
    @Test
    void shouldLeaveASupervisorWhoOnlyWatchesOutOfAutomaticAssignment() throws Exception {
        Team team = WATCHED;
        try {
            team.writeSettings();
            team.connect();
            team.awaitEveryoneDisponivel();
            assertTakenByTheIngest(team.customerWrites(0, "Preciso de ajuda"));
            team.awaitLedger("the customer's conversa", l -> l.arrivals().size() == 1);

            // after the supervisor in userId order, so no tie between them could hide a hand-out to the supervisor
            String zeca = team.id("zeca");
            team.join(zeca);
            team.awaitEveryoneDisponivel();
            AssignmentLedger ledger = team.awaitLedger("the conversa handed out", l -> l.assignments().size() == 1);
            assertThat(ledger.assignments().get(0).atendenteId()).as("who got it: " + ledger).isEqualTo(zeca);
        } finally {
            team.disconnect();
        }
    }

    @Test
    void shouldWarnAndThenBreachTheAtendenteHandedAConversaNobodyAnsweredWithinTheEmpresasTarget() throws Exception {
        Team team = TIMED;
        try {
            team.writeSettings(",\"sla\":{\"firstResponseSeconds\":3,\"nextResponseSeconds\":0,"
                    + "\"warningBeforeSeconds\":2}");
            team.connect();
            team.awaitEveryoneDisponivel();
            assertTakenByTheIngest(team.customerWrites(0, "Tem alguém aí?"));
            AssignmentLedger ledger = team.awaitLedger("the conversa handed out", l -> l.assignments().size() == 1);
            String conversaId = ledger.assignments().get(0).conversaId();
            assertThat(ledger.assignments().get(0).atendenteId()).isEqualTo(team.ana);

            // nobody pressed anything: the clock started at the hand-out, and ana hears of it on her own channel
            JsonNode warning = team.ana().awaitFrame(f -> isSla(f, EventType.SLA_WARNING, "atendente:" + team.ana),
                    WITHIN);
            JsonNode breach = team.ana().awaitFrame(f -> isSla(f, EventType.SLA_BREACHED, "atendente:" + team.ana),
                    WITHIN);
            for (JsonNode event : List.of(warning, breach)) {
                JsonNode data = event.path("data");
                assertThat(data.path("conversaId").asString()).isEqualTo(conversaId);
                assertThat(data.path("atendenteId").asString()).isEqualTo(team.ana);
                assertThat(data.path("kind").asString()).isEqualTo("first_response");
                assertThat(Duration.between(Instant.parse(data.path("startedAt").asString()),
                        Instant.parse(data.path("dueAt").asString()))).isEqualTo(Duration.ofSeconds(3));
            }
            assertThat(warning.path("position").asLong()).isLessThan(breach.path("position").asLong());
            // and so does the supervisor, on the empresa's channel
            team.supervisor.awaitFrame(f -> isSla(f, EventType.SLA_BREACHED, "empresa:" + team.empresaId), WITHIN);
        } finally {
            team.disconnect();
        }
    }

    private static boolean isSla(JsonNode frame, String type, String channel) {
        return type.equals(frame.path("type").asString()) && channel.equals(frame.path("channel").asString());
    }

    @Test
    void shouldRefuseSettingsThatAreNotAnAdminsOrOutOfRangeAndTakeGraceZero() throws Exception {
        String admin = token("admin-hostile", HOSTILE, "admin");
        String valid = "{\"version\":0,\"assignment\":{\"mode\":\"least_loaded\",\"defaultCapacity\":2,"
                + "\"offlineGraceSeconds\":0}}";

        assertThat(putSettings(token("ana-hostile", HOSTILE, "atendente"), valid).statusCode()).isEqualTo(403);
        assertThat(putSettings(token("sup-hostile", HOSTILE, "supervisor"), valid).statusCode()).isEqualTo(403);
        for (String wrong : List.of(
                "",
                "\0",
                "[]",
                "{\"version\":0}",
                "{\"version\":\"0\",\"assignment\":{\"mode\":\"least_loaded\"}}",
                "{\"version\":0,\"assignment\":{\"mode\":\"fastest\"}}",
                "{\"version\":0,\"assignment\":{\"mode\":\"least_loaded\",\"offlineGraceSeconds\":-1}}",
                "{\"version\":0,\"assignment\":{\"mode\":\"least_loaded\",\"offlineGraceSeconds\":86401}}",
                "{\"version\":0,\"assignment\":{\"mode\":\"least_loaded\",\"defaultCapacity\":0}}",
                "{\"version\":0,\"assignment\":{\"mode\":\"least_loaded\",\"capacities\":{\"ana\":101}}}",
                "{\"version\":0,\"assignment\":{\"mode\":\"least_loaded\",\"capacities\":{\"a\\u0001b\":1}}}",
                "{\"version\":0,\"assignment\":{\"mode\":\"least_loaded\",\"capacities\":{\"" + "a".repeat(129)
                        + "\":1}}}",
                "{\"version\":0,\"empresaId\":\"" + LEAST_LOADED.empresaId + "\",\"assignment\":{\"mode\":\"off\"}}",
                "{\"version\":0,\"assignment\":{\"mode\":\"least_loaded\",\"defaultCapacity\":"
                        + "99999999999999999999}}")) {
            HttpResponse<String> refused = putSettings(admin, wrong);
            assertThat(refused.statusCode()).as(wrong + " → " + refused.body()).isEqualTo(400);
            assertThat(Json.MAPPER.readTree(refused.body()).path("error").asString()).isEqualTo("bad_parameter");
        }
        assertThat(putSettings(admin, "{\"version\":0,\"assignment\":{\"mode\":\"off\",\"capacities\":{"
                + "\"" + "x".repeat(300_000) + "\":1}}}").statusCode()).isEqualTo(413);
        assertThat(putSettings(admin, valid.replace("\"version\":0", "\"version\":7")).statusCode())
                .isEqualTo(409);

        HttpResponse<String> written = putSettings(admin, valid);
        assertThat(written.statusCode()).as(written.body()).isEqualTo(200);
        JsonNode settings = Json.MAPPER.readTree(written.body());
        assertThat(settings.path("version").asLong()).isEqualTo(1);
        assertThat(settings.path("empresaId").asString()).isEqualTo(HOSTILE);
        assertThat(settings.path("assignment").path("offlineGraceSeconds").asInt()).isZero();
        assertThat(putSettings(admin, valid).statusCode()).as("made to a version that is gone").isEqualTo(409);
        HttpResponse<String> read = http.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl()
                        + "/api/v1/empresa/settings")).header("Authorization", "Bearer "
                        + token("sup-hostile", HOSTILE, "supervisor")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(Json.MAPPER.readTree(read.body()).path("assignment").path("mode").asString())
                .isEqualTo("least_loaded");
    }

    /** Every customer of every empresa writes in at once, through the simulator (Evolution's webhook) to the ingest. */
    private static void burst() {
        List<CompletableFuture<HttpResponse<String>>> posted = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            for (Team team : ALL) {
                if (i < team.customers) {
                    posted.add(team.customerWrites(i, "Preciso de ajuda"));
                }
            }
        }
        posted.forEach(AutoAssignmentEndToEndTest::assertTakenByTheIngest);
    }

    private static void assertTakenByTheIngest(CompletableFuture<HttpResponse<String>> posted) {
        HttpResponse<String> response = posted.join();
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(response.body()).path("ingestStatus").asInt()).isEqualTo(200);
    }

    private static void firstSixByArrivalAreHandedOutAndTheRestWait(Team team) {
        int served = 3 * CAPACITY;
        AssignmentLedger ledger = team.awaitLedger("the burst's first " + served + " conversas handed out",
                l -> l.arrivals().size() == BURST && l.assignments().size() == served);
        List<String> arrivals = ledger.arrivals();
        assertThat(ledger.violations()).isEmpty();
        assertThat(ledger.assignments()).extracting(AssignmentLedger.Assignment::conversaId)
                .containsExactlyElementsOf(arrivals.subList(0, served));
        assertThat(ledger.waiting()).as("the rest wait, in arrival order")
                .containsExactlyElementsOf(arrivals.subList(served, BURST));
        for (String atendente : List.of(team.ana, team.bia, team.caio)) {
            assertThat(ledger.heldBy(atendente)).as(atendente).hasSize(CAPACITY);
        }
        assertThat(ledger.heldBy(team.davi)).as("capacity 0: online and disponivel, never given any").isEmpty();
        team.awaitEachToldOfWhatTheyWereGiven();
        team.awaitPostgresAgrees();
    }

    private static void aCloseHandsTheOldestWaitingToWhoeverFreedUp(Team team) {
        AssignmentLedger before = team.ledger();
        String oldestWaiting = before.waiting().get(0);
        String closed = before.heldBy(team.ana).get(0);
        team.close(team.ana, closed);
        AssignmentLedger after = team.awaitLedger("the oldest waiting conversa handed out after a close",
                l -> l.assignments().size() == before.assignments().size() + 1);
        AssignmentLedger.Assignment handed = after.assignments().get(after.assignments().size() - 1);
        assertThat(handed.conversaId()).isEqualTo(oldestWaiting);
        assertThat(handed.atendenteId()).as("the only one with room").isEqualTo(team.ana);
        assertThat(after.stateOf(closed)).isEqualTo("encerrada/" + team.ana);
        assertThat(after.violations()).isEmpty();
        team.awaitEachToldOfWhatTheyWereGiven();
    }

    private static void conversasOfAnAtendenteOfflinePastTheGraceGoBackToTheEndOfTheQueue(Team team,
            AssignmentLedger before, long offlineAt) {
        List<String> caios = before.heldBy(team.caio);
        List<String> waitingBefore = before.waiting();
        assertThat(caios).hasSize(CAPACITY);
        AssignmentLedger ledger = team.awaitLedger(team.caio + "'s conversas back in the queue",
                l -> l.returns().size() == CAPACITY, OFFLINE_WITHIN);
        // presence's grace (1 s) and then the empresa's (1 s) must both have run out
        assertThat(Duration.ofNanos(System.nanoTime() - offlineAt)).isGreaterThanOrEqualTo(
                PRESENCE_GRACE.plusSeconds(OFFLINE_GRACE_SECONDS));
        assertThat(ledger.returns()).extracting(AssignmentLedger.Returned::conversaId)
                .containsExactlyInAnyOrderElementsOf(caios);
        assertThat(ledger.returns()).extracting(AssignmentLedger.Returned::fromAtendenteId).containsOnly(team.caio);
        List<String> queue = new ArrayList<>(waitingBefore);
        ledger.returns().forEach(r -> queue.add(r.conversaId()));
        // the others are at capacity: the returned conversas wait behind everyone who was waiting
        assertThat(ledger.waiting()).containsExactlyElementsOf(queue);
        assertThat(ledger.violations()).isEmpty();
        for (String conversaId : caios) {
            JsonNode returned = team.supervisor.awaitFrame(f -> EventType.CONVERSATION_TRANSFERRED.equals(
                    f.path("type").asString()) && conversaId.equals(f.path("data").path("conversa")
                    .path("conversaId").asString()) && f.path("data").path("to").isNull(), WITHIN);
            assertThat(returned.path("data").path("from").asString()).isEqualTo(team.caio);
            assertThat(returned.path("data").path("by").isNull()).as("nobody: the grace ran out").isTrue();
        }
        team.awaitPostgresAgrees();
    }

    /**
     * The two atendentes left close what they hold, round after round, until nobody waits: each freed place takes
     * the conversa that waited longest, so the queue empties in the order it was at, caio's two last.
     */
    private static void drainTheQueueByClosing() {
        Map<Team, List<String>> queued = new HashMap<>();
        Map<Team, Integer> assignedBefore = new HashMap<>();
        for (Team team : AUTOMATIC) {
            AssignmentLedger ledger = team.ledger();
            queued.put(team, ledger.waiting());
            assignedBefore.put(team, ledger.assignments().size());
        }
        boolean anyWaiting = true;
        while (anyWaiting) {
            anyWaiting = false;
            Map<Team, Integer> expected = new HashMap<>();
            for (Team team : AUTOMATIC) {
                AssignmentLedger ledger = team.ledger();
                if (ledger.waiting().isEmpty()) {
                    continue;
                }
                int freed = 0;
                for (String atendente : List.of(team.ana, team.bia)) {
                    for (String conversaId : ledger.heldBy(atendente)) {
                        team.close(atendente, conversaId);
                        freed++;
                    }
                }
                expected.put(team, ledger.assignments().size() + Math.min(freed, ledger.waiting().size()));
            }
            for (Map.Entry<Team, Integer> round : expected.entrySet()) {
                AssignmentLedger ledger = round.getKey().awaitLedger("the places freed taken from the queue",
                        l -> l.assignments().size() >= round.getValue());
                anyWaiting |= !ledger.waiting().isEmpty();
            }
        }
        for (Team team : AUTOMATIC) {
            AssignmentLedger ledger = team.ledger();
            List<AssignmentLedger.Assignment> drained = ledger.assignments().subList(assignedBefore.get(team),
                    ledger.assignments().size());
            assertThat(drained).extracting(AssignmentLedger.Assignment::conversaId)
                    .as("handed out in the order they waited").containsExactlyElementsOf(queued.get(team));
            assertThat(drained).extracting(AssignmentLedger.Assignment::atendenteId)
                    .as("only those online, disponivel and with room").containsOnly(team.ana, team.bia);
            assertThat(ledger.waiting()).isEmpty();
            assertThat(ledger.violations()).isEmpty();
        }
    }

    private static void nobodyWasOverCapacityAndNothingWasGivenTwice(Team team) throws SQLException {
        AssignmentLedger ledger = team.ledger();
        assertThat(ledger.violations()).isEmpty();
        assertThat(ledger.maxLoads()).containsOnlyKeys(team.ana, team.bia, team.caio)
                .allSatisfy((atendente, most) -> assertThat(most).as(atendente).isEqualTo(CAPACITY));
        Set<String> returned = new HashSet<>();
        ledger.returns().forEach(r -> returned.add(r.conversaId()));
        for (String conversaId : ledger.arrivals()) {
            List<String> assignees = ledger.assigneesOf(conversaId);
            if (returned.contains(conversaId)) {
                assertThat(assignees).as(conversaId).hasSize(2).startsWith(team.caio);
                assertThat(assignees.get(1)).isIn(team.ana, team.bia);
            } else {
                assertThat(assignees).as(conversaId + " handed out once").hasSize(1);
            }
        }
        team.awaitEachToldOfWhatTheyWereGiven();
        assertThat(team.transferredTo(team.davi)).isEmpty();
        team.awaitPostgresAgrees();

        // PostgreSQL's audit of each change of hands, written by the sink from chat.conversas
        Map<String, List<String>> audited = new LinkedHashMap<>();
        for (List<String> row : rows("SELECT conversa_id::text, coalesce(from_atendente_id, ''), "
                + "coalesce(to_atendente_id, ''), status FROM conversa_assignment_audit WHERE empresa_id = ? "
                + "ORDER BY conversa_id, version", team.empresaId)) {
            String conversaId = row.get(0);
            String from = row.get(1);
            String to = row.get(2);
            assertThat(from.isEmpty() || to.isEmpty() || from.equals(to))
                    .as("%s went from %s to %s directly", conversaId, from, to).isTrue();
            if (from.isEmpty() && !to.isEmpty()) {
                assertThat(row.get(3)).isEqualTo("em_atendimento");
                audited.computeIfAbsent(conversaId, k -> new ArrayList<>()).add(to);
            }
        }
        for (String conversaId : ledger.arrivals()) {
            assertThat(audited.get(conversaId)).as("audited hand-outs of " + conversaId)
                    .isEqualTo(ledger.assigneesOf(conversaId));
        }
        assertThat(rows("SELECT atendente_id, count(*)::text FROM conversa WHERE empresa_id = ? "
                + "AND status <> 'encerrada' AND atendente_id IS NOT NULL GROUP BY atendente_id", team.empresaId))
                .allSatisfy(row -> assertThat(Integer.parseInt(row.get(1))).as(row.get(0))
                        .isLessThanOrEqualTo(CAPACITY));
    }

    /**
     * The empresa with assignment off: its customers and its available atendente were there all along. A last
     * mensagem of one of its customers, delivered after every event of the empresa's partition before it, marks
     * the point by which anything handed out would have shown.
     */
    private static void anEmpresaWithAssignmentOffGetsNoneOfIt() throws Exception {
        Team team = MANUAL;
        String marker = "Alguém aí?";
        assertTakenByTheIngest(team.customerWrites(0, marker));
        team.supervisor.awaitFrame(f -> EventType.MESSAGE_NOTIFICATION.equals(f.path("type").asString())
                && marker.equals(f.path("data").path("mensagem").path("text").asString()), WITHIN);

        AssignmentLedger ledger = team.ledger();
        assertThat(ledger.arrivals()).hasSize(MANUAL_CUSTOMERS);
        assertThat(ledger.assignments()).isEmpty();
        assertThat(ledger.waiting()).containsExactlyElementsOf(ledger.arrivals());
        assertThat(team.supervisor.framesOfType(EventType.CONVERSATION_TRANSFERRED)).isEmpty();
        assertThat(team.transferredTo(team.ana)).isEmpty();
        assertThat(team.ana().frames()).noneMatch(f -> f.path("data").path("conversa").isObject());
        await("the marker in PostgreSQL", () -> stack.database.queryForLong("SELECT count(*) FROM conversa "
                + "WHERE empresa_id = ? AND last_mensagem_preview = ?", team.empresaId, marker), n -> n == 1);
        assertThat(rows("SELECT status, coalesce(atendente_id, '') FROM conversa WHERE empresa_id = ?",
                team.empresaId)).hasSize(MANUAL_CUSTOMERS).allMatch(row -> row.equals(List.of("aguardando", "")));
        assertThat(stack.database.queryForLong("SELECT count(*) FROM conversa_assignment_audit WHERE empresa_id = ? "
                + "AND to_atendente_id IS NOT NULL", team.empresaId)).isZero();
        // every empresa's conversas stayed its own
        for (Team other : AUTOMATIC) {
            assertThat(other.ledger().arrivals()).doesNotContainAnyElementsOf(ledger.arrivals());
        }
    }

    private static HttpResponse<String> putSettings(String token, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/api/v1/empresa/settings"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .timeout(WITHIN)
                        .PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String token(String userId, String empresaId, String role) {
        return AgentTokens.mint(AgentTokens.DEV_SECRET, userId, empresaId, List.of(role),
                Instant.now().plusSeconds(3600));
    }

    /** Each row of the query's result, its columns as text. */
    private static List<List<String>> rows(String sql, Object... args) throws SQLException {
        try (Connection c = stack.database.connect(); PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i]);
            }
            List<List<String>> rows = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> row = new ArrayList<>(columns);
                    for (int i = 1; i <= columns; i++) {
                        row.add(rs.getString(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    /** Polls {@code probe} until {@code done} holds; fails with the last value seen after {@link #WITHIN}. */
    private static <T> T await(String what, Supplier<T> probe, Predicate<T> done) {
        return await(what, probe, done, WITHIN);
    }

    private static <T> T await(String what, Supplier<T> probe, Predicate<T> done, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            T last = probe.get();
            if (done.test(last)) {
                return last;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + within + "; last seen: " + last);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /**
     * One empresa of the run: its admin, a supervisor following its {@code empresa:} and {@code presence:} channels,
     * its atendentes (ana, bia, caio, and davi whose own capacity is 0) each following their own channel, and its
     * customers' phones.
     */
    private static final class Team {

        final String empresaId;
        final String instance;
        final String secret;
        final String mode;
        final int number;
        final int customers;
        final String supervisorId;
        final String ana;
        final String bia;
        final String caio;
        final String davi;
        /** The atendentes who connect with the supervisor, before any customer writes. */
        final List<String> people;
        /** The capacities of those who have their own, by userId. */
        final Map<String, Integer> capacities = new LinkedHashMap<>();
        final Map<String, WebSocketTestClient> atendentes = new LinkedHashMap<>();
        WebSocketTestClient supervisor;
        private int closes;

        /**
         * @param names        the atendentes connected from the start (ana, bia, caio, davi), each suffixed with
         *                     the empresa's number
         * @param ownCapacities capacities by those names ("sup" is the supervisor)
         */
        Team(String empresaId, String instance, String mode, int number, int customers, List<String> names,
             Map<String, Integer> ownCapacities) {
            this.empresaId = empresaId;
            this.instance = instance;
            this.secret = "segredo-" + empresaId;
            this.mode = mode;
            this.number = number;
            this.customers = customers;
            this.supervisorId = id("sup");
            this.ana = id("ana");
            this.bia = id("bia");
            this.caio = id("caio");
            this.davi = id("davi");
            this.people = names.stream().map(this::id).toList();
            ownCapacities.forEach((name, capacity) -> capacities.put(id(name), capacity));
        }

        private String id(String name) {
            return name + "-" + number;
        }

        String phone(int customer) {
            return String.format("55119%d%07d", number, customer);
        }

        WebSocketTestClient ana() {
            return atendentes.get(ana);
        }

        /** A customer of the empresa's number writes, through the simulator: Evolution's webhook to the ingest. */
        CompletableFuture<HttpResponse<String>> customerWrites(int customer, String text) {
            return http.sendAsync(HttpRequest.newBuilder(URI.create(stack.simulatorUrl() + "/simulator/instances/"
                                    + instance + "/messages"))
                            .header("Content-Type", "application/json")
                            .timeout(WITHIN)
                            .POST(HttpRequest.BodyPublishers.ofString("{\"phone\":\"" + phone(customer)
                                    + "\",\"name\":\"Cliente " + customer + "\",\"text\":\"" + text + "\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        /** The admin writes the empresa's assignment settings (its mode, on or off) through the gateway's REST API. */
        void writeSettings() throws Exception {
            writeSettings("");
        }

        /** The same, with more groups of settings after the assignment ({@code ,"sla":{...}}). */
        void writeSettings(String moreGroups) throws Exception {
            String body = "{\"version\":0,\"assignment\":{\"mode\":\"" + mode + "\",\"defaultCapacity\":" + CAPACITY
                    + ",\"capacities\":" + Json.MAPPER.writeValueAsString(capacities) + ",\"offlineGraceSeconds\":"
                    + OFFLINE_GRACE_SECONDS + "}" + moreGroups + "}";
            HttpResponse<String> written = putSettings(token("admin" + number, empresaId, "admin"), body);
            assertThat(written.statusCode()).as(written.body()).isEqualTo(200);
            JsonNode settings = Json.MAPPER.readTree(written.body());
            assertThat(settings.path("version").asLong()).isEqualTo(1);
            assertThat(settings.path("assignment").path("mode").asString()).isEqualTo(mode);
        }

        /** As the console does: connect, follow their own channel, say they are available. */
        void connect() {
            supervisor = WebSocketTestClient.connect(stack.gatewayWsUrl(),
                    token(supervisorId, empresaId, "supervisor"));
            supervisor.subscribe("empresa:" + empresaId);
            supervisor.subscribe("presence:" + empresaId);
            people.forEach(this::join);
        }

        /** An atendente opens the console: connects, follows their own channel, says they are available. */
        void join(String userId) {
            WebSocketTestClient client = WebSocketTestClient.connect(stack.gatewayWsUrl(),
                    AgentTokens.atendente(userId, empresaId));
            atendentes.put(userId, client);
            client.subscribe("atendente:" + userId);
            client.send("{\"type\":\"presence\",\"status\":\"disponivel\"}");
        }

        /** The supervisor and every atendente who joined are online and disponivel, as presence tells it. */
        void awaitEveryoneDisponivel() {
            List<String> everyone = new ArrayList<>(atendentes.keySet());
            everyone.add(supervisorId);
            await(empresaId + "'s people online and disponivel", this::presence, online -> everyone.stream()
                    .allMatch(userId -> "disponivel".equals(online.get(userId))));
        }

        /** Who is online and with which status, as the supervisor's {@code presence:} channel told it. */
        Map<String, String> presence() {
            Map<String, String> online = new HashMap<>();
            long version = -1;
            for (JsonNode frame : supervisor.frames()) {
                JsonNode data = frame.path("data");
                if (!("presence:" + empresaId).equals(frame.path("channel").asString())
                        || data.path("version").asLong() <= version && version >= 0) {
                    continue;
                }
                if ("presence_snapshot".equals(frame.path("type").asString())) {
                    online.clear();
                    data.path("online").forEach(u -> online.put(u.path("userId").asString(),
                            u.path("status").asString()));
                    version = data.path("version").asLong();
                } else if (EventType.PRESENCE_UPDATE.equals(frame.path("type").asString())) {
                    if (data.path("online").asBoolean()) {
                        online.put(data.path("userId").asString(), data.path("status").asString());
                    } else {
                        online.remove(data.path("userId").asString());
                    }
                    version = data.path("version").asLong();
                }
            }
            return online;
        }

        AssignmentLedger ledger() {
            return AssignmentLedger.of(supervisor.frames(), empresaId, CAPACITY, capacities);
        }

        AssignmentLedger awaitLedger(String what, Predicate<AssignmentLedger> done) {
            return awaitLedger(what, done, WITHIN);
        }

        AssignmentLedger awaitLedger(String what, Predicate<AssignmentLedger> done, Duration within) {
            return await(empresaId + ": " + what, this::ledger, done.or(l -> !l.violations().isEmpty()), within);
        }

        /** The atendente closes a conversa they hold, with the console's close command. */
        void close(String atendente, String conversaId) {
            atendentes.get(atendente).send("{\"type\":\"command\",\"commandId\":\"close-" + number + "-" + ++closes
                    + "\",\"command\":\"close\",\"conversaId\":\"" + conversaId + "\"}");
        }

        /** The atendente closes the console: their only session ends. */
        void goOffline(String atendente) {
            atendentes.get(atendente).close();
        }

        /**
         * The conversas handed to the atendente from the queue, in order, as their own {@code atendente:} channel
         * told them: {@code conversation_transferred} from nobody, by nobody.
         */
        List<String> transferredTo(String atendente) {
            Set<String> seen = new HashSet<>();
            return atendentes.get(atendente).frames().stream()
                    .filter(f -> EventType.CONVERSATION_TRANSFERRED.equals(f.path("type").asString())
                            && ("atendente:" + atendente).equals(f.path("channel").asString())
                            && seen.add(f.path("id").asString()))
                    .peek(f -> {
                        assertThat(f.path("data").path("to").asString()).isEqualTo(atendente);
                        assertThat(f.path("data").path("from").isNull()).as("from the queue").isTrue();
                        assertThat(f.path("data").path("by").isNull()).as("by nobody").isTrue();
                    })
                    .map(f -> f.path("data").path("conversa").path("conversaId").asString())
                    .toList();
        }

        /** Every atendente heard, on their own channel, of each conversa the empresa's channel says they got. */
        void awaitEachToldOfWhatTheyWereGiven() {
            for (String atendente : List.of(ana, bia, caio, davi)) {
                List<String> given = ledger().assignedTo(atendente);
                await(atendente + " told of " + given, () -> transferredTo(atendente), given::equals);
            }
        }

        /** PostgreSQL's conversa rows, written by the sink, end where the events say each conversa is. */
        void awaitPostgresAgrees() {
            AssignmentLedger ledger = ledger();
            Map<String, String> expected = new HashMap<>();
            ledger.arrivals().forEach(id -> expected.put(id, ledger.stateOf(id)));
            await(empresaId + "'s conversas in PostgreSQL", () -> {
                Map<String, String> stored = new HashMap<>();
                try {
                    for (List<String> row : rows("SELECT id::text, status || '/' || coalesce(atendente_id, '-') "
                            + "FROM conversa WHERE empresa_id = ?", empresaId)) {
                        stored.put(row.get(0), row.get(1));
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
                return stored;
            }, expected::equals);
        }

        void disconnect() {
            if (supervisor != null) {
                supervisor.close();
            }
            atendentes.values().forEach(WebSocketTestClient::close);
        }

        @Override
        public String toString() {
            return empresaId;
        }
    }
}

package dev.chatcentral.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.gateway.testing.TestGateway;
import dev.chatcentral.schemas.presence.PresenceSnapshot;
import dev.chatcentral.schemas.presence.PresenceSnapshot.OnlineUser;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.testing.AgentTokens;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/**
 * The supervisor's queue over the real broker and PostgreSQL: waiting conversas in the order they started waiting
 * (not the order they last changed), loads counted as automatic assignment counts them, capacities from the
 * settings an admin wrote, presence from the snapshot the stream-processor would write; only supervisors and admins
 * of the empresa see it, never another empresa's rows, and every malformed parameter is refused with a reason.
 */
class QueueApiIntegrationTest {

    private static final HttpClient http = HttpClient.newHttpClient();
    private static final Instant BASE = Instant.parse("2026-11-30T09:00:00Z");

    private static TestKafka kafka;
    private static TestDatabase database;
    private static ConfigurableApplicationContext gateway;
    private static KafkaProducer<String, PresenceSnapshot> presence;

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        database = TestDatabase.create();
        gateway = TestGateway.start(kafka, database);
        presence = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "queue-test-presence-writer"),
                Topics.PRESENCE.keySerde().serializer(), Topics.PRESENCE.valueSerde().serializer());
        presence.initTransactions();
    }

    @AfterAll
    static void stop() {
        presence.close();
        gateway.close();
        database.close();
        kafka.close();
    }

    @Test
    void shouldListTheWaitingInTheOrderTheyStartedWaitingAndEachAtendentesLoadAgainstCapacity() throws Exception {
        String empresa = "emp-queue-1";
        writeSettings(empresa, "{\"version\":0,\"assignment\":{\"mode\":\"least_loaded\",\"defaultCapacity\":3,"
                + "\"capacities\":{\"ana\":5,\"bia\":0}}}");
        // created first, but assigned and sent back to the queue last: it waits since it came back
        UUID returned = conversa(empresa, "aguardando", null, "Retorno", 0, 25);
        audit(returned, empresa, null, "ana", "aguardando", "em_atendimento", 2, 1);
        audit(returned, empresa, "ana", null, "em_atendimento", "aguardando", 3, 20);
        // a customer wrote again at +30: a change, but not of status or atendente, so it still waits since +10
        UUID chatty = conversa(empresa, "aguardando", null, "Falante", 10, 30);
        UUID oldest = conversa(empresa, "aguardando", null, null, 5, 5);
        conversa(empresa, "em_atendimento", "ana", "A1", 1, 1);
        conversa(empresa, "em_atendimento", "ana", "A2", 1, 1);
        // aguardando the customer with ana holding it: her load, not the queue's
        conversa(empresa, "aguardando", "ana", "A3", 1, 1);
        conversa(empresa, "encerrada", "ana", "A4", 1, 1);
        conversa(empresa, "em_atendimento", "carla", "C1", 1, 1);
        writePresence(empresa, 7, new OnlineUser("ana", "Ana", "disponivel", BASE),
                new OnlineUser("bia", "Bia", "ocupado", BASE), new OnlineUser("dora", null, "disponivel", BASE));
        // another empresa with the same atendente ids and a conversa waiting longer than all of the first's
        String other = "emp-queue-2";
        UUID othersWaiting = conversa(other, "aguardando", null, "Outro", -100, -100);
        conversa(other, "em_atendimento", "ana", "O1", 1, 1);
        writePresence(other, 3, new OnlineUser("eva", "Eva", "disponivel", BASE));

        Instant before = Instant.now();
        JsonNode queue = json(get(supervisor(empresa), ""), 200);

        assertThat(queue.path("empresaId").asString()).isEqualTo(empresa);
        assertThat(Instant.parse(queue.path("ts").asString())).isAfterOrEqualTo(before.minusSeconds(1));
        assertThat(queue.path("assignment").path("mode").asString()).isEqualTo("least_loaded");
        assertThat(queue.path("assignment").path("automatic").asBoolean()).isTrue();
        assertThat(queue.path("assignment").path("defaultCapacity").asInt()).isEqualTo(3);
        assertThat(queue.path("assignment").path("version").asLong()).isEqualTo(1);
        assertThat(queue.path("presenceVersion").asLong()).isEqualTo(7);
        assertThat(queue.path("waiting").path("total").asLong()).isEqualTo(3);
        assertThat(queue.path("waiting").path("limit").asInt()).isEqualTo(50);
        assertThat(ids(queue.path("waiting").path("items"), "conversaId"))
                .containsExactly(oldest.toString(), chatty.toString(), returned.toString());
        JsonNode first = queue.path("waiting").path("items").get(0);
        assertThat(first.path("contactName").isNull()).isTrue();
        assertThat(first.path("instance").asString()).isEqualTo("loja-01");
        assertThat(Instant.parse(first.path("waitingSince").asString())).isEqualTo(BASE.plusSeconds(5));
        assertThat(Instant.parse(queue.path("waiting").path("items").get(1).path("waitingSince").asString()))
                .isEqualTo(BASE.plusSeconds(10));
        assertThat(Instant.parse(queue.path("waiting").path("items").get(2).path("waitingSince").asString()))
                .isEqualTo(BASE.plusSeconds(20));

        JsonNode atendentes = queue.path("atendentes");
        assertThat(atendentes.path("truncated").asBoolean()).isFalse();
        assertThat(ids(atendentes.path("items"), "userId")).containsExactly("ana", "bia", "carla", "dora");
        assertAtendente(atendentes.path("items").get(0), "Ana", true, "disponivel", 3, 5, true);
        assertAtendente(atendentes.path("items").get(1), "Bia", true, "ocupado", 0, 0, false);
        assertAtendente(atendentes.path("items").get(2), null, false, null, 1, 3, false);
        assertAtendente(atendentes.path("items").get(3), null, true, "disponivel", 0, 3, true);

        // the other empresa's supervisor sees only theirs, with the default settings
        JsonNode others = json(get(supervisor(other), ""), 200);
        assertThat(ids(others.path("waiting").path("items"), "conversaId")).containsExactly(othersWaiting.toString());
        assertThat(ids(others.path("atendentes").path("items"), "userId")).containsExactly("ana", "eva");
        assertAtendente(others.path("atendentes").path("items").get(0), null, false, null, 1, 5, false);
        assertThat(others.path("assignment").path("mode").asString()).isEqualTo("off");
        assertThat(others.path("assignment").path("automatic").asBoolean()).isFalse();
        assertThat(others.path("assignment").path("version").asLong()).isZero();
        assertThat(others.path("presenceVersion").asLong()).isEqualTo(3);
    }

    @Test
    void shouldListAtMostLimitWaitingWithTheTotalAndAtMostFiveHundredAtendentes() throws Exception {
        String empresa = "emp-queue-3";
        List<String> waiting = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            waiting.add(conversa(empresa, "aguardando", null, "Cliente " + i, i, i).toString());
        }
        database.execute("INSERT INTO conversa (id, empresa_id, instance, remote_jid, status, atendente_id, version,"
                + " created_at, updated_at) SELECT gen_random_uuid(), ?, 'loja-01', 'x@s.whatsapp.net',"
                + " 'em_atendimento', 'u-' || lpad(n::text, 4, '0'), 1, now(), now() FROM generate_series(1, 520) n",
                empresa);
        // first by code point ('Z' < 'u'), last in a locale's collation: the 500 listed are the first by code point
        conversa(empresa, "em_atendimento", "Zé", "Z1", 0, 0);

        JsonNode queue = json(get(supervisor(empresa), "?limit=3"), 200);

        assertThat(queue.path("waiting").path("total").asLong()).isEqualTo(7);
        assertThat(queue.path("waiting").path("limit").asInt()).isEqualTo(3);
        assertThat(ids(queue.path("waiting").path("items"), "conversaId")).containsExactlyElementsOf(
                waiting.subList(0, 3));
        assertThat(queue.path("atendentes").path("items")).hasSize(500);
        assertThat(queue.path("atendentes").path("truncated").asBoolean()).isTrue();
        assertThat(queue.path("atendentes").path("limit").asInt()).isEqualTo(500);
        assertThat(queue.path("atendentes").path("items").get(0).path("userId").asString()).isEqualTo("Zé");
        assertThat(queue.path("atendentes").path("items").get(1).path("userId").asString()).isEqualTo("u-0001");
        assertThat(queue.path("atendentes").path("items").get(499).path("userId").asString()).isEqualTo("u-0499");
        assertThat(json(get(supervisor(empresa), "?limit=200"), 200).path("waiting").path("items")).hasSize(7);
    }

    @Test
    void shouldShowAnEmptyQueueToAnEmpresaWithNothingYet() throws Exception {
        JsonNode queue = json(get(AgentTokens.mint(AgentTokens.DEV_SECRET, "dona", "emp-queue-4", List.of("admin"),
                Instant.now().plus(Duration.ofHours(1))), ""), 200);

        assertThat(queue.path("waiting").path("total").asLong()).isZero();
        assertThat(queue.path("waiting").path("items")).isEmpty();
        assertThat(queue.path("atendentes").path("items")).isEmpty();
        assertThat(queue.path("presenceVersion").asLong()).isZero();
        assertThat(queue.path("assignment").path("defaultCapacity").asInt()).isEqualTo(5);
    }

    @Test
    void shouldAnswerOnlySupervisorsAndAdminsOfTheirOwnEmpresa() throws Exception {
        String empresa = "emp-queue-5";
        UUID own = conversa(empresa, "aguardando", null, "Meu", 0, 0);
        conversa("emp-queue-6", "aguardando", null, "Alheio", -10, -10);

        assertThat(get(AgentTokens.atendente("ana", empresa), "").statusCode()).isEqualTo(403);
        assertThat(json(get(AgentTokens.atendente("ana", empresa), ""), 403).path("error").asString())
                .isEqualTo("forbidden");
        assertThat(get(null, "").statusCode()).isEqualTo(401);
        assertThat(get("not-a-token", "").statusCode()).isEqualTo(401);
        assertThat(get(AgentTokens.mint("another-secret-of-at-least-32-bytes-0123456789", "chefe", empresa,
                List.of("supervisor"), Instant.now().plusSeconds(3600)), "").statusCode()).isEqualTo(401);
        assertThat(get(AgentTokens.mint(AgentTokens.DEV_SECRET, "chefe", empresa, List.of("supervisor"),
                Instant.now().minusSeconds(60)), "").statusCode()).isEqualTo(401);
        // a parameter naming another empresa is ignored: the token's empresa is the one answered
        JsonNode queue = json(get(supervisor(empresa), "?empresaId=emp-queue-6&empresa=emp-queue-6"), 200);
        assertThat(queue.path("empresaId").asString()).isEqualTo(empresa);
        assertThat(ids(queue.path("waiting").path("items"), "conversaId")).containsExactly(own.toString());
    }

    @Test
    void shouldRefuseEveryMalformedLimitWithAReasonAndServeTheNextRequest() throws Exception {
        String empresa = "emp-queue-7";
        conversa(empresa, "aguardando", null, "Cliente", 0, 0);
        String token = supervisor(empresa);
        List<String> queries = List.of("?limit=0", "?limit=-1", "?limit=201", "?limit=abc", "?limit=1.5",
                "?limit=99999999999", "?limit=%00", "?limit=1e3", "?limit=%E2%82%AC",
                "?limit=" + "9".repeat(4_000));

        for (String query : queries) {
            HttpResponse<String> response = get(token, query);
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            JsonNode error = Json.MAPPER.readTree(response.body());
            assertThat(error.path("error").asString()).as(query).isEqualTo("bad_parameter");
            assertThat(error.path("reason").asString()).as(query).contains("limit").doesNotContain("\u0000");
        }
        // an empty or blank limit is no limit; unknown parameters are ignored
        assertThat(json(get(token, "?limit="), 200).path("waiting").path("limit").asInt()).isEqualTo(50);
        assertThat(json(get(token, "?limit=%20"), 200).path("waiting").path("limit").asInt()).isEqualTo(50);
        assertThat(json(get(token, "?unknown=%00&cursor=x"), 200).path("waiting").path("total").asLong())
                .isEqualTo(1);
        assertThat(json(get(supervisor("emp-queue-8"), "?limit=1"), 200).path("waiting").path("total").asLong())
                .isZero();
    }

    private static void assertAtendente(JsonNode atendente, String name, boolean online, String status, int open,
                                        int capacity, boolean available) {
        String who = atendente.path("userId").asString();
        if (name == null) {
            assertThat(atendente.path("name").isNull()).as(who).isTrue();
        } else {
            assertThat(atendente.path("name").asString()).as(who).isEqualTo(name);
        }
        assertThat(atendente.path("online").asBoolean()).as(who).isEqualTo(online);
        if (status == null) {
            assertThat(atendente.path("status").isNull()).as(who).isTrue();
        } else {
            assertThat(atendente.path("status").asString()).as(who).isEqualTo(status);
        }
        assertThat(atendente.path("open").asInt()).as(who).isEqualTo(open);
        assertThat(atendente.path("capacity").asInt()).as(who).isEqualTo(capacity);
        assertThat(atendente.path("available").asBoolean()).as(who).isEqualTo(available);
    }

    private static List<String> ids(JsonNode items, String field) {
        List<String> ids = new ArrayList<>();
        items.forEach(item -> ids.add(item.path(field).asString()));
        return ids;
    }

    private static String supervisor(String empresaId) {
        return AgentTokens.mint(AgentTokens.DEV_SECRET, "chefe", empresaId, List.of("supervisor"),
                Instant.now().plus(Duration.ofHours(1)));
    }

    private static HttpResponse<String> get(String token, String query) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + TestGateway.port(gateway) + "/api/v1/empresa/queue" + query));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return Json.MAPPER.readTree(response.body());
    }

    /** A conversa as the sink writes it, created and last changed the given seconds after {@link #BASE}. */
    private static UUID conversa(String empresaId, String status, String atendente, String contactName,
                                 int createdAt, int updatedAt) {
        UUID id = UUID.randomUUID();
        database.execute("INSERT INTO conversa (id, empresa_id, instance, remote_jid, contact_name, status,"
                + " atendente_id, version, created_at, updated_at) VALUES (?, ?, 'loja-01',"
                + " '5511999990000@s.whatsapp.net', ?, ?, ?, 1, ?, ?)", id, empresaId, contactName, status,
                atendente, at(createdAt), at(updatedAt));
        return id;
    }

    /** An audit row as the sink writes one for a change of status or atendente. */
    private static void audit(UUID conversaId, String empresaId, String from, String to, String fromStatus,
                              String status, long version, int changedAt) {
        database.execute("INSERT INTO conversa_assignment_audit (conversa_id, empresa_id, from_atendente_id,"
                + " to_atendente_id, from_status, status, version, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                conversaId, empresaId, from, to, fromStatus, status, version, at(changedAt));
    }

    private static OffsetDateTime at(int seconds) {
        return OffsetDateTime.ofInstant(BASE.plusSeconds(seconds), ZoneOffset.UTC);
    }

    private static void writeSettings(String empresaId, String body) throws Exception {
        String admin = AgentTokens.mint(AgentTokens.DEV_SECRET, "dona", empresaId, List.of("admin"),
                Instant.now().plus(Duration.ofHours(1)));
        HttpResponse<String> written = http.send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + TestGateway.port(gateway) + "/api/v1/empresa/settings"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(written.statusCode()).as(written.body()).isEqualTo(200);
    }

    /** A snapshot as the presence topology writes it, committed before the call returns. */
    private static void writePresence(String empresaId, long version, OnlineUser... online) {
        presence.beginTransaction();
        presence.send(new ProducerRecord<>(Topics.PRESENCE.name(), empresaId,
                new PresenceSnapshot(empresaId, List.of(online), online.length, version, BASE)));
        presence.commitTransaction();
    }
}

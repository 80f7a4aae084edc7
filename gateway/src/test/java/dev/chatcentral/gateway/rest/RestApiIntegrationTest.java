package dev.chatcentral.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.service.security.DevelopmentSecrets;
import dev.chatcentral.testing.ManagementPortCheck;
import dev.chatcentral.gateway.GatewayApplication;
import dev.chatcentral.schemas.command.AgentCommand;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.testing.AgentTokens;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/**
 * The REST read side against a real PostgreSQL holding conversas and mensagens of two empresas, seeded with SQL as
 * the stream-processor's sink would write them, and a real broker for the rest of the gateway.
 */
class RestApiIntegrationTest {

    private static final String EMPRESA_A = "emp-a";
    private static final String EMPRESA_B = "emp-b";
    private static final List<String> STATUSES = List.of("aguardando", "em_atendimento", "encerrada");
    private static final List<String> ATENDENTES = List.of("ana", "bia");
    /** Microseconds, as PostgreSQL keeps them, so that cursors must carry the full precision. */
    private static final Instant BASE = Instant.parse("2025-10-21T12:00:00.123456Z");

    private static TestKafka kafka;
    private static TestDatabase database;
    private static ConfigurableApplicationContext gateway;
    private static String api;
    private static final HttpClient http = HttpClient.newHttpClient();
    /** Empresa A's conversas in the order the API must list them: newest last mensagem first, NULLs first, id desc. */
    private static final List<Row> conversasA = new ArrayList<>();
    private static final List<Row> conversasB = new ArrayList<>();
    private static UUID chattyConversa;
    /** The chatty conversa's mensagens, oldest first. */
    private static final List<Row> mensagens = new ArrayList<>();

    private record Row(UUID id, String status, String atendente, Instant at) {
    }

    @BeforeAll
    static void start() throws SQLException {
        kafka = TestKafka.start();
        database = TestDatabase.create();
        gateway = GatewayApplication.application().run(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.user(),
                "--chatcentral.gateway.rest.max-limit=100",
                "--chatcentral.gateway.rest.query-timeout=1s");
        api = "http://127.0.0.1:" + ((WebServerApplicationContext) gateway).getWebServer().getPort();
        seed();
    }

    @AfterAll
    static void stop() {
        gateway.close();
        database.close();
        kafka.close();
    }

    /**
     * Empresa A: 31 conversas over every status, two atendentes and unassigned ones, whose last mensagem times come
     * in groups of three equal ones (WhatsApp times are whole seconds, so ties are the norm), plus one without any
     * mensagem. One of them holds 101 mensagens, again with ties. Empresa B: 5 conversas, one with mensagens.
     */
    private static void seed() throws SQLException {
        try (Connection c = database.connect()) {
            for (int i = 0; i < 30; i++) {
                conversasA.add(insertConversa(c, EMPRESA_A, STATUSES.get(i % 3),
                        i % 5 == 4 ? null : ATENDENTES.get(i % 2), BASE.plusSeconds(i / 3)));
            }
            conversasA.add(insertConversa(c, EMPRESA_A, "aguardando", null, null));
            chattyConversa = conversasA.get(7).id();
            for (int i = 0; i < 101; i++) {
                mensagens.add(insertMensagem(c, EMPRESA_A, chattyConversa, "a-" + i, BASE.plusSeconds(i / 4)));
            }
            for (int i = 0; i < 5; i++) {
                conversasB.add(insertConversa(c, EMPRESA_B, STATUSES.get(i % 3), "ana", BASE.plusSeconds(100 + i)));
            }
            for (int i = 0; i < 10; i++) {
                insertMensagem(c, EMPRESA_B, conversasB.get(0).id(), "b-" + i, BASE.plusSeconds(i));
            }
        }
        // PostgreSQL orders uuids as unsigned bytes, which is the order of their text; UUID.compareTo is signed.
        Comparator<Row> byId = Comparator.comparing(r -> r.id().toString());
        Comparator<Row> newestFirst = Comparator
                .comparing(Row::at, Comparator.nullsFirst(Comparator.<Instant>reverseOrder()))
                .thenComparing(byId.reversed());
        conversasA.sort(newestFirst);
        conversasB.sort(newestFirst);
        mensagens.sort(Comparator.comparing(Row::at).thenComparing(byId));
    }

    @Test
    void shouldListOnlyConversasOfTheTokensEmpresaNewestFirst() {
        JsonNode ofA = getOk("/api/v1/conversas?limit=100", AgentTokens.atendente("ana", EMPRESA_A));
        JsonNode ofB = getOk("/api/v1/conversas?limit=100", AgentTokens.atendente("ana", EMPRESA_B));

        // an atendente sees every conversa of its empresa, not only its own: the console shows the queue
        assertThat(conversaIds(ofA.path("items"))).containsExactlyElementsOf(ids(conversasA));
        assertThat(conversaIds(ofB.path("items"))).containsExactlyElementsOf(ids(conversasB));
        assertThat(ofA.path("nextCursor").isNull()).isTrue();
    }

    @Test
    void shouldIgnoreEmpresaGivenAsParameter() {
        JsonNode page = getOk("/api/v1/conversas?limit=100&empresaId=" + EMPRESA_A + "&empresa=" + EMPRESA_A,
                AgentTokens.atendente("ana", EMPRESA_B));

        assertThat(conversaIds(page.path("items"))).containsExactlyElementsOf(ids(conversasB));
    }

    @Test
    void shouldAnswerAnotherEmpresasConversaIdLikeAMissingOneWith404() {
        String tokenB = AgentTokens.atendente("ana", EMPRESA_B);
        UUID ofA = chattyConversa;

        HttpResponse<String> one = get("/api/v1/conversas/" + ofA, tokenB);
        HttpResponse<String> itsMensagens = get("/api/v1/conversas/" + ofA + "/mensagens", tokenB);
        HttpResponse<String> missing = get("/api/v1/conversas/" + UUID.randomUUID(), tokenB);

        assertThat(one.statusCode()).isEqualTo(404);
        assertThat(itsMensagens.statusCode()).isEqualTo(404);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(one).path("error").asString()).isEqualTo("not_found");
        assertThat(one.body()).isEqualTo(missing.body()).isEqualTo(itsMensagens.body()).doesNotContain(ofA.toString());
    }

    @Test
    void shouldReturnOneConversaOfOwnEmpresa() {
        Row row = conversasA.stream().filter(r -> r.id().equals(chattyConversa)).findFirst().orElseThrow();

        JsonNode conversa = getOk("/api/v1/conversas/" + chattyConversa, AgentTokens.atendente("ana", EMPRESA_A));

        assertThat(conversa.path("conversaId").asString()).isEqualTo(chattyConversa.toString());
        assertThat(conversa.path("empresaId").asString()).isEqualTo(EMPRESA_A);
        assertThat(conversa.path("status").asString()).isEqualTo(row.status());
        assertThat(conversa.path("lastMensagemAt").asString()).isEqualTo(row.at().toString());
        assertThat(conversa.path("remoteJid").asString()).isEqualTo("5511999990000@s.whatsapp.net");
    }

    @Test
    void shouldPageConversasWithoutDuplicatesOrGapsAcrossTiesAndNulls() {
        String token = AgentTokens.atendente("ana", EMPRESA_A);

        // 31 conversas: pages of 4 cut through groups of equal times and after the undated one
        assertThat(conversaIds(pageAllConversas("/api/v1/conversas?limit=4", token)))
                .containsExactlyElementsOf(ids(conversasA));
        assertThat(conversaIds(pageAllConversas("/api/v1/conversas?limit=1", token)))
                .containsExactlyElementsOf(ids(conversasA));
    }

    @Test
    void shouldEndWithoutCursorWhenLastPageIsExactlyFull() {
        String token = AgentTokens.atendente("ana", EMPRESA_A);

        JsonNode full = getOk("/api/v1/conversas?limit=" + conversasA.size(), token);
        JsonNode oneShort = getOk("/api/v1/conversas?limit=" + (conversasA.size() - 1), token);
        JsonNode rest = getOk("/api/v1/conversas?limit=5&cursor=" + oneShort.path("nextCursor").asString(), token);

        assertThat(full.path("items")).hasSize(conversasA.size());
        assertThat(full.path("nextCursor").isNull()).isTrue();
        assertThat(conversaIds(rest.path("items")))
                .containsExactly(conversasA.get(conversasA.size() - 1).id().toString());
        assertThat(rest.path("nextCursor").isNull()).isTrue();
    }

    @Test
    void shouldFilterConversasByStatusAndAtendenteOnEveryPage() {
        String token = AgentTokens.mint(AgentTokens.DEV_SECRET, "chefe", EMPRESA_A, List.of("supervisor"),
                Instant.now().plusSeconds(600));

        for (String status : STATUSES) {
            assertThat(conversaIds(pageAllConversas("/api/v1/conversas?limit=3&status=" + status, token)))
                    .containsExactlyElementsOf(ids(conversasA.stream()
                            .filter(r -> r.status().equals(status)).toList()));
        }
        assertThat(conversaIds(pageAllConversas("/api/v1/conversas?limit=3&atendente=bia", token)))
                .containsExactlyElementsOf(ids(conversasA.stream().filter(r -> "bia".equals(r.atendente())).toList()));
        assertThat(conversaIds(pageAllConversas("/api/v1/conversas?limit=2&status=em_atendimento&atendente=ana",
                token)))
                .containsExactlyElementsOf(ids(conversasA.stream()
                        .filter(r -> "ana".equals(r.atendente()) && r.status().equals("em_atendimento")).toList()))
                .isNotEmpty();
        assertThat(getOk("/api/v1/conversas?atendente=nobody", token).path("items")).isEmpty();
    }

    @Test
    void shouldPageMensagensBackFromNewestWithoutDuplicatesOrGaps() {
        String token = AgentTokens.atendente("bia", EMPRESA_A);
        String path = "/api/v1/conversas/" + chattyConversa + "/mensagens?limit=7";

        List<String> seen = new ArrayList<>();
        JsonNode page = getOk(path, token);
        seen.addAll(0, mensagemIds(page.path("items")));
        assertThat(seen).containsExactlyElementsOf(ids(mensagens.subList(mensagens.size() - 7, mensagens.size())));
        while (page.path("hasMore").asBoolean()) {
            page = getOk(path + "&before=" + page.path("before").asString(), token);
            seen.addAll(0, mensagemIds(page.path("items")));
        }

        assertThat(seen).containsExactlyElementsOf(ids(mensagens));
        assertThat(page.path("items")).hasSize(101 % 7);
    }

    /** A reply that failed for an open circuit, then a customer's mensagem edited, reacted to and deleted. */
    @Test
    void shouldReturnTheRevisionReasonEditDeletionAndReactionsOfEachMensagem() throws SQLException {
        UUID conversa = conversasA.stream().map(Row::id).filter(id -> !id.equals(chattyConversa)).findFirst()
                .orElseThrow();
        UUID failed = UUID.randomUUID();
        UUID edited = UUID.randomUUID();
        try (Connection c = database.connect(); PreparedStatement p = c.prepareStatement("INSERT INTO mensagem (id,"
                + " conversa_id, empresa_id, instance, key_id, from_me, sender_jid, message_type, text, status,"
                + " status_rank, sent_at, received_at, revision, status_reason, status_detail, retry_at,"
                + " original_text, edited_at, deleted_at, reactions) VALUES (?, ?, 'emp-a', 'loja-01', ?, ?,"
                + " '5511999990000@s.whatsapp.net', 'conversation', ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)")) {
            insert(p, failed, conversa, "pending:" + failed, true, "Sim!", "ERROR", 1, "instance_unavailable",
                    "the number is unavailable", BASE.plusSeconds(90), null, null, null, "[]");
            insert(p, edited, conversa, "3EB0EDITED", false, "Amanhã", "DELIVERY_ACK", 4, null, null, null, "Hoje",
                    BASE.plusSeconds(10), BASE.plusSeconds(30), "[{\"reactorJid\":\"me\",\"fromMe\":true,"
                    + "\"emoji\":\"\uD83D\uDC4D\",\"reactedAt\":\"2025-10-21T12:00:20Z\"}]");
        }

        JsonNode items = getOk("/api/v1/conversas/" + conversa + "/mensagens",
                AgentTokens.atendente("ana", EMPRESA_A)).path("items");

        assertThat(mensagemIds(items)).containsExactly(failed.toString(), edited.toString());
        JsonNode error = items.get(0);
        assertThat(error.path("status").asString()).isEqualTo("ERROR");
        assertThat(error.path("revision").asLong()).isEqualTo(1);
        assertThat(error.path("statusReason").asString()).isEqualTo("instance_unavailable");
        assertThat(error.path("statusDetail").asString()).isEqualTo("the number is unavailable");
        assertThat(Instant.parse(error.path("retryAt").asString())).isEqualTo(BASE.plusSeconds(90));
        assertThat(error.has("originalText") || error.has("editedAt") || error.has("deletedAt")
                || error.has("reactions")).isFalse();
        JsonNode changed = items.get(1);
        assertThat(changed.path("revision").asLong()).isEqualTo(4);
        assertThat(changed.path("text").asString()).isEqualTo("Amanhã");
        assertThat(changed.path("originalText").asString()).isEqualTo("Hoje");
        assertThat(Instant.parse(changed.path("editedAt").asString())).isEqualTo(BASE.plusSeconds(10));
        assertThat(Instant.parse(changed.path("deletedAt").asString())).isEqualTo(BASE.plusSeconds(30));
        assertThat(changed.has("statusReason") || changed.has("retryAt")).isFalse();
        assertThat(changed.path("reactions")).hasSize(1);
        assertThat(changed.path("reactions").get(0).path("emoji").asString()).isEqualTo("\uD83D\uDC4D");
        assertThat(changed.path("reactions").get(0).path("fromMe").asBoolean()).isTrue();
        assertThat(changed.path("reactions").get(0).path("reactedAt").asString())
                .isEqualTo("2025-10-21T12:00:20Z");
    }

    private static void insert(PreparedStatement p, UUID id, UUID conversa, String keyId, boolean fromMe, String text,
                               String status, long revision, String reason, String detail, Instant retryAt,
                               String originalText, Instant editedAt, Instant deletedAt, String reactions)
            throws SQLException {
        p.setObject(1, id);
        p.setObject(2, conversa);
        p.setString(3, keyId);
        p.setBoolean(4, fromMe);
        p.setString(5, text);
        p.setString(6, status);
        p.setTimestamp(7, Timestamp.from(BASE.plusSeconds(revision)));
        p.setTimestamp(8, Timestamp.from(BASE.plusSeconds(revision)));
        p.setLong(9, revision);
        p.setString(10, reason);
        p.setString(11, detail);
        p.setTimestamp(12, retryAt == null ? null : Timestamp.from(retryAt));
        p.setString(13, originalText);
        p.setTimestamp(14, editedAt == null ? null : Timestamp.from(editedAt));
        p.setTimestamp(15, deletedAt == null ? null : Timestamp.from(deletedAt));
        p.setString(16, reactions);
        p.executeUpdate();
    }

    @Test
    void shouldPageMensagensForwardFromTimestampWithoutDuplicatesOrGaps() {
        String token = AgentTokens.atendente("bia", EMPRESA_A);
        String path = "/api/v1/conversas/" + chattyConversa + "/mensagens?limit=8";

        List<String> seen = new ArrayList<>();
        JsonNode page = getOk(path + "&after=" + BASE.minusSeconds(1), token);
        seen.addAll(mensagemIds(page.path("items")));
        while (page.path("hasMore").asBoolean()) {
            page = getOk(path + "&after=" + page.path("after").asString(), token);
            seen.addAll(mensagemIds(page.path("items")));
        }
        JsonNode beyondNewest = getOk(path + "&after=" + page.path("after").asString(), token);

        assertThat(seen).containsExactlyElementsOf(ids(mensagens));
        assertThat(beyondNewest.path("items")).isEmpty();
        assertThat(beyondNewest.path("hasMore").asBoolean()).isFalse();
        assertThat(beyondNewest.path("after").isNull()).isTrue();
    }

    @Test
    void shouldBoundMensagensByBareTimestampExclusively() {
        String token = AgentTokens.atendente("bia", EMPRESA_A);
        Instant bound = BASE.plusSeconds(10);
        String path = "/api/v1/conversas/" + chattyConversa + "/mensagens?limit=100&";

        JsonNode before = getOk(path + "before=" + encode(bound.toString()), token);
        JsonNode after = getOk(path + "after=" + encode("2025-10-21T09:00:10.123456-03:00"), token);

        assertThat(mensagemIds(before.path("items")))
                .containsExactlyElementsOf(ids(mensagens.stream().filter(m -> m.at().isBefore(bound)).toList()));
        assertThat(mensagemIds(after.path("items")))
                .containsExactlyElementsOf(ids(mensagens.stream().filter(m -> m.at().isAfter(bound)).toList()));
        JsonNode first = before.path("items").get(0);
        assertThat(first.path("conversaId").asString()).isEqualTo(chattyConversa.toString());
        assertThat(first.path("status").asString()).isEqualTo("DELIVERY_ACK");
        assertThat(first.path("sentAt").asString()).isEqualTo(BASE.toString());
    }

    @Test
    void shouldAnswer400WithReasonWhenParameterIsBad() {
        String token = AgentTokens.atendente("ana", EMPRESA_A);
        String mensagensPath = "/api/v1/conversas/" + chattyConversa + "/mensagens";

        assertBadParameter(get("/api/v1/conversas?status=open", token), "status must be one of aguardando");
        assertBadParameter(get("/api/v1/conversas?status=", token), "status must be one of");
        assertBadParameter(get("/api/v1/conversas?atendente=%20", token), "atendente must not be blank");
        assertBadParameter(get("/api/v1/conversas?limit=0", token), "limit must be between 1 and 100");
        assertBadParameter(get("/api/v1/conversas?limit=101", token), "limit must be between 1 and 100");
        assertBadParameter(get("/api/v1/conversas?limit=ten", token), "limit must be an integer");
        assertBadParameter(get("/api/v1/conversas?cursor=bm90LWEtY3Vyc29y", token), "cursor is not a cursor");
        assertBadParameter(get("/api/v1/conversas?cursor=%25%25", token), "cursor is not a cursor");
        assertBadParameter(get("/api/v1/conversas/not-a-uuid", token), "conversaId must be a UUID");
        assertBadParameter(get("/api/v1/conversas/not-a-uuid/mensagens", token), "conversaId must be a UUID");
        assertBadParameter(get(mensagensPath + "?limit=-1", token), "limit must be between 1 and 100");
        assertBadParameter(get(mensagensPath + "?before=2025-10-21T12:00:00Z&after=2025-10-21T11:00:00Z", token),
                "give before or after, not both");
        assertBadParameter(get(mensagensPath + "?before=2025-13-45T99:00:00Z", token), "before must be an ISO-8601");
        assertBadParameter(get(mensagensPath + "?after=garbage", token), "after is not a cursor");
        String undatedConversaCursor = getOk("/api/v1/conversas?limit=1", token).path("nextCursor").asString();
        assertBadParameter(get(mensagensPath + "?after=" + undatedConversaCursor, token),
                "after is not a cursor of a mensagem");
    }

    @Test
    void shouldAnswer401WithReasonWhenTokenIsMissingOrInvalid() {
        String forged = AgentTokens.mint("someone-elses-secret-0123456789abcdef", "ana", EMPRESA_A,
                List.of("admin"), Instant.now().plusSeconds(600));
        String expired = AgentTokens.mint(AgentTokens.DEV_SECRET, "ana", EMPRESA_A, List.of("atendente"),
                Instant.now().minusSeconds(60));

        assertUnauthorized(send("/api/v1/conversas", null), "missing token");
        assertUnauthorized(send("/api/v1/conversas", "Basic YW5hOnNlbmhh"), "missing token");
        assertUnauthorized(send("/api/v1/conversas", "Bearer "), "missing token");
        assertUnauthorized(send("/api/v1/conversas", "Bearer not.a.jwt"), "not a signed JWT");
        assertUnauthorized(send("/api/v1/conversas/" + chattyConversa, "Bearer " + forged), "signature is invalid");
        assertUnauthorized(send("/api/v1/conversas/" + chattyConversa + "/mensagens", "Bearer " + expired),
                "expired");
        // authentication comes before parameter checks, so a stranger learns nothing from them
        assertUnauthorized(send("/api/v1/conversas/not-a-uuid?limit=0", null), "missing token");
    }

    @Test
    void shouldAnswer503WhenQueryTimesOutAndServeAgainAfterwards() throws SQLException {
        String token = AgentTokens.atendente("ana", EMPRESA_A);
        HttpResponse<String> blocked;
        // A lock the test holds makes PostgreSQL stall the read, without stopping the shared server.
        try (Connection c = database.connect()) {
            c.setAutoCommit(false);
            c.createStatement().execute("LOCK TABLE conversa IN ACCESS EXCLUSIVE MODE");
            blocked = get("/api/v1/conversas", token);
            c.rollback();
        }

        assertThat(blocked.statusCode()).isEqualTo(503);
        assertThat(json(blocked).path("error").asString()).isEqualTo("unavailable");
        assertThat(getOk("/api/v1/conversas?limit=100", token).path("items")).hasSize(conversasA.size());
    }

    @Test
    void shouldLetBrowserOfAllowedOriginSendTokenAndReadTheAnswer() throws Exception {
        HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/conversas"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://console.example")
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization").build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/conversas"))
                .header("Origin", "https://console.example").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://console.example");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("")).containsIgnoringCase(
                "authorization");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://console.example");
    }

    @Test
    void shouldServeOpenApiDescriptionWithBearerSchemeAndNoToken() {
        HttpResponse<String> json = send("/api/v1/openapi", null);
        HttpResponse<String> yaml = send("/api/v1/openapi.yaml", null);

        assertThat(json.statusCode()).isEqualTo(200);
        JsonNode description = json(json);
        assertThat(description.path("components").path("securitySchemes").path("bearer").path("scheme").asString())
                .isEqualTo("bearer");
        assertThat(description.path("security").get(0).has("bearer")).isTrue();
        assertThat(description.path("paths").propertyNames())
                .containsExactlyInAnyOrder("/api/v1/conversas", "/api/v1/conversas/{conversaId}",
                        "/api/v1/conversas/{conversaId}/mensagens", "/api/v1/presence", "/api/v1/atendentes",
                        "/api/v1/commands", "/api/v1/metrics/queue", "/api/v1/metrics/service",
                        "/api/v1/dlq/redrive", "/api/v1/empresa/settings", "/api/v1/empresa/queue");
        assertThat(description.path("paths").path("/api/v1/conversas").path("get").path("responses").has("401"))
                .isTrue();
        JsonNode command = description.path("paths").path("/api/v1/commands").path("post");
        assertThat(command.path("responses").propertyNames())
                .contains("202", "400", "401", "404", "413", "503");
        // the body is the only input: no query or header parameter shows up for the stream it is read from
        assertThat(command.path("parameters")).isEmpty();
        assertThat(command.path("requestBody").path("content").path("application/json").path("schema")
                .path("$ref").asString()).endsWith("/Command");
        assertThat(description.path("components").path("schemas").path("Command").path("properties").propertyNames())
                .containsExactlyInAnyOrder("commandId", "command", "conversaId", "targetAtendenteId", "text",
                        "quotedMensagemId", "mensagemId", "emoji");
        assertThat(description.path("components").path("schemas").path("Command").path("properties")
                .path("command").path("enum")).extracting(JsonNode::asString).containsExactlyElementsOf(
                        AgentCommand.TYPES);
        assertThat(yaml.statusCode()).isEqualTo(200);
        assertThat(yaml.body()).contains("openapi: 3.").contains("/api/v1/conversas/{conversaId}/mensagens:");
    }

    private static List<JsonNode> pageAllConversas(String path, String token) {
        List<JsonNode> all = new ArrayList<>();
        JsonNode page = getOk(path, token);
        page.path("items").forEach(all::add);
        while (!page.path("nextCursor").isNull()) {
            assertThat(page.path("items")).isNotEmpty();
            page = getOk(path + "&cursor=" + page.path("nextCursor").asString(), token);
            page.path("items").forEach(all::add);
        }
        return all;
    }

    private static void assertBadParameter(HttpResponse<String> response, String reason) {
        assertThat(response.statusCode()).as(response.uri().toString()).isEqualTo(400);
        assertThat(json(response).path("error").asString()).isEqualTo("bad_parameter");
        assertThat(json(response).path("reason").asString()).as(response.uri().toString()).contains(reason);
    }

    private static void assertUnauthorized(HttpResponse<String> response, String reason) {
        assertThat(response.statusCode()).as(response.uri().toString()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");
        assertThat(json(response).path("error").asString()).isEqualTo("unauthorized");
        assertThat(json(response).path("reason").asString()).contains(reason);
    }

    private static JsonNode getOk(String path, String token) {
        HttpResponse<String> response = get(path, token);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return json(response);
    }

    private static HttpResponse<String> get(String path, String token) {
        return send(path, "Bearer " + token);
    }

    private static HttpResponse<String> send(String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("GET " + path + " failed", e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Json.MAPPER.readTree(response.body());
    }

    private static List<String> ids(List<Row> rows) {
        return rows.stream().map(r -> r.id().toString()).toList();
    }

    private static List<String> conversaIds(Iterable<JsonNode> items) {
        return fields(items, "conversaId");
    }

    private static List<String> mensagemIds(Iterable<JsonNode> items) {
        return fields(items, "mensagemId");
    }

    private static List<String> fields(Iterable<JsonNode> items, String field) {
        List<String> values = new ArrayList<>();
        items.forEach(item -> values.add(item.path(field).asString()));
        return values;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Row insertConversa(Connection c, String empresaId, String status, String atendente, Instant at)
            throws SQLException {
        UUID id = UUID.randomUUID();
        try (PreparedStatement p = c.prepareStatement("INSERT INTO conversa (id, empresa_id, instance, remote_jid,"
                + " contact_name, status, atendente_id, unread_count, last_mensagem_preview, last_mensagem_at, version,"
                + " created_at, updated_at) VALUES (?, ?, 'loja-01', '5511999990000@s.whatsapp.net', 'Cliente', ?, ?,"
                + " 1, 'oi', ?, 1, ?, ?)")) {
            p.setObject(1, id);
            p.setString(2, empresaId);
            p.setString(3, status);
            p.setString(4, atendente);
            p.setTimestamp(5, at == null ? null : Timestamp.from(at));
            p.setTimestamp(6, Timestamp.from(BASE));
            p.setTimestamp(7, Timestamp.from(BASE));
            p.executeUpdate();
        }
        return new Row(id, status, atendente, at);
    }

    private static Row insertMensagem(Connection c, String empresaId, UUID conversaId, String keyId, Instant sentAt)
            throws SQLException {
        UUID id = UUID.randomUUID();
        try (PreparedStatement p = c.prepareStatement("INSERT INTO mensagem (id, conversa_id, empresa_id, instance,"
                + " key_id, from_me, sender_jid, message_type, text, status, status_rank, sent_at, received_at)"
                + " VALUES (?, ?, ?, 'loja-01', ?, false, '5511999990000@s.whatsapp.net', 'conversation', ?,"
                + " 'DELIVERY_ACK', 2, ?, ?)")) {
            p.setObject(1, id);
            p.setObject(2, conversaId);
            p.setString(3, empresaId);
            p.setString(4, keyId);
            p.setString(5, "mensagem " + keyId);
            p.setTimestamp(6, Timestamp.from(sentAt));
            p.setTimestamp(7, Timestamp.from(sentAt));
            p.executeUpdate();
        }
        return new Row(id, null, null, sentAt);
    }

    @Test
    void shouldServeHealthAndMetricsOnlyOnTheManagementPortBehindItsToken() {
        ManagementPortCheck.assertGuarded(gateway.getEnvironment(), DevelopmentSecrets.ADMIN_API_TOKEN);
    }
}

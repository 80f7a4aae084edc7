package dev.chatcentral.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.gateway.testing.TestGateway;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.testing.AgentTokens;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;
import dev.chatcentral.testing.TopicContracts;

/**
 * The settings API on two gateway nodes over the real broker and PostgreSQL: a change an admin makes on one node is
 * on the compacted topic, by contract, and read back by the other; versions grow by one and a change made to an old
 * version is refused, also when two nodes take one at once; bad bodies are refused with a reason and change nothing.
 */
class SettingsApiIntegrationTest {

    private static final HttpClient http = HttpClient.newHttpClient();
    private static final String LEAST_LOADED = "{\"version\":%d,\"assignment\":{\"mode\":\"least_loaded\","
            + "\"defaultCapacity\":3,\"capacities\":{\"u-42\":8,\"u-7\":0},\"offlineGraceSeconds\":60}}";

    private static TestKafka kafka;
    private static TestDatabase database;
    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        database = TestDatabase.create();
        first = TestGateway.start(kafka, database);
        second = TestGateway.start(kafka, database);
    }

    @AfterAll
    static void stop() {
        second.close();
        first.close();
        database.close();
        kafka.close();
    }

    private static String token(String userId, String empresaId, String role) {
        return AgentTokens.mint(AgentTokens.DEV_SECRET, userId, empresaId, List.of(role),
                Instant.now().plus(Duration.ofHours(1)));
    }

    private static HttpRequest.Builder request(ConfigurableApplicationContext node, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + TestGateway.port(node) + "/api/v1/empresa/settings"));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    private static HttpResponse<String> get(ConfigurableApplicationContext node, String token) throws Exception {
        return http.send(request(node, token).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> put(ConfigurableApplicationContext node, String token, String body)
            throws Exception {
        return http.send(request(node, token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return Json.MAPPER.readTree(response.body());
    }

    @Test
    void shouldServeTheDefaultsUntilAnAdminChangesThemAndEveryNodeReadsTheChangeBack() throws Exception {
        String empresa = "emp-settings-1";
        JsonNode defaults = json(get(first, token("chefe", empresa, "supervisor")), 200);
        assertThat(defaults.path("version").asLong()).isZero();
        assertThat(defaults.path("assignment").path("mode").asString()).isEqualTo("off");
        assertThat(defaults.path("updatedAt").isNull()).isTrue();
        assertThat(defaults.path("sla").path("firstResponseSeconds").asInt()).isZero();
        assertThat(defaults.path("calendar").isNull()).isTrue();

        JsonNode written = json(put(first, token("dona", empresa, "admin"), LEAST_LOADED.formatted(0)), 200);

        assertThat(written.path("version").asLong()).isEqualTo(1);
        assertThat(written.path("updatedBy").asString()).isEqualTo("dona");
        JsonNode readBack = json(get(second, token("chefe", empresa, "supervisor")), 200);
        assertThat(readBack).isEqualTo(written);
        assertThat(readBack.path("assignment").path("capacities").path("u-42").asInt()).isEqualTo(8);
        assertThat(readBack.path("assignment").path("defaultCapacity").asInt()).isEqualTo(3);

        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : kafka.readCommitted(Topics.EMPRESA_SETTINGS.name())) {
            if (empresa.equals(record.key())) {
                records.add(record);
            }
        }
        assertThat(records).hasSize(1);
        assertThat(TopicContracts.valueViolations(Topics.EMPRESA_SETTINGS.name(), records.get(0).value(),
                records.get(0).headers())).isEmpty();

        // the next change is made to version 1, on either node
        JsonNode next = json(put(second, token("dona", empresa, "admin"),
                "{\"version\":1,\"assignment\":{\"mode\":\"round_robin\"}}"), 200);
        assertThat(next.path("version").asLong()).isEqualTo(2);
        assertThat(next.path("assignment").path("defaultCapacity").asInt()).isEqualTo(5);
        assertThat(json(get(first, token("dona", empresa, "admin")), 200).path("version").asLong()).isEqualTo(2);
    }

    @Test
    void shouldRefuseAChangeMadeToAnOldVersion() throws Exception {
        String empresa = "emp-settings-2";
        String admin = token("dona", empresa, "admin");
        json(put(first, admin, LEAST_LOADED.formatted(0)), 200);

        HttpResponse<String> stale = put(second, admin, LEAST_LOADED.formatted(0));
        HttpResponse<String> future = put(second, admin, LEAST_LOADED.formatted(7));

        assertThat(json(stale, 409).path("reason").asString()).contains("version 1");
        assertThat(future.statusCode()).isEqualTo(409);
        assertThat(json(get(first, admin), 200).path("version").asLong()).isEqualTo(1);
    }

    @Test
    void shouldLetOneOfTwoNodesChangingTheSameVersionAtOnceWin() throws Exception {
        String empresa = "emp-settings-3";
        String admin = token("dona", empresa, "admin");
        for (int round = 0; round < 5; round++) {
            String body = LEAST_LOADED.formatted(round);
            CompletableFuture<HttpResponse<String>> one = CompletableFuture.supplyAsync(() -> send(first, admin, body));
            CompletableFuture<HttpResponse<String>> other =
                    CompletableFuture.supplyAsync(() -> send(second, admin, body));

            List<Integer> statuses = List.of(one.join().statusCode(), other.join().statusCode());

            assertThat(statuses).as("round " + round).containsExactlyInAnyOrder(200, 409);
        }
        List<Long> versions = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : kafka.readCommitted(Topics.EMPRESA_SETTINGS.name())) {
            if (empresa.equals(record.key())) {
                versions.add(Json.MAPPER.readTree(record.value()).path("version").asLong());
            }
        }
        assertThat(versions).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    private static HttpResponse<String> send(ConfigurableApplicationContext node, String token, String body) {
        try {
            return put(node, token, body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldRefuseEveryMalformedChangeWithAReasonAndChangeNothing() throws Exception {
        String empresa = "emp-settings-4";
        String admin = token("dona", empresa, "admin");
        StringBuilder thousands = new StringBuilder("{");
        for (int i = 0; i < 5000; i++) {
            thousands.append(i == 0 ? "" : ",").append("\"u-").append(i).append("\":1");
        }
        thousands.append('}');
        List<String> bodies = List.of(
                "",
                "not json",
                "[]",
                "\"settings\"",
                "{\"assignment\":{\"mode\":\"off\"}}",
                "{\"version\":\"0\",\"assignment\":{\"mode\":\"off\"}}",
                "{\"version\":-1,\"assignment\":{\"mode\":\"off\"}}",
                "{\"version\":0.5,\"assignment\":{\"mode\":\"off\"}}",
                "{\"version\":0}",
                "{\"version\":0,\"assignment\":[]}",
                "{\"version\":0,\"assignment\":{\"mode\":\"random\"}}",
                "{\"version\":0,\"assignment\":{\"mode\":\"ROUND_ROBIN\"}}",
                "{\"version\":0,\"assignment\":{\"mode\":7}}",
                "{\"version\":0,\"assignment\":{}}",
                "{\"version\":0,\"assignment\":{\"mode\":\"off\",\"defaultCapacity\":-1}}",
                "{\"version\":0,\"assignment\":{\"mode\":\"off\",\"defaultCapacity\":0}}",
                "{\"version\":0,\"assignment\":{\"mode\":\"off\",\"defaultCapacity\":1000000}}",
                "{\"version\":0,\"assignment\":{\"mode\":\"off\",\"defaultCapacity\":99999999999999999999}}",
                "{\"version\":0,\"assignment\":{\"mode\":\"off\",\"defaultCapacity\":\"5\"}}",
                "{\"version\":0,\"assignment\":{\"mode\":\"off\",\"defaultCapacity\":null}}",
                "{\"version\":0,\"assignment\":{\"mode\":\"off\",\"offlineGraceSeconds\":-5}}",
                "{\"version\":0,\"assignment\":{\"mode\":\"off\",\"offlineGraceSeconds\":864000}}",
                "{\"version\":0,\"assignment\":{\"mode\":\"off\",\"capacities\":[1,2]}}",
                "{\"version\":0,\"assignment\":{\"mode\":\"off\",\"capacities\":{\"u-1\":-1}}}",
                "{\"version\":0,\"assignment\":{\"mode\":\"off\",\"capacities\":{\"u-1\":101}}}",
                "{\"version\":0,\"assignment\":{\"mode\":\"off\",\"capacities\":{\"u-1\":\"3\"}}}",
                "{\"version\":0,\"assignment\":{\"mode\":\"off\",\"capacities\":{\"u\\u0000x\":3}}}",
                "{\"version\":0,\"assignment\":{\"mode\":\"off\",\"capacities\":{\"  \":3}}}",
                "{\"version\":0,\"assignment\":{\"mode\":\"off\",\"capacities\":{\"" + "u".repeat(129) + "\":3}}}",
                "{\"version\":0,\"assignment\":{\"mode\":\"off\",\"capacities\":" + thousands + "}}",
                "{\"version\":0,\"empresaId\":\"emp-other\",\"assignment\":{\"mode\":\"off\"}}",
                "{\"version\":0,\"assignment\":{\"mode\":\"off\",\"sla\\u0000\":1}}",
                withSla("[]"),
                withSla("\"fast\""),
                withSla("{\"firstResponseSeconds\":-1}"),
                withSla("{\"firstResponseSeconds\":2592001}"),
                withSla("{\"nextResponseSeconds\":99999999999999999999}"),
                withSla("{\"firstResponseSeconds\":\"600\"}"),
                withSla("{\"firstResponseSeconds\":600.5}"),
                withSla("{\"firstResponseSeconds\":null}"),
                withSla("{\"firstResponseSeconds\":600,\"warningBeforeSeconds\":600}"),
                withSla("{\"firstResponseSeconds\":600,\"nextResponseSeconds\":60,\"warningBeforeSeconds\":120}"),
                withSla("{\"warningBeforeSeconds\":-1}"),
                withSla("{\"firstResponseSecond\":600}"),
                withCalendar("[]"),
                withCalendar("\"24x7\""),
                withCalendar("{\"weeklyHours\":" + MONDAY + "}"),
                withCalendar("{\"timeZone\":7,\"weeklyHours\":" + MONDAY + "}"),
                withCalendar("{\"timeZone\":\"Mars/Olympus_Mons\",\"weeklyHours\":" + MONDAY + "}"),
                withCalendar("{\"timeZone\":\"+03:00\",\"weeklyHours\":" + MONDAY + "}"),
                withCalendar("{\"timeZone\":\"UTC\\u0000\",\"weeklyHours\":" + MONDAY + "}"),
                withCalendar("{\"timeZone\":\"" + "x".repeat(10_000) + "\",\"weeklyHours\":" + MONDAY + "}"),
                withCalendar("{\"timeZone\":\"UTC\"}"),
                withCalendar("{\"timeZone\":\"UTC\",\"weeklyHours\":[]}"),
                withCalendar("{\"timeZone\":\"UTC\",\"weeklyHours\":{}}"),
                withCalendar("{\"timeZone\":\"UTC\",\"weeklyHours\":{\"monday\":[]}}"),
                withCalendar("{\"timeZone\":\"UTC\",\"weeklyHours\":{\"Monday\":[{\"start\":\"09:00\",\"end\":\"18:00\"}]}}"),
                withCalendar("{\"timeZone\":\"UTC\",\"weeklyHours\":{\"mon\\u0000day\":[]}}"),
                withCalendar("{\"timeZone\":\"UTC\",\"weeklyHours\":{\"monday\":{\"start\":\"09:00\"}}}"),
                withCalendar("{\"timeZone\":\"UTC\",\"weeklyHours\":{\"monday\":[\"09:00-18:00\"]}}"),
                withCalendar("{\"timeZone\":\"UTC\",\"weeklyHours\":{\"monday\":[{\"start\":\"09:00\"}]}}"),
                withCalendar("{\"timeZone\":\"UTC\",\"weeklyHours\":{\"monday\":[{\"start\":900,\"end\":1800}]}}"),
                withCalendar("{\"timeZone\":\"UTC\",\"weeklyHours\":{\"monday\":[{\"start\":\"09:00\",\"end\":\"18:00\",\"x\":1}]}}"),
                withCalendar("{\"timeZone\":\"UTC\",\"weeklyHours\":{\"monday\":[{\"start\":\"13:00\",\"end\":\"18:00\"},"
                        + "{\"start\":\"09:00\",\"end\":\"12:00\"}]}}"),
                withCalendar("{\"timeZone\":\"UTC\",\"weeklyHours\":{\"monday\":[{\"start\":\"09:00\",\"end\":\"13:00\"},"
                        + "{\"start\":\"12:00\",\"end\":\"18:00\"}]}}"),
                withCalendar("{\"timeZone\":\"UTC\",\"weeklyHours\":{\"monday\":[{\"start\":\"18:00\",\"end\":\"09:00\"}]}}"),
                withCalendar("{\"timeZone\":\"UTC\",\"weeklyHours\":{\"monday\":[{\"start\":\"09:00\",\"end\":\"24:30\"}]}}"),
                withCalendar("{\"timeZone\":\"UTC\",\"weeklyHours\":{\"monday\":[{\"start\":\"-1:00\",\"end\":\"18:00\"}]}}"),
                withCalendar("{\"timeZone\":\"UTC\",\"weeklyHours\":{\"monday\":" + intervals(9) + "}}"),
                withCalendar("{\"timeZone\":\"UTC\",\"weeklyHours\":" + MONDAY + ",\"holidays\":{}}"),
                withCalendar("{\"timeZone\":\"UTC\",\"weeklyHours\":" + MONDAY + ",\"holidays\":[20261225]}"),
                withCalendar("{\"timeZone\":\"UTC\",\"weeklyHours\":" + MONDAY + ",\"holidays\":[\"2026-02-30\"]}"),
                withCalendar("{\"timeZone\":\"UTC\",\"weeklyHours\":" + MONDAY + ",\"holidays\":[\"25/12/2026\"]}"),
                withCalendar("{\"timeZone\":\"UTC\",\"weeklyHours\":" + MONDAY
                        + ",\"holidays\":[\"2026-12-25\",\"2026-12-25\"]}"),
                withCalendar("{\"timeZone\":\"UTC\",\"weeklyHours\":" + MONDAY + ",\"holidays\":" + holidays(401) + "}"),
                withCalendar("{\"timeZone\":\"UTC\",\"weeklyHours\":" + MONDAY + ",\"pad\":1}"));

        for (String body : bodies) {
            HttpResponse<String> response = put(first, admin, body);
            JsonNode error = json(response, 400);
            assertThat(error.path("error").asString()).as(body).isEqualTo("bad_parameter");
            assertThat(error.path("reason").asString()).as(body).isNotBlank().doesNotContain("\u0000");
        }
        HttpResponse<String> huge = put(first, admin, "{\"version\":0,\"pad\":\"" + "x".repeat(300_000) + "\"}");
        assertThat(huge.statusCode()).isEqualTo(413);

        assertThat(json(get(second, admin), 200).path("version").asLong()).isZero();
        // the empresa and the next one still change their settings
        assertThat(json(put(first, admin, LEAST_LOADED.formatted(0)), 200).path("version").asLong()).isEqualTo(1);
        String next = token("dona", "emp-settings-5", "admin");
        assertThat(json(put(second, next, LEAST_LOADED.formatted(0)), 200).path("version").asLong()).isEqualTo(1);
    }

    private static final String MONDAY = "{\"monday\":[{\"start\":\"09:00\",\"end\":\"18:00\"}]}";

    private static String withSla(String sla) {
        return "{\"version\":0,\"assignment\":{\"mode\":\"off\"},\"sla\":" + sla + "}";
    }

    private static String withCalendar(String calendar) {
        return "{\"version\":0,\"assignment\":{\"mode\":\"off\"},\"sla\":{\"firstResponseSeconds\":600},"
                + "\"calendar\":" + calendar + "}";
    }

    /** {@code n} sorted half-hour intervals of one day, two hours apart ({@code n} up to 12). */
    private static String intervals(int n) {
        StringBuilder list = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            list.append(i == 0 ? "" : ",").append(String.format("{\"start\":\"%02d:00\",\"end\":\"%02d:30\"}",
                    2 * i, 2 * i));
        }
        return list.append(']').toString();
    }

    /** {@code n} distinct dates from 2026-01-01. */
    private static String holidays(int n) {
        StringBuilder list = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            list.append(i == 0 ? "" : ",").append('"').append(java.time.LocalDate.of(2026, 1, 1).plusDays(i))
                    .append('"');
        }
        return list.append(']').toString();
    }

    @Test
    void shouldWriteSlaTargetsAndABusinessHoursCalendarAndReadThemBackByContract() throws Exception {
        String empresa = "emp-settings-8";
        String admin = token("dona", empresa, "admin");
        String body = "{\"version\":0,\"assignment\":{\"mode\":\"round_robin\"},"
                + "\"sla\":{\"firstResponseSeconds\":900,\"nextResponseSeconds\":1800,\"warningBeforeSeconds\":300},"
                + "\"calendar\":{\"timeZone\":\"America/Sao_Paulo\",\"weeklyHours\":{\"friday\":[{\"start\":\"09:00\","
                + "\"end\":\"12:00\"},{\"start\":\"13:00\",\"end\":\"18:00\"}],\"saturday\":[{\"start\":\"00:00\","
                + "\"end\":\"24:00\"}],\"monday\":[{\"start\":\"09:00\",\"end\":\"12:00\"},{\"start\":\"12:00\","
                + "\"end\":\"18:00\"}]},\"holidays\":[\"2026-12-25\",\"2027-01-01\"]}}";

        JsonNode written = json(put(first, admin, body), 200);

        assertThat(written.path("sla").path("warningBeforeSeconds").asInt()).isEqualTo(300);
        assertThat(written.path("calendar").path("timeZone").asString()).isEqualTo("America/Sao_Paulo");
        assertThat(written.path("calendar").path("weeklyHours").propertyNames())
                .containsExactly("monday", "friday", "saturday");
        assertThat(written.path("calendar").path("holidays").size()).isEqualTo(2);
        assertThat(json(get(second, token("chefe", empresa, "supervisor")), 200)).isEqualTo(written);
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : kafka.readCommitted(Topics.EMPRESA_SETTINGS.name())) {
            if (empresa.equals(record.key())) {
                records.add(record);
            }
        }
        assertThat(records).hasSize(1);
        assertThat(TopicContracts.valueViolations(Topics.EMPRESA_SETTINGS.name(), records.get(0).value(),
                records.get(0).headers())).isEmpty();

        // each change writes every group: without them, the SLA is off and the hours around the clock again
        JsonNode plain = json(put(second, admin, "{\"version\":1,\"assignment\":{\"mode\":\"off\"},"
                + "\"calendar\":null}"), 200);
        assertThat(plain.path("sla").path("firstResponseSeconds").asInt()).isZero();
        assertThat(plain.path("calendar").isNull()).isTrue();
    }

    @Test
    void shouldLetSupervisorsReadAndOnlyAdminsChangeTheirOwnEmpresasSettings() throws Exception {
        String empresa = "emp-settings-6";
        json(put(first, token("dona", empresa, "admin"), LEAST_LOADED.formatted(0)), 200);

        assertThat(get(first, AgentTokens.atendente("ana", empresa)).statusCode()).isEqualTo(403);
        assertThat(get(first, null).statusCode()).isEqualTo(401);
        assertThat(put(first, token("chefe", empresa, "supervisor"), LEAST_LOADED.formatted(1)).statusCode())
                .isEqualTo(403);
        assertThat(put(first, AgentTokens.atendente("ana", empresa), LEAST_LOADED.formatted(1)).statusCode())
                .isEqualTo(403);
        assertThat(put(first, null, LEAST_LOADED.formatted(1)).statusCode()).isEqualTo(401);
        // another empresa's admin sees and changes only their own
        String other = token("dona", "emp-settings-7", "admin");
        assertThat(json(get(second, other), 200).path("version").asLong()).isZero();
        json(put(second, other, LEAST_LOADED.formatted(0)), 200);
        assertThat(json(get(first, token("chefe", empresa, "supervisor")), 200).path("version").asLong())
                .isEqualTo(1);
    }

    @Test
    void shouldLetABrowserConsolePutTheSettingsFromAnotherOrigin() throws Exception {
        HttpResponse<String> preflight = http.send(request(first, null)
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://console.example")
                .header("Access-Control-Request-Method", "PUT")
                .header("Access-Control-Request-Headers", "authorization, content-type").build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("PUT");
    }
}

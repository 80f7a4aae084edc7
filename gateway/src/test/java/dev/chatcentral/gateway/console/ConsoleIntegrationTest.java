package dev.chatcentral.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.gateway.testing.TestGateway;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/**
 * The console's files and its config.json on the gateway's public port, without a token (the page here is a test
 * resource standing for the clients module's build).
 */
class ConsoleIntegrationTest {

    @TempDir
    static Path dir;

    private static final HttpClient http = HttpClient.newHttpClient();
    private static TestKafka kafka;
    private static TestDatabase database;
    private static ConfigurableApplicationContext gateway;
    private static Path demoUsers;

    @BeforeAll
    static void start() throws Exception {
        kafka = TestKafka.start();
        database = TestDatabase.create();
        demoUsers = dir.resolve("demo-users.json");
        Files.writeString(demoUsers, "[{\"name\":\"Ana\",\"role\":\"atendente\",\"empresaId\":\"emp-1\",\"token\":\"t\"}]");
        gateway = TestGateway.start(kafka, database, "--chatcentral.gateway.console.demo-users-file=" + demoUsers,
                "--chatcentral.gateway.console.gateway-url=https://chat.example.com");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        database.close();
        kafka.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + TestGateway.port(gateway) + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldServeThePageAtItsPathAndRedirectToIt() throws Exception {
        HttpResponse<String> bare = get("/console");
        HttpResponse<String> page = get("/console/");

        assertThat(bare.statusCode()).isEqualTo(302);
        assertThat(bare.headers().firstValue("Location").orElseThrow()).endsWith("/console/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("console de teste");
        assertThat(get("/console/index.html").headers().firstValue("Cache-Control").orElseThrow())
                .isEqualTo("no-cache");
    }

    @Test
    void shouldLetBrowsersKeepHashedAssetsForAYear() throws Exception {
        HttpResponse<String> asset = get("/console/assets/app-test.js");

        assertThat(asset.statusCode()).isEqualTo(200);
        assertThat(asset.headers().firstValue("Cache-Control").orElseThrow())
                .contains("max-age=31536000").contains("immutable");
        assertThat(get("/console/assets/missing.js").statusCode()).isEqualTo(404);
        assertThat(get("/console/assets/../../application.yml").statusCode()).isIn(400, 404);
    }

    @Test
    void shouldTellTheConsoleTheGatewayUrlAndTheDemoUsersOfItsFileWithoutStoringThem() throws Exception {
        HttpResponse<String> response = get("/console/config.json");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control").orElseThrow()).contains("no-store");
        JsonNode config = Json.MAPPER.readTree(response.body());
        assertThat(config.path("gatewayUrl").asString()).isEqualTo("https://chat.example.com");
        assertThat(config.path("demoUsers").get(0).path("name").asString()).isEqualTo("Ana");
    }

    @Test
    void shouldOfferNoDemoUsersWhenTheirFileIsNotAnArrayOrIsGone() throws Exception {
        Files.writeString(demoUsers, "{\"not\":\"an array\"}");
        JsonNode notArray = Json.MAPPER.readTree(get("/console/config.json").body());
        Files.writeString(demoUsers, "[{\"name\":");
        JsonNode truncated = Json.MAPPER.readTree(get("/console/config.json").body());
        Files.delete(demoUsers);
        HttpResponse<String> gone = get("/console/config.json");

        assertThat(notArray.has("demoUsers")).isFalse();
        assertThat(truncated.has("demoUsers")).isFalse();
        assertThat(gone.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(gone.body()).has("demoUsers")).isFalse();
    }
}

package dev.chatcentral.ingest.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.chatcentral.ingest.IngestTestApp;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/**
 * Webhook bytes held at once are bounded per empresa and in total: a tenant sending large bodies slowly is refused
 * once it holds its share, while the others go on; the node refuses everyone only when all of it is taken.
 */
class BytesInFlightIntegrationTest {

    private static final int PER_EMPRESA = 1024 * 1024;
    private static final int TOTAL = 2 * 1024 * 1024;

    private static TestKafka kafka;
    private static TestDatabase database;
    private static IngestTestApp ingest;

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        database = TestDatabase.create();
        ingest = IngestTestApp.start(kafka, database,
                "--chatcentral.ingest.max-bytes-in-flight-per-empresa=" + PER_EMPRESA + "B",
                "--chatcentral.ingest.max-bytes-in-flight=" + TOTAL + "B");
        database.seedEmpresa("emp-slow", "slow-01", "segredo-slow");
        database.seedEmpresa("emp-other", "other-01", "segredo-other");
        database.seedEmpresa("emp-third", "third-01", "segredo-third");
    }

    @AfterAll
    static void stop() {
        ingest.close();
        database.close();
        kafka.close();
    }

    /** A request whose headers announce {@code length} bytes, of which only the first arrives: held in flight. */
    private static Socket slowRequest(String empresaId, String secret, int length) throws IOException {
        Socket socket = new Socket("127.0.0.1", ingest.port());
        OutputStream out = socket.getOutputStream();
        out.write(("POST /webhooks/evolution/" + empresaId + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + secret + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + length + "\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    private static HttpResponse<String> post(String empresaId, String secret, String instance) {
        return post(empresaId, secret, instance, "Oi");
    }

    private static HttpResponse<String> post(String empresaId, String secret, String instance, String text) {
        return ingest.post("/webhooks/evolution/" + empresaId, "Bearer " + secret, "application/json",
                "{\"event\":\"messages.upsert\",\"instance\":\"" + instance + "\",\"data\":{\"key\":{\"remoteJid\":"
                        + "\"5511988887777@s.whatsapp.net\",\"fromMe\":false,\"id\":\"" + System.nanoTime()
                        + "\"},\"message\":{\"conversation\":\"" + text + "\"},\"messageTimestamp\":1761057639}}");
    }

    @Test
    void shouldRefuseAnEmpresaHoldingItsShareWith429AndTheNodeHoldingAllWith503() throws Exception {
        // the empresas seeded in PostgreSQL are known once the ingest's directory has loaded them
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(post("emp-slow", "segredo-slow", "slow-01").statusCode()).isEqualTo(200);
            assertThat(post("emp-other", "segredo-other", "other-01").statusCode()).isEqualTo(200);
        });
        // all but 100 bytes of the empresa's share: no webhook of the same empresa fits beside it
        try (Socket held = slowRequest("emp-slow", "segredo-slow", PER_EMPRESA - 100)) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                HttpResponse<String> refused = post("emp-slow", "segredo-slow", "slow-01");
                assertThat(refused.statusCode()).isEqualTo(429);
                assertThat(refused.body()).contains("\"error\":\"too_many_bytes_in_flight\"");
                assertThat(refused.headers().firstValue("Retry-After")).contains("1");
            });
            assertThat(post("emp-other", "segredo-other", "other-01").statusCode()).isEqualTo(200);

            // together all but about 47 KiB of the node's: a 100 KB webhook of a third empresa does not fit
            try (Socket second = slowRequest("emp-other", "segredo-other", 1_000_000)) {
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    HttpResponse<String> overloaded = post("emp-third", "segredo-third", "third-01",
                            "x".repeat(100_000));
                    assertThat(overloaded.statusCode()).isEqualTo(503);
                    assertThat(overloaded.body()).contains("\"error\":\"overloaded\"");
                });
            }
        }
        // the held requests ended (their bodies never came): their bytes are given back
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(post("emp-slow", "segredo-slow", "slow-01").statusCode()).isEqualTo(200);
            assertThat(post("emp-third", "segredo-third", "third-01").statusCode()).isEqualTo(200);
        });
    }
}

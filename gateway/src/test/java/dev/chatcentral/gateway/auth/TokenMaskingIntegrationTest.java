package dev.chatcentral.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import dev.chatcentral.gateway.testing.TestGateway;
import dev.chatcentral.testing.AgentTokens;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/**
 * Browsers send their token in {@code ?token=} (SSE, long-poll, WebSocket): no answer, log line or access log entry
 * may repeat it, whether the token is good, expired, signed by someone else or not a token at all, and even with the
 * gateway's own debug logging on.
 */
@ExtendWith(OutputCaptureExtension.class)
class TokenMaskingIntegrationTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tomcatDir;

    @Test
    void shouldNeverRepeatAQueryTokenInAnswersLogsOrTheAccessLog(CapturedOutput output) throws Exception {
        String empresa = "emp-mask";
        List<String> tokens = List.of(
                AgentTokens.atendente("ana", empresa),
                AgentTokens.mint(AgentTokens.DEV_SECRET, "ana", empresa, List.of("atendente"),
                        Instant.now().minusSeconds(600)),
                AgentTokens.mint("someone-elses-secret-of-enough-length-0123456789", "ana", empresa,
                        List.of("admin"), Instant.now().plusSeconds(600)),
                "not-a-jwt-" + UUID.randomUUID());
        List<String> answers = new ArrayList<>();
        try (TestKafka kafka = TestKafka.start(); TestDatabase database = TestDatabase.create()) {
            ConfigurableApplicationContext gateway = TestGateway.start(kafka, database,
                    "--server.tomcat.basedir=" + tomcatDir, "--server.tomcat.accesslog.enabled=true",
                    "--server.tomcat.accesslog.buffered=false", "--logging.level.dev.chatcentral.gateway=DEBUG");
            try {
                String base = "http://127.0.0.1:" + TestGateway.port(gateway);
                for (String token : tokens) {
                    // no channel, or a position that is no number: a good token is refused right after its check
                    answers.add(get(base + "/realtime/sse?token=" + token));
                    answers.add(get(base + "/realtime/poll?token=" + token));
                    answers.add(get(base + "/realtime/sse?channel=empresa:" + empresa + "&since=never&token=" + token));
                    answers.add(rawRequest(TestGateway.port(gateway), "GET /ws?token=" + token + " HTTP/1.1\r\n"
                            + "Host: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"));
                    // a character Tomcat refuses in a request line, after the token
                    answers.add(rawRequest(TestGateway.port(gateway),
                            "GET /realtime/sse?token=" + token + "{| HTTP/1.1\r\nHost: localhost\r\n\r\n"));
                }
            } finally {
                gateway.close();
            }
        }
        String accessLog;
        try (Stream<Path> files = Files.walk(tomcatDir)) {
            StringBuilder all = new StringBuilder();
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("access_log")).toList()) {
                all.append(Files.readString(file));
            }
            accessLog = all.toString();
        }
        assertThat(accessLog).contains("/realtime/sse").contains("/ws");
        // refusals all, but the good token's WebSocket upgrade
        assertThat(answers).allSatisfy(answer -> assertThat(answer).matches("(?s)HTTP/1\\.1 (4\\d\\d|101) .*"));
        assertThat(answers).filteredOn(answer -> answer.startsWith("HTTP/1.1 101")).hasSize(1);
        for (String token : tokens) {
            String secretPart = token.substring(token.lastIndexOf('.') + 1);
            assertThat(answers).noneMatch(answer -> answer.contains(secretPart));
            assertThat(accessLog).doesNotContain(secretPart);
            assertThat(output.getAll()).doesNotContain(secretPart);
        }
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        return "HTTP/1.1 " + response.statusCode() + " " + response.headers().map() + " " + response.body();
    }

    /** The whole answer to a request written by hand, up to the connection's close or 5 s of silence. */
    private static String rawRequest(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            byte[] buffer = new byte[8192];
            try {
                for (int read; (read = in.read(buffer)) > 0; ) {
                    answer.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
                    if (answer.indexOf("\r\n\r\n") > 0 && !answer.toString().contains("chunked")) {
                        break;
                    }
                }
            } catch (java.net.SocketTimeoutException e) {
                // a kept-alive connection: what arrived is the answer
            }
            return answer.toString();
        }
    }
}

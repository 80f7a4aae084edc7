package dev.chatcentral.processor.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.processor.ProcessorTestApp;
import dev.chatcentral.schemas.command.AgentCommand;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.topic.RecordHeaders;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/** With LOG_FORMAT set, a line about a webhook or a command names its empresa, correlation or command, and node. */
@ExtendWith(OutputCaptureExtension.class)
class StructuredLoggingIntegrationTest {

    private static final String EMPRESA = "emp-logs";
    private static final String NODE = "processor-logs-1";

    @TempDir
    Path stateDir;

    @Test
    void shouldNameTheEmpresaCorrelationIdCommandIdAndNodeInEcsLinesAboutThem(CapturedOutput output) {
        try (TestKafka kafka = TestKafka.start(); TestDatabase database = TestDatabase.create();
             ProcessorTestApp app = ProcessorTestApp.start(kafka, database.jdbcUrl(), database.user(), stateDir,
                     "--LOG_FORMAT=ecs", "--chatcentral.node-id=" + NODE)) {
            // a webhook whose data is not an object: refused into the DLQ, with a warning
            app.sendBytes(Topics.WEBHOOKS, EMPRESA,
                    "{\"event\":\"messages.upsert\",\"instance\":\"loja\",\"data\":\"nonsense\"}"
                            .getBytes(StandardCharsets.UTF_8),
                    Map.of(RecordHeaders.CORRELATION_ID, "corr-logs-1"));
            JsonNode webhookLine = await().atMost(Duration.ofSeconds(60))
                    .until(() -> lineAbout(output, "corr-logs-1"), Optional::isPresent).orElseThrow();
            assertThat(webhookLine.path("empresaId").asString()).isEqualTo(EMPRESA);
            assertThat(webhookLine.path("node").asString()).isEqualTo(NODE);
            assertThat(webhookLine.path("log").path("level").asString()).isEqualTo("WARN");
            assertThat(webhookLine.path("message").asString()).contains("goes to the DLQ");

            // a command that names no issuer, with a newline in its id: dead-lettered, one line, the id cleaned
            app.send(Topics.COMMANDS, EMPRESA, new AgentCommand("cmd-logs\n1", EMPRESA, null,
                    List.of("atendente"), AgentCommand.CLOSE, "conversa-1", null, null, null, null, Instant.now()));
            JsonNode commandLine = await().atMost(Duration.ofSeconds(60))
                    .until(() -> lineAbout(output, "cmd-logs?1"), Optional::isPresent).orElseThrow();
            assertThat(commandLine.path("empresaId").asString()).isEqualTo(EMPRESA);
            assertThat(commandLine.path("node").asString()).isEqualTo(NODE);
            assertThat(commandLine.has("correlationId")).isFalse();
        }
    }

    /** The first JSON line whose correlationId or commandId is {@code id}. */
    private static Optional<JsonNode> lineAbout(CapturedOutput output, String id) {
        return output.getOut().lines().filter(line -> line.startsWith("{")).map(Json.MAPPER::readTree)
                .filter(line -> id.equals(line.path("correlationId").asString(null))
                        || id.equals(line.path("commandId").asString(null)))
                .findFirst();
    }
}

package dev.chatcentral.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.localstack.tenant.DemoEmpresa;
import dev.chatcentral.schemas.evolution.EvolutionWebhook;
import dev.chatcentral.schemas.serde.Json;

class LocalStackTest {

    @Test
    void shouldPassSimulatorTargetsAsIndexedEnvironmentVariables() {
        Map<DemoEmpresa, String> secrets = new LinkedHashMap<>();
        secrets.put(DemoEmpresa.ALL.get(0), "secret-1");
        secrets.put(DemoEmpresa.ALL.get(1), "secret-2");

        Map<String, String> env = LocalStack.simulatorTargets(secrets);

        assertThat(env).containsEntry("SIMULATOR_INGEST_URL", "http://localhost:8081")
                .containsEntry("CHATCENTRAL_SIMULATOR_TARGETS_0_EMPRESAID", "emp-demo-1")
                .containsEntry("CHATCENTRAL_SIMULATOR_TARGETS_0_INSTANCE", "loja-aurora-01")
                .containsEntry("CHATCENTRAL_SIMULATOR_TARGETS_0_SECRET", "secret-1")
                .containsEntry("CHATCENTRAL_SIMULATOR_TARGETS_1_EMPRESAID", "emp-demo-2")
                .containsEntry("CHATCENTRAL_SIMULATOR_TARGETS_1_SECRET", "secret-2");
    }

    @Test
    void shouldPrintACurlLinePostingAnEvolutionEnvelopeWithTheEmpresaSecret() {
        Instant now = Instant.parse("2026-01-10T12:00:00Z");

        String curl = Instructions.curl(DemoEmpresa.ALL.get(0), "whsec_abc", now);

        assertThat(curl).startsWith("curl -sS -X POST 'http://localhost:8081/webhooks/evolution/emp-demo-1'")
                .contains("-H 'Authorization: Bearer whsec_abc'");
        String body = curl.substring(curl.indexOf("-d '") + 4, curl.length() - 1);
        EvolutionWebhook webhook = Json.MAPPER.readValue(body, EvolutionWebhook.class);
        assertThat(webhook.event()).isEqualTo("messages.upsert");
        assertThat(webhook.instance()).isEqualTo("loja-aurora-01");
        assertThat(webhook.dateTime()).isEqualTo("2026-01-10T12:00:00.000Z");
        JsonNode data = webhook.data();
        assertThat(data.at("/key/id").asString()).matches("3A[0-9A-F]{18}");
        assertThat(data.get("messageTimestamp").longValue()).isEqualTo(now.getEpochSecond());
    }

    @Test
    void shouldPrintTheWatchCommandForTheEmpresaChannel() {
        assertThat(Instructions.watch(Path.of("/repo"), DemoEmpresa.ALL.get(0), "jwt"))
                .isEqualTo("/repo/bin/watch --token jwt --channel empresa:emp-demo-1");
    }

    @Test
    void shouldPrintTheKillCommandWithTheDataDirectoryOnlyWhenItIsNotTheDefault() {
        Path repo = Path.of("/repo");

        assertThat(Instructions.kill(new StackLayout(repo, repo.resolve(".local")), "stream-processor"))
                .isEqualTo("/repo/bin/stack --kill stream-processor");
        assertThat(Instructions.kill(new StackLayout(repo, Path.of("/tmp/cc")), "gateway"))
                .isEqualTo("CHATCENTRAL_DATA_DIR=/tmp/cc /repo/bin/stack --kill gateway");
    }
}

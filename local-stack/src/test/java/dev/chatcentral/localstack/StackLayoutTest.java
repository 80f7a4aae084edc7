package dev.chatcentral.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackLayoutTest {

    @TempDir
    Path root;

    @Test
    void shouldKeepDataInDotLocalOfTheRepository() throws IOException {
        StackLayout layout = StackLayout.of(repository(), Map.of());

        assertThat(layout.dataDir()).isEqualTo(root.resolve(".local"));
        assertThat(layout.kafkaLogDir()).isEqualTo(root.resolve(".local/kafka"));
        assertThat(layout.logFile("ingest")).isEqualTo(root.resolve(".local/logs/ingest.log"));
        assertThat(layout.runDir()).isEqualTo(root.resolve(".local/run"));
        assertThat(layout.serviceJar("gateway"))
                .isEqualTo(root.resolve("gateway/target/gateway-0.1.0-SNAPSHOT-exec.jar"));
    }

    @Test
    void shouldUseTheDataDirectoryFromTheEnvironment() throws IOException {
        Path elsewhere = root.resolve("elsewhere");

        StackLayout layout = StackLayout.of(repository(), Map.of(StackLayout.DATA_DIR_ENV, elsewhere.toString()));

        assertThat(layout.dataDir()).isEqualTo(elsewhere);
        assertThat(layout.processorStateDir()).isEqualTo(elsewhere.resolve("stream-processor"));
        assertThat(layout.analyticsStateDir()).isEqualTo(elsewhere.resolve("analytics"));
    }

    @Test
    void shouldShowPathsInsideTheRepositoryRelativeToIt() throws IOException {
        StackLayout layout = StackLayout.of(repository(), Map.of());

        assertThat(layout.display(layout.logFile("gateway"))).isEqualTo(Path.of(".local/logs/gateway.log").toString());
        assertThat(layout.display(Path.of("/var/tmp/x.log"))).isEqualTo("/var/tmp/x.log");
    }

    @Test
    void shouldRefuseToRunOutsideTheRepository() {
        assertThatThrownBy(() -> StackLayout.of(root, Map.of()))
                .isInstanceOf(StackException.class).hasMessageContaining("repository root");
    }

    private Path repository() throws IOException {
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        Files.createDirectories(root.resolve("local-stack"));
        return root;
    }
}

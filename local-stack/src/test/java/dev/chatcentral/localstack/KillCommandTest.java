package dev.chatcentral.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.chatcentral.localstack.process.ChildProcess;
import dev.chatcentral.localstack.process.Children;
import dev.chatcentral.localstack.process.PidFiles;
import dev.chatcentral.localstack.process.RestartPolicy;
import dev.chatcentral.localstack.process.SleeperLaunch;
import dev.chatcentral.localstack.process.Supervisor;

/** This JVM plays the running stack: its children are real JVMs, killed by --kill as a newcomer would. */
class KillCommandTest {

    @TempDir
    Path root;

    private final ByteArrayOutputStream stackOutput = new ByteArrayOutputStream();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private StackLayout layout;
    private PidFiles pidFiles;
    private Children children;

    @BeforeEach
    void stack() {
        layout = new StackLayout(root, root.resolve(".local"));
        pidFiles = new PidFiles(layout.runDir());
        children = new Children(pidFiles);
    }

    @AfterEach
    void stopChildren() {
        children.stopAll();
    }

    @Test
    void shouldKillTheServiceOfTheRunningStackWhichThenComesBack() throws Exception {
        pidFiles.write(PidFiles.STACK, ProcessHandle.current().pid());
        SleeperLaunch launch = new SleeperLaunch("stream-processor", layout.logsDir(), Integer.MAX_VALUE);
        ChildProcess processor = children.start(launch, Duration.ofSeconds(5));
        launch.awaitReady(processor, children::deathReport);
        children.supervise(new Supervisor(children, RestartPolicy::standard, Set.of(), layout::display,
                new PrintStream(stackOutput, true, StandardCharsets.UTF_8)));

        int status = kill("stream-processor");

        assertThat(status).isZero();
        assertThat(text(out)).startsWith("sent SIGKILL to stream-processor (pid " + processor.pid() + ")");
        await().atMost(30, TimeUnit.SECONDS).until(() -> text(stackOutput).contains("stream-processor is back"));
        assertThat(text(stackOutput)).contains("stream-processor died: killed by SIGKILL (exit code 137) after ")
                .contains("up; log .local/logs/stream-processor.log")
                .contains("restarting stream-processor in 1 s");
        assertThat(pidFiles.read("stream-processor").orElseThrow()).isNotEqualTo(processor.pid());
    }

    @Test
    void shouldRefuseAnUnknownNameListingTheValidOnes() {
        assertThat(kill("postgres")).isEqualTo(2);

        assertThat(text(err)).contains("--kill knows no postgres; it takes one of: "
                + "kafka, ingest, stream-processor, gateway, analytics, evolution-simulator");
    }

    @Test
    void shouldSayNoStackRunsWhenItsPidFileNamesAnEndedProcess() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        pidFiles.write(PidFiles.STACK, ended.pid());

        assertThat(kill("gateway")).isEqualTo(1);

        assertThat(text(err)).contains("no local stack is running with its data in .local");
    }

    @Test
    void shouldNotKillAProcessThatIsNoChildOfTheStack() throws IOException {
        Process stack = new ProcessBuilder("sleep", "60").start();
        Process stranger = new ProcessBuilder("sleep", "60").start();
        try {
            pidFiles.write(PidFiles.STACK, stack.pid());
            pidFiles.write("gateway", stranger.pid());

            assertThat(kill("gateway")).isEqualTo(1);

            assertThat(text(err)).contains("gateway is not running in this stack now");
            assertThat(stranger.isAlive()).isTrue();
        } finally {
            stack.destroyForcibly();
            stranger.destroyForcibly();
        }
    }

    private int kill(String name) {
        return KillCommand.run(layout, name, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static String text(ByteArrayOutputStream stream) {
        return stream.toString(StandardCharsets.UTF_8);
    }
}

package dev.chatcentral.localstack.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child JVMs, started, killed with SIGKILL and stopped through the stack's own process machinery. */
class SupervisorTest {

    private static final Duration GRACE = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private Children children;

    @BeforeEach
    void children() {
        children = new Children(pidFiles());
    }

    @AfterEach
    void stopChildren() {
        children.stopAll();
    }

    @Test
    void shouldRestartAChildKilledWithSigkillAndSayHowItDiedAndWhenItIsBack() throws Exception {
        SleeperLaunch launch = new SleeperLaunch("sleeper", dir, Integer.MAX_VALUE);
        ChildProcess first = startSupervised(launch, Set.of(), Duration.ofMillis(100));

        first.process().toHandle().destroyForcibly();

        await().atMost(30, TimeUnit.SECONDS).until(() -> printed().contains("sleeper is back"));
        assertThat(printed()).contains("sleeper died: killed by SIGKILL (exit code 137) after ")
                .contains("log " + dir.resolve("sleeper.log"))
                .contains("restarting sleeper in 100 ms (death 1 within 5 min; at 3 it is left stopped)");
        long pid = pidFiles().read("sleeper").orElseThrow();
        assertThat(pid).isNotEqualTo(first.pid());
        assertThat(ProcessHandle.of(pid)).hasValueSatisfying(handle -> assertThat(handle.isAlive()).isTrue());
        assertThat(launch.starts()).isEqualTo(2);
    }

    @Test
    void shouldNotReportOrRestartWhatAStopEnds() throws Exception {
        SleeperLaunch launch = new SleeperLaunch("sleeper", dir, Integer.MAX_VALUE);
        ChildProcess child = startSupervised(launch, Set.of(), Duration.ofMillis(100));

        children.stopAll();

        assertThat(child.isAlive()).isFalse();
        await().during(1, TimeUnit.SECONDS).atMost(2, TimeUnit.SECONDS).until(() -> launch.starts() == 1);
        assertThat(printed()).doesNotContain("died");
        assertThat(pidFiles().read("sleeper")).isEmpty();
    }

    @Test
    void shouldNotRestartAChildWhenTheStopComesWhileItsRestartWaits() throws Exception {
        SleeperLaunch launch = new SleeperLaunch("sleeper", dir, Integer.MAX_VALUE);
        ChildProcess child = startSupervised(launch, Set.of(), Duration.ofSeconds(1));

        child.process().toHandle().destroyForcibly();
        await().atMost(10, TimeUnit.SECONDS).until(() -> printed().contains("restarting sleeper in 1 s"));
        children.stopAll();

        await().during(2, TimeUnit.SECONDS).atMost(3, TimeUnit.SECONDS).until(() -> launch.starts() == 1);
        assertThat(printed()).doesNotContain("is back");
        assertThat(pidFiles().read("sleeper")).isEmpty();
    }

    @Test
    void shouldLeaveAChildThatKeepsDyingStoppedAndKeepTheRestRunning() throws Exception {
        SleeperLaunch crashing = new SleeperLaunch("crasher", dir, 1);
        ChildProcess child = startSupervised(crashing, Set.of(), Duration.ofMillis(100));

        child.process().toHandle().destroyForcibly();

        await().atMost(30, TimeUnit.SECONDS).until(() -> printed().contains("3 times within"));
        assertThat(printed()).contains("crasher died: exit code 3 after ")
                .contains("crasher died 3 times within 5 min: left stopped; its log says why. The rest keeps running");
        await().during(1, TimeUnit.SECONDS).atMost(2, TimeUnit.SECONDS).until(() -> crashing.starts() == 3);
        assertThat(pidFiles().read("crasher")).isEmpty();
    }

    @Test
    void shouldTellTheStackToStopWhenAnEssentialChildKeepsDying() throws Exception {
        SleeperLaunch broker = new SleeperLaunch("broker", dir, 1);
        Supervisor supervisor = supervisor(Set.of("broker"), Duration.ofMillis(100));
        ChildProcess child = startSupervised(broker, supervisor);

        child.process().toHandle().destroyForcibly();

        String fatal = CompletableFuture.supplyAsync(() -> {
            try {
                return supervisor.awaitFatal();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }).get(30, TimeUnit.SECONDS);
        assertThat(fatal).isEqualTo("broker died 3 times within 5 min: left stopped; its log says why; "
                + "the stack cannot run without it");
        assertThat(printed()).contains("everything depends on broker: the services stay up and retry");
    }

    private ChildProcess startSupervised(Launch launch, Set<String> essential, Duration firstDelay)
            throws InterruptedException {
        return startSupervised(launch, supervisor(essential, firstDelay));
    }

    private ChildProcess startSupervised(Launch launch, Supervisor supervisor) throws InterruptedException {
        ChildProcess child = children.start(launch, GRACE);
        launch.awaitReady(child, children::deathReport);
        children.supervise(supervisor);
        return child;
    }

    /** Three deaths within five minutes are the last, so that a crash loop ends quickly. */
    private Supervisor supervisor(Set<String> essential, Duration firstDelay) {
        return new Supervisor(children, () -> new RestartPolicy(firstDelay, Duration.ofSeconds(1),
                Duration.ofMinutes(1), 3, Duration.ofMinutes(5)), essential, Path::toString,
                new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    private PidFiles pidFiles() {
        return new PidFiles(dir.resolve("run"));
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }
}

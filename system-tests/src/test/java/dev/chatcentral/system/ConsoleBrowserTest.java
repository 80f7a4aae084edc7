package dev.chatcentral.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The console in a real browser against the real stack (issue 13): starts the local stack as {@code bin/stack} does
 * (its launcher from local-stack/target, every service from its exec jar, data under target/), then runs the
 * Playwright suite of clients/e2e in Debian's Chromium (two atendentes, delivery, assign race, transfer, typing, a
 * killed gateway, an offline reply), and stops the stack whatever happened. Screenshots are kept in
 * target/console-browser/test-results.
 */
class ConsoleBrowserTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path WORK = ROOT.resolve("system-tests/target/console-browser");
    private static final Duration STACK_READY_WITHIN = Duration.ofMinutes(5);
    private static final Duration SUITE_WITHIN = Duration.ofMinutes(8);
    /** The stack stops its services (20 s grace each) and then the broker (30 s). */
    private static final Duration STACK_STOP_WITHIN = Duration.ofSeconds(90);
    private static final String READY = "[5/5] ready";

    @Test
    @Timeout(value = 16, unit = TimeUnit.MINUTES)
    void shouldPassTheConsoleBrowserSuiteAgainstTheLocalStack() throws Exception {
        String chromium = ensureChromium();
        Path playwright = ROOT.resolve("node_modules/.bin/playwright");
        assertThat(playwright).as("the clients module's npm ci installs Playwright").isExecutable();
        Path dataDir = WORK.resolve("stack-data");
        Files.createDirectories(WORK);
        Process stack = startStack(dataDir, WORK.resolve("stack.log"));
        try {
            awaitReady(stack, WORK.resolve("stack.log"));
            Path suiteLog = WORK.resolve("playwright.log");
            ProcessBuilder suite = new ProcessBuilder(playwright.toString(), "test")
                    .directory(ROOT.resolve("clients/e2e").toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(suiteLog.toFile());
            suite.environment().putAll(Map.of(
                    "CONSOLE_URL", "http://localhost:8080/console/",
                    "SIMULATOR_URL", "http://localhost:8090",
                    "CHATCENTRAL_DATA_DIR", dataDir.toString(),
                    "CHROMIUM_PATH", chromium,
                    "E2E_OUTPUT_DIR", WORK.resolve("test-results").toString()));
            int exit = runToEnd(suite.start(), SUITE_WITHIN);
            String output = Files.readString(suiteLog);
            System.out.println(output);
            assertThat(exit).as("the Playwright suite (screenshots in %s, stack logs in %s):%n%s",
                    WORK.resolve("test-results"), dataDir.resolve("logs"), output).isZero();
        } finally {
            stop(stack);
        }
    }

    /** Debian's Chromium, installed by clients/e2e/ensure-chromium.sh when missing and we are root. */
    private static String ensureChromium() throws IOException, InterruptedException {
        Process script = new ProcessBuilder("bash", ROOT.resolve("clients/e2e/ensure-chromium.sh").toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String path = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (runToEnd(script, Duration.ofMinutes(5)) != 0) {
            fail("no Chromium for the browser tests (see ensure-chromium's message above)");
        }
        return path;
    }

    private static Process startStack(Path dataDir, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", "local-stack/target/classes:local-stack/target/lib/*",
                "dev.chatcentral.localstack.LocalStack")
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("CHATCENTRAL_DATA_DIR", dataDir.toString());
        return builder.start();
    }

    /** Waits for the stack's "[5/5] ready"; fails with the tail of its output when it ends or takes too long. */
    private static void awaitReady(Process stack, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STACK_READY_WITHIN.toNanos();
        while (!Files.readString(log).contains(READY)) {
            if (!stack.isAlive()) {
                fail("the local stack ended (exit " + stack.exitValue() + ") before it was ready:\n" + tail(log));
            }
            if (System.nanoTime() > deadline) {
                fail("the local stack was not ready within " + STACK_READY_WITHIN.toMinutes() + " min:\n" + tail(log));
            }
            Thread.sleep(500);
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** The exit status; a process still running after {@code within} is killed with its children. */
    private static int runToEnd(Process process, Duration within) throws InterruptedException {
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
            fail(process.info().command().orElse("a process") + " did not end within " + within.toMinutes()
                    + " min");
        }
        return process.exitValue();
    }

    /**
     * SIGTERM, as Ctrl-C: the stack stops its services, then the broker. Whatever is left after that (the stack
     * stuck, a child it lost) is killed, so no process outlives the test.
     */
    private static void stop(Process stack) throws InterruptedException {
        List<ProcessHandle> children = stack.descendants().toList();
        stack.destroy();
        if (!stack.waitFor(STACK_STOP_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
            stack.destroyForcibly().waitFor();
        }
        children.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (children.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }
}

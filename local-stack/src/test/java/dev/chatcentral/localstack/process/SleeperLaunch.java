package dev.chatcentral.localstack.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.chatcentral.localstack.StackException;

/**
 * Starts {@link Sleeper} JVMs through the stack's own {@link JavaProcesses}: the first {@code servingStarts} serve
 * until killed, later ones crash at once. Ready once the log holds the child's "ready" line, as a service is once
 * its health says UP.
 */
public final class SleeperLaunch implements Launch {

    private final String name;
    private final Path log;
    private final int servingStarts;
    private final JavaProcesses processes;
    private final AtomicInteger starts = new AtomicInteger();

    public SleeperLaunch(String name, Path dir, int servingStarts) {
        this.name = name;
        this.log = dir.resolve(name + ".log");
        this.servingStarts = servingStarts;
        this.processes = new JavaProcesses(dir);
    }

    public int starts() {
        return starts.get();
    }

    @Override
    public ChildProcess start() {
        String mode = starts.incrementAndGet() <= servingStarts ? "serve" : "crash";
        return processes.start(name, List.of("-Xmx32m", "-cp", JavaProcesses.ownClassPath(), Sleeper.class.getName(),
                mode), Map.of(), log);
    }

    @Override
    public void awaitReady(ChildProcess child, Supplier<String> failure) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            String failed = failure.get();
            if (failed != null) {
                throw new StackException(failed);
            }
            if (logText().contains("ready " + child.pid())) {
                return;
            }
            Thread.sleep(50);
        }
        throw new StackException(name + " was not ready within 30 s; see " + log);
    }

    private String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new StackException("cannot read " + log, e);
        }
    }
}

package dev.chatcentral.localstack.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A process the stack started, its log file, and how to stop it politely. */
public final class ChildProcess {

    /** The signals a process commonly dies of, by number. */
    private static final Map<Integer, String> SIGNALS = Map.of(1, "SIGHUP", 2, "SIGINT", 3, "SIGQUIT", 6, "SIGABRT",
            9, "SIGKILL", 11, "SIGSEGV", 15, "SIGTERM");

    private final String name;
    private final Process process;
    private final Path log;
    private final Instant started = Instant.now();

    ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    public Instant started() {
        return started;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * How an ended process ended, e.g. "exit code 1" or "killed by SIGKILL (exit code 137)": Java reports death by
     * a signal as 128 + its number, as shells do.
     */
    public String exitDescription() {
        int code = process.exitValue();
        if (code <= 128 || code > 128 + 64) {
            return "exit code " + code;
        }
        return "killed by " + SIGNALS.getOrDefault(code - 128, "signal " + (code - 128)) + " (exit code " + code + ")";
    }

    /** SIGTERM, so the JVM runs its shutdown (Spring closes consumers, the broker flushes); SIGKILL after grace. */
    public void stop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                System.out.println("  " + name + " did not stop within " + grace.toSeconds() + " s, killing it");
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The end of the log, to show next to a failure; bytes that are not UTF-8 do not hide it. */
    public String logTail(int lines) {
        try {
            List<String> all = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }
}

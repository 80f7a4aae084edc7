package dev.chatcentral.localstack.process;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.chatcentral.localstack.StackException;

/**
 * Keeps the stack's children running once it is up: a child that ends on its own is reported (how it ended,
 * after how long, where its log is), started again after its {@link RestartPolicy}'s delay, and reported back once
 * it serves again. A child that keeps dying is left stopped; when it is one the stack cannot do without, the stack
 * is told to stop ({@link #awaitFatal}).
 */
public final class Supervisor implements Children.DeathListener {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Children children;
    private final Supplier<RestartPolicy> policies;
    private final Set<String> essential;
    private final Function<Path, String> display;
    private final PrintStream out;
    private final Map<String, RestartPolicy> policyByName = new ConcurrentHashMap<>();
    private final CompletableFuture<String> fatal = new CompletableFuture<>();
    /** One thread per child of the full stack, so that no restart waits for another's readiness. */
    private final ScheduledExecutorService restarts = Executors.newScheduledThreadPool(5, runnable -> {
        Thread thread = new Thread(runnable, "stack-restart");
        // a restart waiting for readiness must not keep the stack's JVM alive once it is told to stop
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param policies  a fresh policy, one for each child
     * @param essential the children without which nothing works: leaving one stopped stops the stack
     * @param display   a log's path as the user reads it
     */
    public Supervisor(Children children, Supplier<RestartPolicy> policies, Set<String> essential,
            Function<Path, String> display, PrintStream out) {
        this.children = children;
        this.policies = policies;
        this.essential = essential;
        this.display = display;
        this.out = out;
    }

    @Override
    public void died(ChildProcess dead, Launch launch) {
        Instant now = Instant.now();
        Duration uptime = Duration.between(dead.started(), now);
        String name = dead.name();
        say(name + " died: " + dead.exitDescription() + " after " + human(uptime) + " up; log "
                + display.apply(dead.log()));
        RestartPolicy policy = policyByName.computeIfAbsent(name, any -> policies.get());
        Optional<Duration> delay = policy.afterDeath(now, uptime);
        if (delay.isEmpty()) {
            String gaveUp = name + " died " + policy.recentDeaths() + " times within " + human(policy.window())
                    + ": left stopped; its log says why";
            if (essential.contains(name)) {
                fatal.complete(gaveUp + "; the stack cannot run without it");
            } else {
                say(gaveUp + ". The rest keeps running; Ctrl-C and bin/stack start everything again");
            }
            return;
        }
        if (essential.contains(name)) {
            say("  everything depends on " + name + ": the services stay up and retry until it is back");
        }
        say("  restarting " + name + " in " + human(delay.get()) + " (death " + policy.recentDeaths() + " within "
                + human(policy.window()) + "; at " + policy.maxDeaths() + " it is left stopped)");
        restarts.schedule(() -> restart(dead, launch), delay.get().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Blocks until an essential child is left stopped; returns why. */
    public String awaitFatal() throws InterruptedException {
        try {
            return fatal.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("nothing completes the fatal future exceptionally", e);
        }
    }

    private void restart(ChildProcess dead, Launch launch) {
        long begin = System.nanoTime();
        ChildProcess next;
        try {
            next = children.restart(dead);
        } catch (StackException e) {
            say("cannot restart " + dead.name() + ": " + e.getMessage() + "; left stopped");
            return;
        }
        if (next == null) {
            return;
        }
        try {
            launch.awaitReady(next, () -> next.isAlive() ? null : next.name() + " died again while starting");
            if (!children.isStopping()) {
                say(next.name() + " is back: ready " + human(Duration.ofNanos(System.nanoTime() - begin))
                        + " after the restart (pid " + next.pid() + ")");
            }
        } catch (StackException e) {
            // a death while starting is reported as any other death is, by died()
            if (next.isAlive() && !children.isStopping()) {
                say(e.getMessage() + "; left running");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void say(String line) {
        out.println(CLOCK.format(LocalTime.now()) + " " + line);
    }

    static String human(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds == 0) {
            return duration.toMillis() + " ms";
        }
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min" + (seconds % 60 == 0 ? "" : " " + seconds % 60 + " s");
        }
        return seconds / 3600 + " h " + seconds / 60 % 60 + " min";
    }
}

package dev.chatcentral.localstack.process;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import dev.chatcentral.localstack.StackException;

/**
 * The long-running children of the stack, in start order. Stopping goes in reverse order (services before the
 * broker they depend on); a child that ends on its own while the stack is not stopping is reported as a death.
 */
public final class Children {

    private final List<ChildProcess> started = new CopyOnWriteArrayList<>();
    private final CompletableFuture<ChildProcess> firstDeath = new CompletableFuture<>();
    private volatile boolean stopping;

    public ChildProcess add(ChildProcess child, Duration grace) {
        started.add(child);
        child.process().onExit().thenRun(() -> {
            if (!stopping) {
                firstDeath.complete(child);
            }
        });
        if (stopping) {
            child.stop(grace);
            throw new StackException("the stack is stopping; " + child.name() + " was stopped again at once");
        }
        return child;
    }

    public boolean isEmpty() {
        return started.isEmpty();
    }

    /** What died, where its log is and how it ends; null while every child lives. */
    public String deathReport() {
        ChildProcess dead = firstDeath.getNow(null);
        if (dead == null) {
            return null;
        }
        return dead.name() + " exited on its own with code " + dead.process().exitValue() + "; its log: "
                + dead.log() + "\n--- end of " + dead.log().getFileName() + " ---\n" + dead.logTail(25);
    }

    /** Blocks until some child dies on its own. */
    public void awaitDeath() throws InterruptedException {
        try {
            firstDeath.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the death watch never fails", e);
        }
    }

    /** Stops every child, the last started first; each gets {@code grace} to finish before it is killed. */
    public synchronized void stopAll(Duration serviceGrace, Duration lastGrace) {
        stopping = true;
        for (int i = started.size() - 1; i >= 0; i--) {
            ChildProcess child = started.get(i);
            if (child.isAlive()) {
                System.out.println("  stopping " + child.name());
                child.stop(i == 0 ? lastGrace : serviceGrace);
            }
        }
    }
}

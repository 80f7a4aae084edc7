package dev.chatcentral.localstack.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.chatcentral.localstack.StackException;

/**
 * The long-running children of the stack, in start order, each in its place with the process that runs it now.
 * Stopping goes in reverse order (services before the broker they depend on), and once it has begun nothing starts
 * any more. A child that ends on its own fails the start, until a {@link DeathListener} supervises them; each
 * child's pid is in {@link PidFiles} while it runs.
 */
public final class Children {

    /** Told, while the stack runs, of a child that ended on its own; called with the children locked: be quick. */
    public interface DeathListener {
        void died(ChildProcess dead, Launch launch);
    }

    private final PidFiles pidFiles;
    private final List<Place> places = new ArrayList<>();
    private final CompletableFuture<ChildProcess> firstDeath = new CompletableFuture<>();
    private DeathListener listener;
    private boolean stopping;

    public Children(PidFiles pidFiles) {
        this.pidFiles = pidFiles;
    }

    /** Starts a child; {@code grace} is how long it may take to stop before it is killed. */
    public synchronized ChildProcess start(Launch launch, Duration grace) {
        if (stopping) {
            throw new StackException("the stack is stopping; nothing more is started");
        }
        Place place = new Place(launch, grace);
        ChildProcess child = run(place);
        places.add(place);
        return child;
    }

    /** Starts the child that ran as {@code dead} again; null when the stack is stopping. */
    public synchronized ChildProcess restart(ChildProcess dead) {
        if (stopping) {
            return null;
        }
        for (Place place : places) {
            if (place.current == dead) {
                return run(place);
            }
        }
        throw new IllegalArgumentException(dead.name() + " (pid " + dead.pid() + ") is no child of the stack");
    }

    /**
     * From now on a child that ends on its own goes to {@code deaths}. Fails with the death report when one
     * ended already: the stack is not up.
     */
    public synchronized void supervise(DeathListener deaths) {
        String report = deathReport();
        if (report != null) {
            throw new StackException(report);
        }
        this.listener = deaths;
    }

    public synchronized boolean isEmpty() {
        return places.isEmpty();
    }

    public synchronized boolean isStopping() {
        return stopping;
    }

    /** What died before supervision began, where its log is and how it ends; null while every child lives. */
    public String deathReport() {
        ChildProcess dead = firstDeath.getNow(null);
        if (dead == null) {
            return null;
        }
        return dead.name() + " exited on its own, " + dead.exitDescription() + "; its log: " + dead.log()
                + "\n--- end of " + dead.log().getFileName() + " ---\n" + dead.logTail(25);
    }

    /**
     * Stops every child, the last started first, each within its grace. Restarts that come later find the stack
     * stopping and start nothing; one under way has started its process before this takes the lock, and it is
     * stopped with the rest.
     */
    public void stopAll() {
        List<Place> order;
        synchronized (this) {
            stopping = true;
            order = new ArrayList<>(places);
        }
        for (int i = order.size() - 1; i >= 0; i--) {
            ChildProcess child = order.get(i).current;
            if (child.isAlive()) {
                System.out.println("  stopping " + child.name());
                child.stop(order.get(i).grace);
            }
            // the exit watch may not get to it before the stack's JVM halts
            pidFiles.remove(child.name(), child.pid());
        }
    }

    private ChildProcess run(Place place) {
        ChildProcess child = place.launch.start();
        place.current = child;
        pidFiles.write(child.name(), child.pid());
        child.process().onExit().thenRun(() -> exited(place, child));
        return child;
    }

    private synchronized void exited(Place place, ChildProcess child) {
        pidFiles.remove(child.name(), child.pid());
        if (stopping || place.current != child) {
            return;
        }
        if (listener == null) {
            firstDeath.complete(child);
        } else {
            listener.died(child, place.launch);
        }
    }

    /** Where one child lives: how to start it, how long it may take to stop, and the process running it now. */
    private static final class Place {
        private final Launch launch;
        private final Duration grace;
        private ChildProcess current;

        Place(Launch launch, Duration grace) {
            this.launch = launch;
            this.grace = grace;
        }
    }
}

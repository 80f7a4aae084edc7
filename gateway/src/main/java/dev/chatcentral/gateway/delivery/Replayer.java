package dev.chatcentral.gateway.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.kafka.CommittedTopic;
import dev.chatcentral.service.kafka.RangeReader;

/**
 * Reads the events a subscription with {@code since} missed, straight from the empresa's partition of
 * {@code chat.events}: any node can resume any client, since everything comes from Kafka. Each turn is one bounded
 * read of a {@link RangeReader} (read_committed, manual assignment, like the live one, on a consumer of its own
 * taken from a small pool), so replays neither wait for each other's reads nor pay a consumer's start-up each time.
 *
 * <p>The few replay threads are shared fairly ({@link ReplayQueue}): a session's resumes wait as one and run in one
 * read, empresas take turns, and a client that stops reading is closed as too slow (4500) after a short stall
 * instead of holding a thread until the replay times out. What is read goes to the {@link Replay}, which also hears
 * how the read ended.
 */
@Component
public class Replayer implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(Replayer.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final String RETRY = "cannot replay the missed events now, subscribe again";

    private final RangeReader<String, RealtimeEvent> reader;
    private final Duration timeout;
    private final Duration stallTimeout;
    private final int queuedPerEmpresa;
    private final ReplayQueue queue;
    private final ExecutorService executor;

    public Replayer(KafkaProperties kafka, DeliveryProperties delivery) {
        this.reader = new RangeReader<>(CommittedTopic.of(Topics.EVENTS.name(), Topics.EVENTS.keySerde(),
                Topics.EVENTS.valueSerde(), kafka.buildConsumerProperties(), "gateway-replay"), POLL);
        this.timeout = delivery.replayTimeout();
        this.stallTimeout = delivery.replayStallTimeout();
        this.queuedPerEmpresa = delivery.replayQueuePerEmpresa();
        this.queue = new ReplayQueue(queuedPerEmpresa);
        AtomicInteger threads = new AtomicInteger();
        // one task per place in the ReplayQueue, so this executor's own queue is bounded by it
        this.executor = new ThreadPoolExecutor(delivery.replayConcurrency(), delivery.replayConcurrency(),
                60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread thread = new Thread(r, "chat-events-replay-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    void replay(Replay replay) {
        switch (queue.offer(replay)) {
            case QUEUED -> schedule();
            case JOINED -> { }
            case REFUSED -> replay.fail("the most sessions of your empresa (" + queuedPerEmpresa
                    + ") are already waiting to resume on this node: subscribe again shortly");
        }
    }

    private void schedule() {
        try {
            executor.execute(this::turn);
        } catch (RejectedExecutionException e) {
            log.debug("replay not scheduled, the node is stopping");
        }
    }

    private void turn() {
        ReplayQueue.Turn turn = queue.next();
        try {
            if (!turn.replays().isEmpty() && !turn.session().isClosing()) {
                run(turn.replays());
            }
        } finally {
            if (queue.finished(turn.session())) {
                schedule();
            }
        }
    }

    /** Runs replays of one session, so of one partition, in one read from the lowest {@code since} on. */
    private void run(List<Replay> replays) {
        Resume resume = new Resume(replays);
        try {
            if (!reader.read(replays.get(0).partition, timeout, resume)) {
                fail(resume.open);
            }
        } catch (KafkaException e) {
            log.warn("replay of partition {} for session {} failed: {}", replays.get(0).partition,
                    resume.session.id(), e.getMessage());
            fail(resume.open);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void fail(List<Replay> open) {
        open.forEach(replay -> replay.fail(RETRY));
    }

    /**
     * One read for the replays of a session: hands each event to the open replays (each subscription's floor keeps
     * the positions up to its own {@code since} out), and completes a replay once the read reaches its
     * {@code liveNext}. Replays still open when time runs out are failed; when the session is closing, nobody is
     * left to tell.
     */
    private final class Resume implements RangeReader.Range<String, RealtimeEvent> {

        final ClientSession session;
        final List<Replay> replays;
        final List<Replay> open;
        long deadline;

        Resume(List<Replay> replays) {
            this.session = replays.get(0).session;
            this.replays = replays;
            this.open = new ArrayList<>(replays);
        }

        @Override
        public OptionalLong start(long logStart, long end) {
            deadline = System.nanoTime() + timeout.toNanos();
            for (Replay replay : replays) {
                // before the log start: deleted by retention; at or past the end: not a position of this log
                boolean recovered = replay.since + 1 >= logStart && replay.since < end;
                if (!recovered || replay.since + 1 >= replay.liveNext) {
                    open.remove(replay);
                    replay.complete(recovered);
                }
            }
            return open.isEmpty() ? OptionalLong.empty()
                    : OptionalLong.of(open.stream().mapToLong(replay -> replay.since).min().orElseThrow() + 1);
        }

        /** Completes the replays that the read has taken to their {@code liveNext}: the live fan-out has the rest. */
        @Override
        public boolean reached(long position) {
            for (Iterator<Replay> it = open.iterator(); it.hasNext(); ) {
                Replay replay = it.next();
                if (replay.liveNext <= position) {
                    it.remove();
                    replay.complete(true);
                }
            }
            return !open.isEmpty() && !session.isClosing();
        }

        @Override
        public boolean accept(ConsumerRecord<String, RealtimeEvent> record) throws InterruptedException {
            RealtimeEvent event = record.value();
            // typing and service figures are shown live and never replayed (docs/protocol.md)
            if (event == null || event.id() == null || event.empresaId() == null || event.type() == null
                    || event.channels() == null || EventFrame.isEphemeral(event)) {
                return true;
            }
            if (!awaitReader()) {
                if (!session.isClosing()) {
                    fail(open);
                }
                open.clear();
                return false;
            }
            for (Replay replay : open) {
                replay.deliver(event, record.offset());
            }
            return true;
        }

        /**
         * Waits while the session's queue is more than half full, so a replay never overflows a client that reads
         * at a normal pace. A client that reads nothing for the stall timeout is closed as too slow (4500: it
         * reconnects and resumes) rather than holding this thread, which other clients' resumes need. False when
         * the session is closing or the replay's time ran out.
         */
        private boolean awaitReader() throws InterruptedException {
            long left = deadline - System.nanoTime();
            if (session.awaitCapacity(Duration.ofNanos(Math.max(0, Math.min(left, stallTimeout.toNanos()))))) {
                return true;
            }
            if (left > stallTimeout.toNanos()) {
                session.overflow();
            }
            return false;
        }
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
        reader.close();
    }
}

package dev.chatcentral.bench.gateway;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import tools.jackson.databind.JsonNode;

import dev.chatcentral.bench.gateway.WebSocketClients.Connection;
import dev.chatcentral.schemas.serde.Json;

/**
 * Agents' connections as a console opens them: connect with a token, wait for {@code connected}, subscribe to
 * channels (optionally with {@code since}), done at the last {@code subscribed}. Event frames, replayed or live,
 * go to the benchmark's handler with the time they were read; the receipt time is taken before any parsing.
 */
public final class SubscribedClients implements AutoCloseable {

    /** An event frame (anything with a {@code position} that is not {@code subscribed}). */
    public interface EventHandler {
        void onEvent(Connection connection, JsonNode frame, long receivedMicros);

        /** The connection ended ({@code code} 1006 when it broke without a close frame). */
        default void onClose(Connection connection, int code) {
        }
    }

    /**
     * What a connection asks for. {@code target} is the upgrade's request target: the gateway's
     * {@code /ws?token=...} unless given, another relay's own (which may send {@code subscribed} without being asked).
     */
    public record Plan(InetSocketAddress server, InetAddress local, String token, List<String> channels, Long since,
                       String target) {

        public Plan(InetSocketAddress server, InetAddress local, String token, List<String> channels, Long since) {
            this(server, local, token, channels, since, "/ws?token=" + token);
        }
    }

    /** A connection whose subscriptions were all answered; {@code position} is that of the last one. */
    public record Subscribed(Connection connection, long position, String node) {
    }

    /** The outcome of opening many connections. */
    public record Opened(List<Subscribed> subscribed, Map<String, Integer> failures, double seconds) {
        public int failed() {
            return failures.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private static final class Setup {
        final CompletableFuture<Subscribed> done = new CompletableFuture<>();
        final Plan plan;
        int answered;
        String node;

        Setup(Plan plan) {
            this.plan = plan;
        }
    }

    private final WebSocketClients clients;
    private final EventHandler handler;
    private final Map<Integer, Integer> closeCodes = new ConcurrentHashMap<>();
    private final AtomicLong errorFrames = new AtomicLong();

    public SubscribedClients(EventHandler handler) throws IOException {
        this.handler = handler;
        this.clients = new WebSocketClients(new WebSocketClients.Listener() {
            @Override
            public void onText(Connection connection, String text, long receivedMicros) {
                frame(connection, text, receivedMicros);
            }

            @Override
            public void onClose(Connection connection, int code) {
                closeCodes.merge(code, 1, Integer::sum);
                if (connection.attachment instanceof Setup setup) {
                    setup.done.completeExceptionally(new IOException("closed with " + code));
                }
                handler.onClose(connection, code);
            }
        });
    }

    public CompletableFuture<Subscribed> open(Plan plan) {
        Setup setup = new Setup(plan);
        clients.connect(plan.server(), plan.local(), plan.target()).whenComplete((connection, error) -> {
            if (error != null) {
                setup.done.completeExceptionally(error);
            } else {
                connection.attachment = setup;
            }
        });
        return setup.done;
    }

    /**
     * Opens {@code count} connections, at most {@code concurrency} handshakes at a time (the way a fleet of
     * browsers arrives, and without overflowing the server's accept backlog), and sorts the failures by reason.
     */
    public Opened openAll(int count, int concurrency, IntFunction<Plan> plans) throws InterruptedException {
        Semaphore inFlight = new Semaphore(concurrency);
        List<Subscribed> subscribed = new ArrayList<>();
        Map<String, Integer> failures = new TreeMap<>();
        long start = System.nanoTime();
        List<CompletableFuture<Subscribed>> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            CompletableFuture<Subscribed> one = open(plans.apply(i));
            one.whenComplete((s, e) -> inFlight.release());
            all.add(one);
        }
        for (CompletableFuture<Subscribed> one : all) {
            try {
                subscribed.add(one.join());
            } catch (CompletionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                String reason = String.valueOf(cause.getMessage());
                failures.merge(reason.length() > 120 ? reason.substring(0, 120) : reason, 1, Integer::sum);
            }
        }
        return new Opened(subscribed, failures, (System.nanoTime() - start) / 1e9);
    }

    /** The plan a connection was opened with, null before its upgrade was answered. */
    public Plan planOf(Connection connection) {
        return connection.attachment instanceof Setup setup ? setup.plan : null;
    }

    void send(Connection connection, String text) {
        clients.send(connection, text);
    }

    public void abort(Connection connection) {
        clients.abort(connection);
    }

    public Map<Integer, Integer> closeCodes() {
        return new TreeMap<>(closeCodes);
    }

    public long errorFrames() {
        return errorFrames.get();
    }

    private void frame(Connection connection, String text, long receivedMicros) {
        JsonNode frame = Json.MAPPER.readTree(text);
        String type = frame.path("type").asString();
        Setup setup = connection.attachment instanceof Setup s && !s.done.isDone() ? s : null;
        switch (type) {
            case "connected" -> {
                if (setup != null) {
                    setup.node = frame.path("node").asString();
                    for (String channel : setup.plan.channels()) {
                        clients.send(connection, "{\"type\":\"subscribe\",\"channel\":\"" + channel + "\""
                                + (setup.plan.since() == null ? "" : ",\"since\":" + setup.plan.since()) + "}");
                    }
                }
            }
            case "subscribed" -> {
                if (setup != null && ++setup.answered == setup.plan.channels().size()) {
                    setup.done.complete(new Subscribed(connection, frame.path("position").asLong(), setup.node));
                }
            }
            case "error" -> {
                errorFrames.incrementAndGet();
                if (setup != null) {
                    setup.done.completeExceptionally(new IOException("error frame " + text));
                }
            }
            case "closing", "pong", "unsubscribed", "refreshed", "presence_snapshot" -> {
                // control frames the benchmarks do not measure
            }
            default -> handler.onEvent(connection, frame, receivedMicros);
        }
    }

    @Override
    public void close() {
        clients.close();
    }
}

package dev.chatcentral.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A browser stand-in: a real WebSocket connection that keeps every JSON frame it receives, in order, so tests
 * can wait for a frame and assert on what did (and did not) arrive.
 */
public final class WebSocketTestClient implements AutoCloseable {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private WebSocketTestClient(URI uri) {
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, new Collector())
                .join();
    }

    /** Connects to {@code ws://host:port/ws?token=...}; fails (CompletionException) when the handshake is refused. */
    public static WebSocketTestClient connect(String wsUrl, String token) {
        return new WebSocketTestClient(URI.create(wsUrl + "?token=" + token));
    }

    public void send(String json) {
        socket.sendText(json, true).join();
    }

    public void subscribe(String channel) {
        send("{\"type\":\"subscribe\",\"channel\":\"" + channel + "\"}");
        awaitFrame(f -> "subscribed".equals(f.path("type").asString()) && channel.equals(f.path("channel").asString()),
                Duration.ofSeconds(10));
    }

    public List<JsonNode> frames() {
        return List.copyOf(frames);
    }

    /** Frames whose {@code type} is the given one. */
    public List<JsonNode> framesOfType(String type) {
        return frames.stream().filter(f -> type.equals(f.path("type").asString())).toList();
    }

    public JsonNode awaitFrame(Predicate<JsonNode> matching, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode frame : frames) {
                if (matching.test(frame)) {
                    return frame;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        throw new AssertionError("no matching frame within " + timeout + "; received " + frames);
    }

    /** The close code the server sent, once it closed the connection. */
    public CompletableFuture<Integer> closeCode() {
        return closed;
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null).join();
        }
        socket.abort();
    }

    private final class Collector implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(MAPPER.readTree(partial.toString()));
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}

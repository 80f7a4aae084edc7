package dev.chatcentral.gateway.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** An EventSource stand-in: reads an SSE stream on its own thread and keeps each message's data and id. */
public final class SseTestClient implements AutoCloseable {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    private final List<String> ids = new CopyOnWriteArrayList<>();
    private final HttpResponse<Stream<String>> response;
    private final Thread reader;

    private SseTestClient(HttpResponse<Stream<String>> response) {
        this.response = response;
        this.reader = new Thread(() -> {
            try (Stream<String> lines = response.body()) {
                lines.forEach(line -> {
                    if (line.startsWith("data:")) {
                        frames.add(MAPPER.readTree(line.substring(5).trim()));
                    } else if (line.startsWith("id:")) {
                        ids.add(line.substring(3).trim());
                    }
                });
            } catch (RuntimeException e) {
                // the stream was closed by the test or the server
            }
        }, "sse-test-client");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens the stream; {@code lastEventId} null for a fresh one. Status other than 200 is in {@link #status()}. */
    public static SseTestClient open(URI uri, String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(60));
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return new SseTestClient(HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofLines()));
    }

    public int status() {
        return response.statusCode();
    }

    public List<JsonNode> frames() {
        return List.copyOf(frames);
    }

    public List<String> ids() {
        return List.copyOf(ids);
    }

    @Override
    public void close() {
        reader.interrupt();
        response.body().close();
    }
}

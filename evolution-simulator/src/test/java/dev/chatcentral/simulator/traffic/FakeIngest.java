package dev.chatcentral.simulator.traffic;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.schemas.serde.Json;

/** Stands for the ingest in the simulator's tests: records every webhook posted and answers with a set status. */
public final class FakeIngest implements AutoCloseable {

    public record Received(String path, String authorization, JsonNode body) {
    }

    public final List<Received> received = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private volatile int status = 200;

    public FakeIngest() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake ingest", e);
        }
        server.createContext("/", exchange -> {
            received.add(new Received(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes())));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The status every later webhook is answered with. */
    public void answer(int status) {
        this.status = status;
    }

    /** The bodies of the webhooks posted for {@code empresaId}, oldest first. */
    public List<JsonNode> of(String empresaId) {
        return received.stream().filter(r -> r.path().equals("/webhooks/evolution/" + empresaId))
                .map(Received::body).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package dev.chatcentral.bench.peers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;

import dev.chatcentral.bench.ServiceProcess;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.service.security.DevelopmentSecrets;

/**
 * Peer B, the Socket.IO relay ({@code bench/peers/socketio/README.md}), measured with its own load client
 * ({@code client.mjs}, socket.io-client) as a separate Node process: tokens signed with the same secret as the
 * gateway's, one room per empresa, events published with {@code POST /publish}, a copy's latency from just before
 * the publish to its reading.
 */
final class SocketIoRelay implements Relay {

    private static final Path DIRECTORY = Path.of("bench/peers/socketio");

    private final PeerProcess server;
    private final String url;

    private SocketIoRelay(PeerProcess server) {
        this.server = server;
        this.url = "http://127.0.0.1:" + server.port();
    }

    static SocketIoRelay start() throws Exception {
        int port = ServiceProcess.freePort();
        return new SocketIoRelay(PeerProcess.start("side-socketio", List.of("node",
                        DIRECTORY.resolve("server.mjs").toString(), Integer.toString(port)),
                Map.of("AGENT_JWT_SECRET", DevelopmentSecrets.AGENT_JWT_SECRET), port, "/health"));
    }

    @Override
    public String name() {
        return "socket.io";
    }

    @Override
    public Idle idle(int connections) throws Exception {
        client(List.of("idle", url, Integer.toString(WARM_CONNECTIONS), Integer.toString(WARM_HOLD_MS / 1000), "1"),
                Duration.ofMinutes(2));
        Thread.sleep(WARM_HOLD_MS);
        long rssBefore = ServiceProcess.residentBytes(server.pid());
        Process holding = clientProcess(List.of("idle", url, Integer.toString(connections),
                Integer.toString(HOLD_SECONDS + 60), "1"));
        try {
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (connections(server) < connections && System.nanoTime() < deadline && holding.isAlive()) {
                Thread.sleep(500);
            }
            Thread.sleep(HOLD_SECONDS * 1000L);
            int open = connections(server);
            long rssAfter = ServiceProcess.residentBytes(server.pid());
            return new Idle(name(), connections, open, (rssAfter - rssBefore) / 1024.0 / Math.max(1, open),
                    Double.NaN);
        } finally {
            holding.destroy();
            holding.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public Fanout fanout(int subscribers) throws Exception {
        JsonNode result = client(List.of("fanout", url, Integer.toString(subscribers), Integer.toString(EVENTS),
                Integer.toString(PAUSE_MS), Integer.toString(WARM_UP_EVENTS), Integer.toString(CLIENT_THREADS)),
                Duration.ofMinutes(5));
        JsonNode last = result.path("lastCopyMs");
        JsonNode every = result.path("everyCopyMs");
        return new Fanout(name(), subscribers, (long) subscribers * EVENTS, every.path("count").asLong(),
                last.path("p50").asDouble(), last.path("p99").asDouble(), every.path("p99").asDouble());
    }

    private static int connections(PeerProcess server) throws Exception {
        return Json.MAPPER.readTree(server.get("/health")).path("connections").asInt();
    }

    /** Runs the load client to its end and reads the one JSON line it prints. */
    private static JsonNode client(List<String> args, Duration timeout) throws Exception {
        Process process = clientProcess(args);
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("client.mjs " + args.get(0) + " did not finish in " + timeout);
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.exitValue() != 0 || out.isEmpty()) {
            throw new IllegalStateException("client.mjs " + args + " exited " + process.exitValue() + ": "
                    + new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        return Json.MAPPER.readTree(out.substring(out.lastIndexOf('\n') + 1));
    }

    private static Process clientProcess(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of("node", DIRECTORY.resolve("client.mjs").toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("AGENT_JWT_SECRET", DevelopmentSecrets.AGENT_JWT_SECRET);
        return builder.start();
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}

package dev.chatcentral.bench.chaos;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.JsonNode;

import dev.chatcentral.bench.gateway.SubscribedClients;
import dev.chatcentral.bench.gateway.WebSocketClients.Connection;
import dev.chatcentral.testing.AgentTokens;

/**
 * Agents subscribed to their empresa's channel through the gateway load balancer, so spread over every gateway.
 * A client whose connection ends (its gateway killed) connects again through the balancer and resumes with
 * {@code since} = the last position it saw, as docs/protocol.md tells a client to. Each one counts what it got:
 * every mensagem's key id (twice is a duplicate), positions that do not grow (out of order, or a replay sent again),
 * and frames of another empresa.
 */
final class Subscribers implements AutoCloseable {

    private static final long RECONNECT_DELAY_MILLIS = 300;

    /** One agent's view. */
    static final class Client {
        final String userId;
        final String empresaId;
        final String channel;
        final String token;
        volatile long lastPosition = -2;
        final Map<String, Integer> received = new ConcurrentHashMap<>();
        /** Key id to when it was first read (nanoTime). */
        final Map<String, Long> receivedAt = new ConcurrentHashMap<>();
        final AtomicLong outOfOrder = new AtomicLong();
        final AtomicLong foreign = new AtomicLong();
        final AtomicLong reconnects = new AtomicLong();
        volatile String node;
        volatile boolean connected;

        Client(String userId, String empresaId, String token) {
            this.userId = userId;
            this.empresaId = empresaId;
            this.channel = "empresa:" + empresaId;
            this.token = token;
        }
    }

    private final InetSocketAddress gateway;
    private final Map<String, Client> byToken = new ConcurrentHashMap<>();
    private final List<Client> clients = new ArrayList<>();
    private final SubscribedClients connections;
    private final ScheduledExecutorService reconnect = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "subscriber-reconnect");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean closing;

    Subscribers(int gatewayPort) throws IOException {
        this.gateway = new InetSocketAddress("127.0.0.1", gatewayPort);
        this.connections = new SubscribedClients(new SubscribedClients.EventHandler() {
            @Override
            public void onEvent(Connection connection, JsonNode frame, long receivedMicros) {
                event(connection, frame);
            }

            @Override
            public void onClose(Connection connection, int code) {
                closed(connection);
            }
        });
    }

    /** Opens {@code perEmpresa} clients for each empresa and waits until all are subscribed. */
    void open(List<String> empresas, int perEmpresa, String agentJwtSecret) throws InterruptedException {
        for (String empresa : empresas) {
            for (int i = 0; i < perEmpresa; i++) {
                String userId = "chaos-" + empresa + "-" + i;
                String token = AgentTokens.mint(agentJwtSecret, userId, empresa, List.of("atendente"),
                        Instant.now().plusSeconds(12 * 3600));
                Client client = new Client(userId, empresa, token);
                clients.add(client);
                byToken.put(token, client);
                connect(client);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (clients.stream().anyMatch(c -> !c.connected) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        long missing = clients.stream().filter(c -> !c.connected).count();
        if (missing > 0) {
            throw new IllegalStateException(missing + " of " + clients.size() + " clients could not subscribe");
        }
    }

    List<Client> clients() {
        return clients;
    }

    /** Clients by the gateway node serving them now. */
    Map<String, Long> byNode() {
        Map<String, Long> nodes = new ConcurrentHashMap<>();
        clients.forEach(c -> nodes.merge(String.valueOf(c.node), 1L, Long::sum));
        return nodes;
    }

    long reconnects() {
        return clients.stream().mapToLong(c -> c.reconnects.get()).sum();
    }

    private void connect(Client client) {
        Long since = client.lastPosition >= -1 ? client.lastPosition : null;
        connections.open(new SubscribedClients.Plan(gateway, null, client.token, List.of(client.channel), since))
                .whenComplete((subscribed, error) -> {
                    if (error != null) {
                        retry(client);
                        return;
                    }
                    if (client.lastPosition < -1) {
                        // the first subscription: live from here on, and this is where a resume starts
                        client.lastPosition = subscribed.position();
                    }
                    client.node = subscribed.node();
                    client.connected = true;
                });
    }

    private void closed(Connection connection) {
        SubscribedClients.Plan plan = connections.planOf(connection);
        Client client = plan == null ? null : byToken.get(plan.token());
        if (client == null || closing) {
            return;
        }
        if (client.connected) {
            client.connected = false;
            client.reconnects.incrementAndGet();
            retry(client);
        }
    }

    private void retry(Client client) {
        if (!closing) {
            reconnect.schedule(() -> connect(client), RECONNECT_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void event(Connection connection, JsonNode frame) {
        SubscribedClients.Plan plan = connections.planOf(connection);
        Client client = plan == null ? null : byToken.get(plan.token());
        if (client == null) {
            return;
        }
        long now = System.nanoTime();
        // every event of an empresa channel names its conversa, and the conversa its empresa
        String empresa = frame.path("data").path("conversa").path("empresaId").asString();
        if (!client.channel.equals(frame.path("channel").asString())
                || (empresa != null && !empresa.isEmpty() && !client.empresaId.equals(empresa))) {
            client.foreign.incrementAndGet();
            return;
        }
        long position = frame.path("position").asLong(-1);
        synchronized (client) {
            if (position <= client.lastPosition) {
                client.outOfOrder.incrementAndGet();
            } else {
                client.lastPosition = position;
            }
        }
        if ("message_notification".equals(frame.path("type").asString())) {
            String keyId = frame.path("data").path("mensagem").path("keyId").asString();
            client.received.merge(keyId, 1, Integer::sum);
            client.receivedAt.putIfAbsent(keyId, now);
        }
    }

    @Override
    public void close() {
        closing = true;
        reconnect.shutdownNow();
        connections.close();
    }
}

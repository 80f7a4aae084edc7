package dev.chatcentral.bench.peers;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.chatcentral.bench.Latencies;
import dev.chatcentral.bench.ServiceProcess;
import dev.chatcentral.bench.gateway.Events;
import dev.chatcentral.bench.gateway.SubscribedClients;
import dev.chatcentral.schemas.event.Channel;
import dev.chatcentral.testing.AgentTokens;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/**
 * chat-central's gateway, one node from its exec jar, with a broker and a database. Events are written to
 * {@code chat.events} as the stream-processor writes them, stamped at the write: a copy's latency runs from there
 * to its reading by the subscriber, the gateway's Kafka read included.
 */
final class GatewayRelay implements Relay {

    private static final String EMPRESA = "emp-fanout";
    private static final int MAX_CONNECTIONS = 10_500;

    private final TestKafka kafka;
    private final TestDatabase database;
    private final ServiceProcess gateway;
    private final InetSocketAddress server;

    private GatewayRelay(TestKafka kafka, TestDatabase database, ServiceProcess gateway) {
        this.kafka = kafka;
        this.database = database;
        this.gateway = gateway;
        this.server = new InetSocketAddress("127.0.0.1", gateway.port());
    }

    static GatewayRelay start() throws Exception {
        TestKafka kafka = TestKafka.start();
        TestDatabase database = TestDatabase.create();
        String limit = Integer.toString(MAX_CONNECTIONS);
        try {
            // the whole heap touched at start: the resident memory the connections add is then what they hold
            // outside it, not the young-generation regions the collector happened to touch while they were opened
            return new GatewayRelay(kafka, database, ServiceProcess.start("side-gateway-relay",
                    ServiceProcess.execJar("gateway"), "1g", List.of("-XX:+AlwaysPreTouch"), kafka, database, Map.of("WEBSOCKET_MAX_CONNECTIONS", limit,
                            // every connection is of one empresa, as peer B's room has no cap
                            "WEBSOCKET_MAX_CONNECTIONS_PER_EMPRESA", limit,
                            // Tomcat's own cap (8192 by default) would refuse before the gateway's limit
                            "SERVER_TOMCAT_MAXCONNECTIONS", limit, "SERVER_TOMCAT_ACCEPTCOUNT", "1000")));
        } catch (Exception e) {
            database.close();
            kafka.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "chat-central";
    }

    @Override
    public Idle idle(int connections) throws Exception {
        try (SubscribedClients warm = new SubscribedClients((connection, frame, received) -> { })) {
            open(warm, WARM_CONNECTIONS, 0);
            Thread.sleep(WARM_HOLD_MS);
        }
        Thread.sleep(WARM_HOLD_MS);
        try (SubscribedClients clients = new SubscribedClients((connection, frame, received) -> { })) {
            long heapBefore = gateway.heapUsedAfterGc();
            long rssBefore = gateway.residentBytes();
            SubscribedClients.Opened opened = open(clients, connections, WARM_CONNECTIONS);
            Thread.sleep(HOLD_SECONDS * 1000L);
            long open = opened.subscribed().stream().filter(s -> !s.connection().isClosed()).count();
            long heapAfter = gateway.heapUsedAfterGc();
            long rssAfter = gateway.residentBytes();
            int n = Math.max(1, opened.subscribed().size());
            double heapPerConnection = (heapAfter - heapBefore) / 1024.0 / n;
            return new Idle(name(), connections, (int) open,
                    (rssAfter - rssBefore) / 1024.0 / n + heapPerConnection, heapPerConnection);
        }
    }

    @Override
    public Fanout fanout(int subscribers) throws Exception {
        Map<String, Published> pending = new ConcurrentHashMap<>();
        List<SubscribedClients> shards = new ArrayList<>();
        try (Events events = new Events(kafka)) {
            for (int t = 0; t < CLIENT_THREADS; t++) {
                shards.add(new SubscribedClients((connection, frame, receivedMicros) -> {
                    String id = frame.path("id").asString();
                    Published event = pending.get(id);
                    if (event != null) {
                        event.copies().record(receivedMicros - Events.micros(frame.path("ts").asString()));
                        event.all().countDown();
                    }
                }));
            }
            for (int t = 0; t < CLIENT_THREADS; t++) {
                int shard = t;
                int count = subscribers / CLIENT_THREADS + (t < subscribers % CLIENT_THREADS ? 1 : 0);
                SubscribedClients.Opened opened = open(shards.get(shard), count, shard * 1_000_000);
                if (opened.failed() > 0) {
                    throw new IllegalStateException("subscribers refused: " + opened.failures());
                }
            }
            Latencies lastCopies = new Latencies();
            Latencies everyCopy = new Latencies();
            long expected = 0;
            long measuredReceived = 0;
            for (int i = 0; i < WARM_UP_EVENTS + EVENTS; i++) {
                String id = UUID.randomUUID().toString();
                Published event = new Published(new CountDownLatch(subscribers), new Latencies());
                pending.put(id, event);
                events.send(id, EMPRESA, Channel.empresa(EMPRESA));
                boolean complete = event.all().await(30, TimeUnit.SECONDS);
                pending.remove(id);
                if (i >= WARM_UP_EVENTS) {
                    long[] samples = event.copies().snapshot();
                    expected += subscribers;
                    measuredReceived += samples.length;
                    for (long sample : samples) {
                        everyCopy.record(sample);
                    }
                    lastCopies.record(complete ? Arrays.stream(samples).max().orElse(0) : 30_000_000);
                }
                Thread.sleep(PAUSE_MS);
            }
            return new Fanout(name(), subscribers, expected, measuredReceived, lastCopies.percentileMillis(50),
                    lastCopies.percentileMillis(99), everyCopy.percentileMillis(99));
        } finally {
            shards.forEach(SubscribedClients::close);
        }
    }

    /** An event written for the fan-out: its copies' latencies, and a count of the copies still to arrive. */
    private record Published(CountDownLatch all, Latencies copies) {
    }

    /** Opens {@code count} subscribers of the fan-out empresa (users {@code first}…), 100 handshakes at a time. */
    private SubscribedClients.Opened open(SubscribedClients clients, int count, int first) throws Exception {
        InetAddress local = InetAddress.getByName("127.0.0.2");
        return clients.openAll(count, 100, i -> new SubscribedClients.Plan(server, local,
                AgentTokens.atendente("u-" + (first + i), EMPRESA), List.of(Channel.empresa(EMPRESA)), null));
    }

    @Override
    public void close() throws Exception {
        gateway.close();
        database.close();
        kafka.close();
    }
}

package dev.chatcentral.bench.gateway;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.chatcentral.bench.Latencies;
import dev.chatcentral.bench.OpenLoop;
import dev.chatcentral.bench.ServiceProcess;
import dev.chatcentral.schemas.event.Channel;
import dev.chatcentral.testing.AgentTokens;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/**
 * Typing propagation across gateway nodes (issue 7: p99 at most 250 ms at 1,000 typing events/s). Two gateway
 * nodes and the stream-processor (its presence topology) run as their own processes against one broker and one
 * database. Agents on node 1 type in their conversas: each alternates {@code typing_start} and {@code typing_stop}
 * per conversa, so every frame is an edge the processor turns into one event, at a fixed total rate (open loop,
 * each agent well under the gateway's per-connection frame rate). Agents on node 2 follow all those conversas and
 * measure, for every event, the time from the frame being due on node 1 to its receipt. Prints one Markdown row.
 *
 * <pre>bench/presence-typing.sh [typing events per second, default 1000] [seconds measured, default 30]
 *     [empresas, default 4]</pre>
 */
public final class TypingBenchmark {

    /** An agent's frames per second: half the gateway's default CLIENT_FRAME_RATE, so none is rate-limited. */
    private static final int FRAMES_PER_AGENT = 10;
    private static final int CONVERSAS_PER_AGENT = 2;
    /** Subscriptions per watching connection, within the gateway's burst of client frames. */
    private static final int CHANNELS_PER_WATCHER = 20;

    private record Sent(boolean start, long dueMicros, boolean measured) {
    }

    private TypingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int empresas = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int warmupSeconds = 10;
        int agents = Math.max(empresas, (rate + FRAMES_PER_AGENT - 1) / FRAMES_PER_AGENT);
        String[][] conversas = new String[agents][CONVERSAS_PER_AGENT];
        for (String[] own : conversas) {
            for (int c = 0; c < CONVERSAS_PER_AGENT; c++) {
                own[c] = UUID.randomUUID().toString();
            }
        }
        Map<String, ArrayDeque<Sent>> inFlight = new ConcurrentHashMap<>();
        Set<Integer> watchers = ConcurrentHashMap.newKeySet();
        Latencies latencies = new Latencies();
        AtomicLong unexpected = new AtomicLong();
        Path stateDir = Files.createTempDirectory("bench-presence-state");
        try (TestKafka kafka = TestKafka.start(); TestDatabase database = TestDatabase.create();
             ServiceProcess processor = ServiceProcess.start("presence-processor", "stream-processor", "1g", kafka,
                     database, Map.of("STREAMS_STATE_DIR", stateDir.toString()));
             ServiceProcess node1 = ServiceProcess.start("presence-gateway-1", "gateway", "1g", kafka, database,
                     Map.of("GATEWAY_NODE_ID", "gateway-1"));
             ServiceProcess node2 = ServiceProcess.start("presence-gateway-2", "gateway", "1g", kafka, database,
                     Map.of("GATEWAY_NODE_ID", "gateway-2"));
             SubscribedClients clients = new SubscribedClients((connection, frame, receivedMicros) -> {
                 if (!watchers.contains(connection.id)) {
                     return;
                 }
                 String type = frame.path("type").asString();
                 String key = frame.path("data").path("userId").asString() + "|"
                         + frame.path("data").path("conversaId").asString();
                 ArrayDeque<Sent> queue = inFlight.get(key);
                 Sent sent = null;
                 if (queue != null) {
                     synchronized (queue) {
                         sent = queue.poll();
                     }
                 }
                 if (sent == null || sent.start() != "typing_start".equals(type)) {
                     unexpected.incrementAndGet();
                 } else if (sent.measured()) {
                     latencies.record(receivedMicros - sent.dueMicros());
                 }
             })) {
            seedConversas(database, conversas, empresas);
            InetAddress local = InetAddress.getByName("127.0.0.2");
            InetSocketAddress server1 = new InetSocketAddress("127.0.0.1", node1.port());
            InetSocketAddress server2 = new InetSocketAddress("127.0.0.1", node2.port());
            // the agents who type follow their own conversas, as a console shows the conversa one types in
            SubscribedClients.Opened typists = clients.openAll(agents, 50, a -> new SubscribedClients.Plan(server1,
                    local, AgentTokens.atendente("a-" + a, empresa(a, empresas)),
                    List.of(Channel.conversa(conversas[a][0]), Channel.conversa(conversas[a][1])), null));
            List<SubscribedClients.Plan> watching = new ArrayList<>();
            for (int e = 0; e < empresas; e++) {
                List<String> channels = new ArrayList<>();
                for (int a = e; a < agents; a += empresas) {
                    for (String conversa : conversas[a]) {
                        channels.add(Channel.conversa(conversa));
                    }
                }
                for (int from = 0; from < channels.size(); from += CHANNELS_PER_WATCHER) {
                    watching.add(new SubscribedClients.Plan(server2, local, AgentTokens.atendente(
                            "w-" + watching.size(), "emp-t" + e),
                            channels.subList(from, Math.min(channels.size(), from + CHANNELS_PER_WATCHER)), null));
                }
            }
            SubscribedClients.Opened watchersOpened = clients.openAll(watching.size(), 50, watching::get);
            watchersOpened.subscribed().forEach(s -> watchers.add(s.connection().id));
            if (typists.failed() + watchersOpened.failed() > 0) {
                throw new IllegalStateException("connections failed: " + typists.failures() + " "
                        + watchersOpened.failures());
            }
            long total = (long) rate * (warmupSeconds + seconds);
            long measuredFrom = (long) rate * warmupSeconds;
            long[] framesOf = new long[agents];
            long measured = 0;
            long start = System.nanoTime();
            OpenLoop schedule = new OpenLoop(start, rate);
            long startMicros = WebSocketClients.nowMicros();
            for (long i = 0; i < total; i++) {
                long due = schedule.awaitDue(i);
                int a = (int) (i % agents);
                long k = framesOf[a]++;
                String conversa = conversas[a][(int) (k % CONVERSAS_PER_AGENT)];
                boolean typingStart = (k / CONVERSAS_PER_AGENT) % 2 == 0;
                boolean counted = i >= measuredFrom;
                measured += counted ? 1 : 0;
                ArrayDeque<Sent> queue = inFlight.computeIfAbsent("a-" + a + "|" + conversa, x -> new ArrayDeque<>());
                synchronized (queue) {
                    queue.add(new Sent(typingStart, startMicros + (due - start) / 1000, counted));
                }
                clients.send(typists.subscribed().get(a).connection(), "{\"type\":\""
                        + (typingStart ? "typing_start" : "typing_stop") + "\",\"conversaId\":\"" + conversa + "\"}");
            }
            double achieved = total / ((System.nanoTime() - start) / 1e9);
            Thread.sleep(3000);
            System.out.printf(Locale.ROOT, "| typing frames/s (achieved) | agents typing | watchers | measured "
                    + "| received | p50 (ms) | p99 (ms) | max (ms) | unexpected | date |%n"
                    + "|---|---|---|---|---|---|---|---|---|---|%n");
            System.out.printf(Locale.ROOT, "| %d (%.0f) | %d | %d | %d | %d | %.2f | %.2f | %.2f | %d | %s |%n",
                    rate, achieved, agents, watching.size(), measured, latencies.count(),
                    latencies.percentileMillis(50), latencies.percentileMillis(99), latencies.percentileMillis(100),
                    unexpected.get(), LocalDate.now());
            if (clients.errorFrames() > 0) {
                System.out.println("error frames received: " + clients.errorFrames());
            }
            clients.closeCodes().forEach((code, count) -> System.out.println("closed " + count + "x with " + code));
        } finally {
            ServiceProcess.deleteTree(stateDir);
        }
        System.exit(0);
    }

    private static String empresa(int agent, int empresas) {
        return "emp-t" + (agent % empresas);
    }

    /** The conversas the agents type in, as the stream-processor's sink would have written them. */
    private static void seedConversas(TestDatabase database, String[][] conversas, int empresas) throws Exception {
        try (Connection c = database.connect()) {
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO empresa (id, nome) VALUES (?, ?) ON CONFLICT (id) DO NOTHING")) {
                for (int e = 0; e < empresas; e++) {
                    p.setString(1, "emp-t" + e);
                    p.setString(2, "Empresa " + e);
                    p.executeUpdate();
                }
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO conversa (id, empresa_id, instance, remote_jid,"
                    + " status, version, created_at, updated_at) VALUES (?, ?, 'bench-01', ?, 'em_atendimento', 1,"
                    + " now(), now())")) {
                for (int a = 0; a < conversas.length; a++) {
                    for (String conversa : conversas[a]) {
                        p.setObject(1, UUID.fromString(conversa));
                        p.setString(2, empresa(a, empresas));
                        p.setString(3, "55119" + (10000000 + a) + "@s.whatsapp.net");
                        p.addBatch();
                    }
                }
                p.executeBatch();
            }
        }
    }
}

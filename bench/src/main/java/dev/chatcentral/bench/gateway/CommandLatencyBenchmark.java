package dev.chatcentral.bench.gateway;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.bench.Latencies;
import dev.chatcentral.bench.OpenLoop;
import dev.chatcentral.bench.ServiceProcess;
import dev.chatcentral.schemas.event.Channel;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.testing.AgentTokens;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/**
 * Command to WebSocket (issue 5: p99 at most 150 ms). The stream-processor and the gateway run as their own
 * processes (exec jars) against one broker and one database. Conversas are created by customers' {@code
 * messages.upsert} webhooks written straight to {@code chat.webhooks}; once their rows are in PostgreSQL (the gateway
 * checks a command's conversa there), a supervisor subscribed to the empresa's channel sends {@code transfer}
 * command frames at a fixed rate (open loop), alternating each conversa between two atendentes who are connected
 * (so presence knows them), round robin over the conversas so that a conversa has at most one command in flight.
 * Latency = command frame due → the first {@code conversation_updated} or {@code conversation_transferred} of that
 * conversa showing the target as its atendente. Prints one Markdown row.
 *
 * <pre>bench/command-latency.sh [commands per second, default 50] [seconds measured, default 20]
 *     [conversas, default 200]</pre>
 */
public final class CommandLatencyBenchmark {

    private static final String EMPRESA = "emp-cmd";
    private static final String SUPERVISOR = "sup-1";
    private static final String[] TARGETS = {"at-a", "at-b"};

    /** The command in flight on a conversa. */
    private record Pending(String commandId, String target, long dueMicros, boolean measured) {
    }

    private CommandLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int conversaCount = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        int warmupSeconds = 5;
        Map<String, Pending> inFlight = new ConcurrentHashMap<>();
        Map<String, String> assigned = new ConcurrentHashMap<>();
        Latencies latencies = new Latencies();
        AtomicLong rejected = new AtomicLong();
        AtomicLong rejectedMeasured = new AtomicLong();
        Map<String, Integer> rejectReasons = new ConcurrentHashMap<>();
        Path stateDir = Files.createTempDirectory("bench-command-state");
        try (TestKafka kafka = TestKafka.start(); TestDatabase database = TestDatabase.create();
             ServiceProcess processor = ServiceProcess.start("command-processor", "stream-processor", "1g", kafka,
                     database, Map.of("STREAMS_STATE_DIR", stateDir.toString()));
             ServiceProcess gateway = ServiceProcess.start("command-gateway", "gateway", "1g", kafka, database,
                     // the benchmark measures the command path, not the per-connection frame limit
                     Map.of("CLIENT_FRAME_RATE", "10000", "CLIENT_FRAME_BURST", "10000"));
             SubscribedClients clients = new SubscribedClients((connection, frame, receivedMicros) -> {
                 String type = frame.path("type").asString();
                 JsonNode data = frame.path("data");
                 if ("conversation_updated".equals(type) || "conversation_transferred".equals(type)) {
                     JsonNode conversa = data.path("conversa");
                     String id = conversa.path("conversaId").asString();
                     Pending pending = inFlight.get(id);
                     if (pending != null && pending.target().equals(conversa.path("atendenteId").asString())
                             && inFlight.remove(id, pending)) {
                         assigned.put(id, pending.target());
                         if (pending.measured()) {
                             latencies.record(receivedMicros - pending.dueMicros());
                         }
                     }
                 } else if ("command_rejected".equals(type)) {
                     rejected.incrementAndGet();
                     rejectReasons.merge(data.path("reason").asString(), 1, Integer::sum);
                     String id = data.path("conversaId").asString();
                     Pending pending = inFlight.get(id);
                     if (pending != null && pending.commandId().equals(data.path("commandId").asString())
                             && inFlight.remove(id, pending)) {
                         rejectedMeasured.addAndGet(pending.measured() ? 1 : 0);
                     }
                 }
             })) {
            List<String> conversas = createConversas(kafka, database, conversaCount);
            InetSocketAddress server = new InetSocketAddress("127.0.0.1", gateway.port());
            InetAddress local = InetAddress.getByName("127.0.0.2");
            // the targets connect first: their session_opened makes them known atendentes of the empresa
            SubscribedClients.Opened targets = clients.openAll(TARGETS.length, 2, i -> new SubscribedClients.Plan(
                    server, local, AgentTokens.atendente(TARGETS[i], EMPRESA),
                    List.of(Channel.atendente(TARGETS[i])), null));
            SubscribedClients.Opened supervisor = clients.openAll(1, 1, i -> new SubscribedClients.Plan(server, local,
                    AgentTokens.mint(AgentTokens.DEV_SECRET, SUPERVISOR, EMPRESA, List.of("supervisor"),
                            Instant.now().plusSeconds(3600)),
                    List.of(Channel.empresa(EMPRESA), Channel.atendente(SUPERVISOR)), null));
            if (targets.failed() + supervisor.failed() > 0) {
                throw new IllegalStateException("connections failed: " + targets.failures() + " "
                        + supervisor.failures());
            }
            WebSocketClients.Connection sup = supervisor.subscribed().get(0).connection();
            awaitKnown(clients, sup, conversas.get(0), inFlight, assigned);

            long total = (long) rate * (warmupSeconds + seconds);
            long measuredFrom = (long) rate * warmupSeconds;
            long measured = 0;
            long skipped = 0;
            int next = 0;
            long start = System.nanoTime();
            OpenLoop schedule = new OpenLoop(start, rate);
            long startMicros = WebSocketClients.nowMicros();
            for (long i = 0; i < total; i++) {
                long due = schedule.awaitDue(i);
                // round robin, passing over a conversa whose previous command is still in flight
                String conversa = null;
                for (int tries = 0; tries < conversas.size() && conversa == null; tries++) {
                    String candidate = conversas.get(next);
                    next = (next + 1) % conversas.size();
                    if (!inFlight.containsKey(candidate)) {
                        conversa = candidate;
                    }
                }
                if (conversa == null) {
                    skipped++;
                    continue;
                }
                String target = TARGETS[0].equals(assigned.get(conversa)) ? TARGETS[1] : TARGETS[0];
                boolean counted = i >= measuredFrom;
                measured += counted ? 1 : 0;
                String commandId = "c-" + i;
                inFlight.put(conversa, new Pending(commandId, target, startMicros + (due - start) / 1000, counted));
                clients.send(sup, "{\"type\":\"command\",\"commandId\":\"" + commandId + "\",\"command\":\"transfer\","
                        + "\"conversaId\":\"" + conversa + "\",\"targetAtendenteId\":\"" + target + "\"}");
            }
            double achieved = total / ((System.nanoTime() - start) / 1e9);
            long drainDeadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (latencies.count() + rejectedMeasured.get() < measured && System.nanoTime() < drainDeadline) {
                Thread.sleep(100);
            }
            System.out.printf(Locale.ROOT, "| commands/s (achieved) | conversas | commands sent (measured) "
                    + "| received | p50 (ms) | p99 (ms) | max (ms) | rejected | date |%n"
                    + "|---|---|---|---|---|---|---|---|---|%n");
            System.out.printf(Locale.ROOT, "| %d (%.0f) | %d | %d | %d | %.2f | %.2f | %.2f | %d | %s |%n",
                    rate, achieved, conversas.size(), measured, latencies.count(), latencies.percentileMillis(50),
                    latencies.percentileMillis(99), latencies.percentileMillis(100), rejectedMeasured.get(),
                    LocalDate.now());
            if (skipped > 0) {
                System.out.println("not sent, every conversa had a command in flight: " + skipped);
            }
            rejectReasons.forEach((reason, count) -> System.out.println("rejected " + count + "x: " + reason
                    + " (all, warm-up included: " + rejected.get() + ")"));
            if (clients.errorFrames() > 0) {
                System.out.println("error frames received: " + clients.errorFrames());
            }
            clients.closeCodes().forEach((code, count) -> System.out.println("closed " + count + "x with " + code));
        } finally {
            ServiceProcess.deleteTree(stateDir);
        }
        System.exit(0);
    }

    /** One customer message per conversa, straight to chat.webhooks; returns the conversa ids once in PostgreSQL. */
    private static List<String> createConversas(TestKafka kafka, TestDatabase database, int count) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            for (int n = 0; n < count; n++) {
                producer.send(new ProducerRecord<>(Topics.WEBHOOKS.name(), EMPRESA, upsert(n))).get();
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        try (Connection c = database.connect();
             PreparedStatement p = c.prepareStatement("SELECT id FROM conversa WHERE empresa_id = ?")) {
            p.setString(1, EMPRESA);
            while (true) {
                List<String> ids = new ArrayList<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
                if (ids.size() >= count) {
                    return ids;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + ids.size() + " of " + count + " conversas in PostgreSQL");
                }
                Thread.sleep(200);
            }
        }
    }

    /**
     * Transfers one conversa to each target until both transfers go through: session_opened travels through the
     * presence topology, so the targets become known a little after their connections opened.
     */
    private static void awaitKnown(SubscribedClients clients, WebSocketClients.Connection sup, String conversa,
                                   Map<String, Pending> inFlight, Map<String, String> assigned) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int attempt = 0;
        for (String target : TARGETS) {
            while (!target.equals(assigned.get(conversa))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("transfers to " + target + " never went through");
                }
                String commandId = "probe-" + attempt++;
                inFlight.put(conversa, new Pending(commandId, target, WebSocketClients.nowMicros(), false));
                clients.send(sup, "{\"type\":\"command\",\"commandId\":\"" + commandId + "\",\"command\":\"transfer\","
                        + "\"conversaId\":\"" + conversa + "\",\"targetAtendenteId\":\"" + target + "\"}");
                long wait = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                while (inFlight.containsKey(conversa) && System.nanoTime() < wait) {
                    Thread.sleep(20);
                }
                inFlight.remove(conversa);
            }
        }
    }

    /** A customer's text message, from customer {@code n}: one conversa each. */
    private static byte[] upsert(int n) {
        return ("{\"event\":\"messages.upsert\",\"instance\":\"bench-01\",\"data\":{\"key\":{\"remoteJid\":\"55119"
                + (20000000 + n) + "@s.whatsapp.net\",\"fromMe\":false,\"id\":\"3BCMD" + String.format("%015X", n)
                + "\"},\"pushName\":\"Cliente " + n + "\",\"message\":{\"conversation\":\"Oi, vocês entregam hoje?\"},"
                + "\"messageType\":\"conversation\",\"messageTimestamp\":" + (System.currentTimeMillis() / 1000)
                + "},\"date_time\":\"2026-11-26T10:00:00.000Z\",\"sender\":\"5511999990000@s.whatsapp.net\","
                + "\"server_url\":\"http://localhost:8090\",\"apikey\":\"B6D711FCDE4D\"}")
                .getBytes(StandardCharsets.UTF_8);
    }
}

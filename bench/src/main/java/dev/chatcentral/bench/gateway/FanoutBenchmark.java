package dev.chatcentral.bench.gateway;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.chatcentral.bench.Latencies;
import dev.chatcentral.bench.ServiceProcess;
import dev.chatcentral.schemas.event.Channel;
import dev.chatcentral.testing.AgentTokens;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/**
 * One empresa event fanned out to many subscribers of one gateway node (issue 6: 1,000 subscribers, p99 at most
 * 100 ms). The gateway runs as its own process; this process subscribes the clients to {@code empresa:emp-fanout},
 * writes events to {@code chat.events} one at a time (stamped with the moment of the write), and measures, for every
 * copy, the time from that stamp to the client reading it. Prints one Markdown table row: percentiles over all
 * copies, and over the last copy of each event (when the whole fan-out was done).
 *
 * <pre>bench/gateway-fanout.sh [subscribers, default 1000] [events, default 50] [pause between events in ms, default 200]</pre>
 */
public final class FanoutBenchmark {

    private static final String EMPRESA = "emp-fanout";

    private FanoutBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int subscribers = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        long pauseMillis = args.length > 2 ? Long.parseLong(args[2]) : 200;
        int warmupEvents = 20;
        Latencies copies = new Latencies();
        Map<String, Long> lastCopy = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
        Set<String> measured = ConcurrentHashMap.newKeySet();
        try (TestKafka kafka = TestKafka.start(); TestDatabase database = TestDatabase.create();
             ServiceProcess gateway = ServiceProcess.start("gateway-fanout", "gateway", "1g", kafka, database,
                     Map.of("WEBSOCKET_MAX_CONNECTIONS", Integer.toString(subscribers + 100)));
             Events producer = new Events(kafka);
             SubscribedClients clients = new SubscribedClients((connection, frame, receivedMicros) -> {
                 String id = frame.path("id").asString();
                 if (measured.contains(id)) {
                     long latency = receivedMicros - Events.micros(frame.path("ts").asString());
                     copies.record(latency);
                     lastCopy.merge(id, latency, Math::max);
                     received.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                 }
             })) {
            InetSocketAddress server = new InetSocketAddress("127.0.0.1", gateway.port());
            InetAddress local = InetAddress.getByName("127.0.0.2");
            SubscribedClients.Opened opened = clients.openAll(subscribers, 100, i -> new SubscribedClients.Plan(
                    server, local, AgentTokens.atendente("u-" + i, EMPRESA), List.of(Channel.empresa(EMPRESA)),
                    null));
            for (int i = 0; i < warmupEvents + events; i++) {
                String id = UUID.randomUUID().toString();
                if (i >= warmupEvents) {
                    measured.add(id);
                }
                producer.send(id, EMPRESA, Channel.empresa(EMPRESA));
                Thread.sleep(pauseMillis);
            }
            Thread.sleep(2000);
            Latencies whole = new Latencies();
            lastCopy.values().forEach(whole::record);
            long copiesReceived = received.values().stream().mapToLong(AtomicInteger::get).sum();
            long expected = (long) events * opened.subscribed().size();
            System.out.printf(Locale.ROOT, "| subscribers | events | copies expected | copies received "
                    + "| p50 (ms) | p99 (ms) | max (ms) | last copy p50 (ms) | last copy p99 (ms) | date |%n"
                    + "|---|---|---|---|---|---|---|---|---|---|%n");
            System.out.printf(Locale.ROOT, "| %d | %d | %d | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %s |%n",
                    opened.subscribed().size(), events, expected, copiesReceived, copies.percentileMillis(50),
                    copies.percentileMillis(99), copies.percentileMillis(100), whole.percentileMillis(50),
                    whole.percentileMillis(99), LocalDate.now());
            opened.failures().forEach((reason, count) -> System.out.println("failed " + count + "x: " + reason));
            clients.closeCodes().forEach((code, count) -> System.out.println("closed " + count + "x with " + code));
        }
        System.exit(0);
    }
}

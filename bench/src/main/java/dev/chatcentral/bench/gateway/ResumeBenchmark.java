package dev.chatcentral.bench.gateway;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.chatcentral.bench.ServiceProcess;
import dev.chatcentral.schemas.event.Channel;
import dev.chatcentral.testing.AgentTokens;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/**
 * Resume after missed events (issue 6: 10,000 missed events replayed within 1 s). The gateway runs as its own
 * process. Each run: a client subscribes to its empresa channel and notes the position, its connection is cut,
 * the events are written to {@code chat.events} while it is away, then it reconnects and subscribes with
 * {@code since}. Measured: from the start of the reconnection to the {@code subscribed} frame that follows the
 * last replayed event; the replay is checked to hold every missed position exactly once, in order. Prints one
 * Markdown table row with the median and the worst run.
 *
 * <pre>bench/gateway-resume.sh [missed events, default 10000] [runs, default 5]</pre>
 */
public final class ResumeBenchmark {

    private static final String EMPRESA = "emp-resume";

    private ResumeBenchmark() {
    }

    /** What one reconnecting client received: count of replayed events, and whether they were consecutive. */
    private static final class Replay {
        final AtomicLong events = new AtomicLong();
        volatile long last = -1;
        volatile boolean inOrder = true;
    }

    public static void main(String[] args) throws Exception {
        int missed = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Map<Integer, Replay> replays = new ConcurrentHashMap<>();
        double[] millis = new double[runs];
        boolean complete = true;
        try (TestKafka kafka = TestKafka.start(); TestDatabase database = TestDatabase.create();
             ServiceProcess gateway = ServiceProcess.start("gateway-resume", "gateway", "1g", kafka, database,
                     Map.of());
             Events producer = new Events(kafka);
             SubscribedClients clients = new SubscribedClients((connection, frame, receivedMicros) -> {
                 Replay replay = replays.computeIfAbsent(connection.id, id -> new Replay());
                 long position = frame.path("position").asLong();
                 if (replay.last >= 0 && position != replay.last + 1) {
                     replay.inOrder = false;
                 }
                 replay.last = position;
                 replay.events.incrementAndGet();
             })) {
            InetSocketAddress server = new InetSocketAddress("127.0.0.1", gateway.port());
            InetAddress local = InetAddress.getByName("127.0.0.2");
            String channel = Channel.empresa(EMPRESA);
            String token = AgentTokens.atendente("u-resume", EMPRESA);
            // one untimed round first: class loading and JIT of the replay path
            for (int run = -1; run < runs; run++) {
                SubscribedClients.Subscribed away = clients.open(new SubscribedClients.Plan(server, local, token,
                        List.of(channel), null)).get();
                clients.abort(away.connection());
                for (int i = 0; i < missed; i++) {
                    producer.send(UUID.randomUUID().toString(), EMPRESA, channel);
                }
                producer.flush();
                long start = System.nanoTime();
                SubscribedClients.Subscribed back = clients.open(new SubscribedClients.Plan(server, local, token,
                        List.of(channel), away.position())).get();
                double elapsed = (System.nanoTime() - start) / 1e6;
                Replay replay = replays.getOrDefault(back.connection().id, new Replay());
                if (replay.events.get() != missed || !replay.inOrder || replay.last != back.position()) {
                    complete = false;
                    System.out.println("run " + run + ": replayed " + replay.events.get() + " of " + missed
                            + (replay.inOrder ? "" : ", not consecutive") + ", last " + replay.last
                            + ", subscribed at " + back.position());
                }
                if (run >= 0) {
                    millis[run] = elapsed;
                }
                clients.abort(back.connection());
            }
        }
        Arrays.sort(millis);
        System.out.printf(Locale.ROOT, "| missed events | runs | replay complete and in order | median (ms) | max (ms) "
                + "| date |%n|---|---|---|---|---|---|%n");
        System.out.printf(Locale.ROOT, "| %d | %d | %s | %.1f | %.1f | %s |%n", missed, runs, complete ? "yes" : "NO",
                millis[runs / 2], millis[runs - 1], LocalDate.now());
        System.exit(0);
    }
}

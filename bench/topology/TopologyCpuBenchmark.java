import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import dev.chatcentral.processor.dlq.DeadLetterListener;
import dev.chatcentral.processor.dlq.PoisonRecords;
import dev.chatcentral.processor.retry.RetryPolicy;
import dev.chatcentral.processor.topology.ConversaTopology;
import dev.chatcentral.processor.topology.TopologySettings;
import dev.chatcentral.schemas.topic.Topics;

/**
 * The conversa topology's own cost, without a broker: customer webhooks of 100 empresas piped through
 * {@link TopologyTestDriver} on one thread, timed by that thread's CPU time, which a loaded shared machine disturbs
 * far less than wall time. Compiled and run by bench/topology-cpu.sh against two builds of the stream-processor, so
 * it uses only what both have: {@code ConversaTopology.build(TopologySettings)}.
 *
 * <p>Arguments: {@code webhooks runs}. Prints one line per run and, last, {@code median <webhooks per CPU second>}.
 */
public final class TopologyCpuBenchmark {

    private static final int EMPRESAS = 100;
    private static final int CUSTOMERS_PER_EMPRESA = 50;

    public static void main(String[] args) throws Exception {
        int webhooks = Integer.parseInt(args[0]);
        int runs = Integer.parseInt(args[1]);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        run(webhooks / 2, threads);
        double[] rates = new double[runs];
        for (int i = 0; i < runs; i++) {
            rates[i] = run(webhooks, threads);
            System.out.printf("run %d: %.0f webhooks per CPU second%n", i + 1, rates[i]);
        }
        Arrays.sort(rates);
        System.out.printf("median %.0f%n", rates[runs / 2]);
    }

    private static double run(int webhooks, ThreadMXBean threads) throws Exception {
        // the driver commits, and so writes its checkpoint file with fsync, after every record: in memory where
        // the machine has it, so the run is not as long as the disk makes it
        Path shm = Path.of("/dev/shm");
        Path stateDir = Files.isDirectory(shm) ? Files.createTempDirectory(shm, "topology-cpu")
                : Files.createTempDirectory("topology-cpu");
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-cpu");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        // the driver commits after every record, and under exactly-once every commit flushes RocksDB to disk: what
        // would be timed is the disk, not the topology, whose code is the same under either guarantee
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        TopologySettings settings = new TopologySettings(Duration.ofDays(7), Duration.ofMinutes(10),
                Duration.ofDays(7), Duration.ofDays(7),
                new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofMinutes(1), Duration.ofMillis(500)), true,
                outcome -> { }, DeadLetterListener.NONE, new PoisonRecords());
        Instant start = Instant.parse("2026-11-29T12:00:00Z");
        try (TopologyTestDriver driver = new TopologyTestDriver(ConversaTopology.build(settings), config, start)) {
            TestInputTopic<String, byte[]> input = driver.createInputTopic(Topics.WEBHOOKS.name(),
                    new StringSerializer(), new ByteArraySerializer());
            TestOutputTopic<String, byte[]> mensagens = output(driver, Topics.MENSAGENS.name());
            TestOutputTopic<String, byte[]> conversas = output(driver, Topics.CONVERSAS.name());
            TestOutputTopic<String, byte[]> events = output(driver, Topics.EVENTS.name());
            long written = 0;
            long cpuStart = threads.getCurrentThreadCpuTime();
            for (int n = 0; n < webhooks; n++) {
                input.pipeInput(new TestRecord<>("emp-" + (n % EMPRESAS), webhook(n), start.plusMillis(n)));
                if (n % 1_000 == 999) {
                    // the driver keeps every output until read: read them as a consumer would
                    written += mensagens.readValuesToList().size();
                    conversas.readValuesToList();
                    events.readValuesToList();
                }
            }
            long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
            written += mensagens.readValuesToList().size();
            if (written != webhooks) {
                throw new IllegalStateException("the topology wrote " + written + " mensagens for " + webhooks
                        + " webhooks: the benchmark would measure something else");
            }
            return webhooks / (cpu / 1e9);
        } finally {
            try (Stream<Path> files = Files.walk(stateDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static TestOutputTopic<String, byte[]> output(TopologyTestDriver driver, String topic) {
        return driver.createOutputTopic(topic, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * A customer's text of Evolution's messages.upsert, as bench/processor.sh sends them: a copy of BenchStack's,
     * because this file is compiled against an old stream-processor alone, without the bench module.
     */
    private static byte[] webhook(long n) {
        String customer = "55119" + String.format("%08d", (n / EMPRESAS) % CUSTOMERS_PER_EMPRESA) + "@s.whatsapp.net";
        return ("{\"event\":\"messages.upsert\",\"instance\":\"loja-" + (n % EMPRESAS) + "\",\"data\":{\"key\":"
                + "{\"remoteJid\":\"" + customer + "\",\"fromMe\":false,\"id\":\"TC-" + n + "\"},"
                + "\"pushName\":\"Cliente " + (n % 997) + "\",\"message\":{\"conversation\":\"Oi, queria saber se"
                + " o pedido " + n + " já saiu para entrega\"},\"messageType\":\"conversation\","
                + "\"messageTimestamp\":" + (1764417600 + n / 1000) + ",\"instanceId\":"
                + "\"0b6e7c2a-1f4d-4a8e-9c3b-5d2f7e8a9b10\",\"source\":\"android\"},"
                + "\"destination\":\"https://ingest.example.com/webhooks/evolution/emp-" + (n % EMPRESAS) + "\","
                + "\"date_time\":\"2026-11-29T12:00:00.000Z\",\"sender\":\"5511999990000@s.whatsapp.net\","
                + "\"server_url\":\"https://evo.example.com\"}").getBytes(StandardCharsets.UTF_8);
    }
}

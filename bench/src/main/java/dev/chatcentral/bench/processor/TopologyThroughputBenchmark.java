package dev.chatcentral.bench.processor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import dev.chatcentral.schemas.topic.Topics;

/**
 * Webhooks per second through the topology at exactly_once_v2: {@code N} distinct customer messages are preloaded
 * into {@code chat.webhooks}, then the stream processor starts and the clock runs from its first handled webhook
 * until its transactions committed the last input offset. The PostgreSQL sink is off unless asked for, so the
 * figure is the topology's (the sink has its own consumer group and can run elsewhere). Two runs of the same size
 * come first and are not counted: every run starts a new processor in this JVM, so only the first ones pay for the
 * JIT.
 *
 * <p>Arguments: {@code [webhooks=200000] [runs=3] [sink=false]}.
 */
public final class TopologyThroughputBenchmark {

    private static final int WARMUP_RUNS = 2;

    private TopologyThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int webhooks = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        boolean sink = args.length > 2 && Boolean.parseBoolean(args[2]);
        // a cold JVM spends a third of both cores compiling during the first run, and the second is still faster
        // than the first: measured, that is the JIT's speed
        for (int warmup = 1; warmup <= WARMUP_RUNS; warmup++) {
            System.out.printf("warm-up %d (not counted): %d webhooks, %.0f webhooks/s%n", warmup, webhooks,
                    run(webhooks, sink));
        }
        List<Double> rates = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            double rate = run(webhooks, sink);
            rates.add(rate);
            System.out.printf("run %d: %d webhooks, %.0f webhooks/s%n", run, webhooks, rate);
        }
        System.out.printf("median of %d runs: %.0f webhooks/s (exactly_once_v2, sink %s)%n", runs,
                BenchStack.median(rates), sink ? "on" : "off");
        System.exit(0);
    }

    private static double run(int webhooks, boolean sink) throws Exception {
        try (BenchStack stack = BenchStack.start()) {
            try (KafkaProducer<String, byte[]> producer = stack.producer(20)) {
                List<Future<RecordMetadata>> sends = new ArrayList<>(webhooks);
                for (long n = 0; n < webhooks; n++) {
                    sends.add(producer.send(new ProducerRecord<>(Topics.WEBHOOKS.name(), BenchStack.empresa(n),
                            BenchStack.webhook("TP-", n))));
                }
                producer.flush();
                for (Future<RecordMetadata> send : sends) {
                    send.get(); // a preload that lost a record would measure nothing
                }
            }
            stack.startProcessor("--chatcentral.processor.sink.enabled=" + sink);
            while (stack.handled() == 0) {
                Thread.sleep(5);
            }
            long start = System.nanoTime();
            while (stack.handled() < webhooks) {
                Thread.sleep(20);
            }
            while (!stack.streamsCommittedAll()) {
                Thread.sleep(20);
            }
            long elapsed = System.nanoTime() - start;
            return webhooks / (elapsed / (double) TimeUnit.SECONDS.toNanos(1));
        }
    }
}

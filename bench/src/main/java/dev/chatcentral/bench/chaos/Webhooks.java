package dev.chatcentral.bench.chaos;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.chatcentral.bench.KeepAlivePoster;
import dev.chatcentral.bench.OpenLoop;

/**
 * Open-loop webhook load over the cluster's ingest load balancer, as Evolution sends it: webhook {@code i} is
 * empresa {@code i % empresas}'s, a customer message in one of 50 conversas of its instance. What gets no 2xx
 * (refused, cut, 5xx, 429) is sent again a second later, with the same key id, until it does: Evolution retries,
 * and the pipeline must drop the copies of what it had taken after all.
 */
final class Webhooks implements AutoCloseable {

    private static final long RETRY_DELAY_MILLIS = 1000;
    static final int CONVERSAS_PER_EMPRESA = 50;

    /** One webhook: which empresa, which conversa, and when it was first due (nanoTime). */
    record Webhook(String keyId, int empresa, int conversa, long dueNanos) {
    }

    private final List<String> empresas;
    private final List<String> instances;
    private final List<KeepAlivePoster> posters = new ArrayList<>();
    private final Map<String, Webhook> byKeyId = new ConcurrentHashMap<>();
    /** Key id to when it was answered 2xx (nanoTime). */
    private final Map<String, Long> accepted = new ConcurrentHashMap<>();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong lastFailureNanos = new AtomicLong();
    private final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "webhook-retry");
        thread.setDaemon(true);
        return thread;
    });
    private final String runId;
    private long next;

    Webhooks(String runId, int ingestPort, List<String> empresas, List<String> secrets, List<String> instances,
            int connectionsPerEmpresa) {
        this.runId = runId;
        this.empresas = empresas;
        this.instances = instances;
        for (int e = 0; e < empresas.size(); e++) {
            posters.add(new KeepAlivePoster(new InetSocketAddress("127.0.0.1", ingestPort),
                    "/webhooks/evolution/" + empresas.get(e), Map.of("Authorization", "Bearer " + secrets.get(e)),
                    connectionsPerEmpresa, outcome -> {
                        Webhook webhook = byKeyId.get(outcome.tag());
                        if (outcome.kind() == KeepAlivePoster.Kind.ANSWERED && outcome.status() / 100 == 2) {
                            accepted.putIfAbsent(webhook.keyId(), outcome.doneNanos());
                            return;
                        }
                        String reason = outcome.kind() == KeepAlivePoster.Kind.ANSWERED
                                ? Integer.toString(outcome.status()) : outcome.kind().name().toLowerCase();
                        failures.merge(reason, 1, Integer::sum);
                        lastFailureNanos.accumulateAndGet(outcome.doneNanos(), Math::max);
                        retries.incrementAndGet();
                        retry.schedule(() -> send(webhook), RETRY_DELAY_MILLIS, TimeUnit.MILLISECONDS);
                    }));
        }
    }

    /** Posts {@code seconds * rate} webhooks at {@code rate} per second, open loop; returns them. */
    List<Webhook> run(int rate, int seconds) {
        List<Webhook> sent = new ArrayList<>();
        long start = System.nanoTime();
        OpenLoop schedule = new OpenLoop(start, rate);
        long total = (long) rate * seconds;
        for (long i = 0; i < total; i++) {
            long due = schedule.awaitDue(i);
            long n = next++;
            int empresa = (int) (n % empresas.size());
            Webhook webhook = new Webhook(String.format("3C%s%014X", runId, n), empresa,
                    (int) ((n / empresas.size()) % CONVERSAS_PER_EMPRESA), due);
            byKeyId.put(webhook.keyId(), webhook);
            sent.add(webhook);
            send(webhook);
        }
        return sent;
    }

    private void send(Webhook webhook) {
        posters.get(webhook.empresa()).post(upsert(webhook, instances.get(webhook.empresa())), webhook.dueNanos(),
                webhook.keyId());
    }

    /** Whether every webhook of {@code sent} was answered 2xx (after retries). */
    boolean allAccepted(List<Webhook> sent) {
        return sent.stream().allMatch(w -> accepted.containsKey(w.keyId()));
    }

    Long acceptedAt(String keyId) {
        return accepted.get(keyId);
    }

    Map<String, Integer> failures() {
        return Map.copyOf(failures);
    }

    long retries() {
        return retries.get();
    }

    long lastFailureNanos() {
        return lastFailureNanos.get();
    }

    void resetCounters() {
        failures.clear();
        retries.set(0);
        lastFailureNanos.set(0);
    }

    /** A customer's text message in conversa {@code conversa} of the empresa's instance. */
    static String upsert(Webhook webhook, String instance) {
        return "{\"event\":\"messages.upsert\",\"instance\":\"" + instance + "\",\"data\":{\"key\":{\"remoteJid\":"
                + "\"55119" + (20000000 + webhook.conversa()) + "@s.whatsapp.net\",\"fromMe\":false,\"id\":\""
                + webhook.keyId() + "\"},\"pushName\":\"Cliente\",\"message\":{\"conversation\":\"Oi, tudo bem?\"},"
                + "\"messageType\":\"conversation\",\"messageTimestamp\":" + (System.currentTimeMillis() / 1000)
                + "},\"date_time\":\"2026-11-26T10:00:00.000Z\",\"sender\":\"5511999990000@s.whatsapp.net\","
                + "\"server_url\":\"http://localhost:18090\",\"apikey\":\"B6D711FCDE4D\"}";
    }

    @Override
    public void close() {
        retry.shutdownNow();
        posters.forEach(KeepAlivePoster::close);
    }
}

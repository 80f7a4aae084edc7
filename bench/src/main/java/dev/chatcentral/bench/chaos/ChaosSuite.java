package dev.chatcentral.bench.chaos;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.chatcentral.bench.chaos.Subscribers.Client;
import dev.chatcentral.bench.chaos.Webhooks.Webhook;

/**
 * The chaos suite over a running bin/cluster (issue 14): steady open-loop webhook load through the ingest load
 * balancer and agents subscribed through the gateway load balancer, while, in turn, the busiest chat.events leader
 * is killed -9, a stream-processor is killed -9, another is SIGSTOPped for 20 s, an ingest node and a gateway are
 * killed -9, and PostgreSQL is taken away for 30 s. bin/cluster restarts what was killed. After each fault the load
 * stops, everything is drained, and the suite checks that every webhook answered 2xx is in PostgreSQL exactly once
 * and reached every subscribed client of its empresa exactly once, in order, with no frame of another empresa.
 *
 * <pre>bin/chaos [--short] [--only broker,gateway,...]    CHAOS_RATE (webhooks/s, default 500), CHAOS_EMPRESAS
 *     (20), CHAOS_CLIENTS (per empresa, 3)</pre>
 *
 * <p>Over 300 lines on purpose: the suite is one sequence (set up, each fault's phase, drain, count, the table) whose
 * steps share the accepted webhooks and the subscribers; {@link Cluster}, {@link Webhooks} and {@link Subscribers}
 * hold the parts that stand alone.
 */
public final class ChaosSuite {

    /** Later than this end to end (due to read by the last client) counts as delayed by the fault. */
    private static final long DELAYED_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(300);
    private static final Duration BACK_TIMEOUT = Duration.ofSeconds(300);
    private static final String FAULT_FAILED = "FAULT NOT INFLICTED: ";

    private interface Fault {
        /** Inflicts the fault at the start of the load; returns a description of what was done. */
        String inflict(Cluster cluster) throws Exception;
    }

    /** @param key what {@code --only} names it by */
    private record Scenario(String key, String name, Fault fault) {
    }

    private record Result(String scenario, String action, long posted, long accepted, long failedAnswers,
            long lostInPostgres, long duplicatedInPostgres, long lostAtClients, long duplicatedAtClients,
            long outOfOrder, long foreign, long reconnects, double recoverySeconds, double maxLatencySeconds,
            String note) {
    }

    private ChaosSuite() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        Set<String> only = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--short")) {
                quick = true;
            } else if (args[i].equals("--only") && i + 1 < args.length) {
                only = Set.of(args[++i].split(","));
            } else if (!args[i].isEmpty()) {
                throw new IllegalArgumentException("usage: ChaosSuite [--short] [--only none,broker,processor-kill,"
                        + "processor-stop,ingest,gateway,postgres]; not " + args[i]);
            }
        }
        int rate = intEnv("CHAOS_RATE", 500);
        int empresaCount = intEnv("CHAOS_EMPRESAS", 20);
        int clientsPerEmpresa = intEnv("CHAOS_CLIENTS", 3);
        String dataDir = System.getenv().getOrDefault("CHATCENTRAL_DATA_DIR", ".cluster");
        Cluster cluster = Cluster.read(Path.of(dataDir, "cluster.json"));
        // seconds of load before the fault and after it
        int before = quick ? 5 : 20;
        int after = quick ? 40 : 90;

        String runId = Long.toString(System.currentTimeMillis() / 1000 % 46_656, 36).toUpperCase(Locale.ROOT);
        List<String> empresas = new ArrayList<>();
        List<String> instances = new ArrayList<>();
        List<String> secrets = new ArrayList<>();
        String adminToken = cluster.text("adminApiToken");
        String admin = "http://127.0.0.1:" + cluster.managementPort(cluster.names("ingest").get(0));
        for (int e = 0; e < empresaCount; e++) {
            String empresa = "chaos-" + runId.toLowerCase(Locale.ROOT) + "-" + e;
            empresas.add(empresa);
            instances.add(empresa + "-wa");
            secrets.add(createEmpresa(admin, adminToken, empresa, empresa + "-wa"));
        }
        System.out.printf("chaos run %s: %d webhooks/s over %d empresas, %d clients each, %s%n", runId, rate,
                empresaCount, clientsPerEmpresa, quick ? "short" : "long");

        List<Scenario> scenarios = List.of(
                new Scenario("none", "no fault", c -> "nothing"),
                new Scenario("broker", "Kafka broker kill -9", c -> {
                    String leader = c.busiestEventsLeader();
                    long pid = c.kill9(leader);
                    return "kill -9 " + leader + " (leads most chat.events partitions), back after "
                            + seconds(c.awaitBack(leader, pid, BACK_TIMEOUT));
                }),
                new Scenario("processor-kill", "stream-processor kill -9", c -> {
                    long pid = c.kill9("stream-processor-1");
                    return "kill -9 stream-processor-1, back after "
                            + seconds(c.awaitBack("stream-processor-1", pid, BACK_TIMEOUT));
                }),
                new Scenario("processor-stop", "stream-processor SIGSTOP 20 s", c -> {
                    c.signal("stream-processor-2", "STOP");
                    Thread.sleep(20_000);
                    c.signal("stream-processor-2", "CONT");
                    return "kill -STOP stream-processor-2, kill -CONT 20 s later";
                }),
                new Scenario("ingest", "ingest kill -9", c -> {
                    long pid = c.kill9("ingest-1");
                    return "kill -9 ingest-1, back after " + seconds(c.awaitBack("ingest-1", pid, BACK_TIMEOUT));
                }),
                new Scenario("gateway", "gateway kill -9", c -> {
                    long pid = c.kill9("gateway-1");
                    return "kill -9 gateway-1, back after " + seconds(c.awaitBack("gateway-1", pid, BACK_TIMEOUT));
                }),
                new Scenario("postgres", "PostgreSQL unreachable 30 s", c -> {
                    c.pausePostgres(30);
                    return "proxy cut every connection and refused new ones for 30 s";
                }));

        Set<String> chosen = only;
        List<Scenario> toRun = scenarios.stream().filter(sc -> chosen == null || chosen.contains(sc.key())).toList();
        if (toRun.isEmpty()) {
            throw new IllegalArgumentException("--only names none of " + scenarios.stream().map(Scenario::key)
                    .toList());
        }
        List<Result> results = new ArrayList<>();
        try (Webhooks webhooks = new Webhooks(runId, cluster.ingestPort(), empresas, secrets, instances, 4);
                Subscribers subscribers = new Subscribers(cluster.gatewayPort());
                Connection database = DriverManager.getConnection(cluster.jdbcUrl(), cluster.databaseUser(), "")) {
            subscribers.open(empresas, clientsPerEmpresa, cluster.text("agentJwtSecret"));
            System.out.println("clients subscribed, by gateway: " + subscribers.byNode());
            Map<String, List<Webhook>> acceptedSoFar = new HashMap<>();
            for (Scenario scenario : toRun) {
                results.add(run(scenario, cluster, webhooks, subscribers, database, empresas, rate, before, after,
                        acceptedSoFar));
                System.out.println(row(results.get(results.size() - 1)));
            }
        }
        System.out.println();
        System.out.printf("chaos run %s, %s, %d webhooks/s over %d empresas, %d clients per empresa (%d in all), "
                + "%s%n%n", runId, DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(LocalDateTime.now(ZoneOffset.UTC)
                .withNano(0)) + " UTC", rate, empresaCount, clientsPerEmpresa, empresaCount * clientsPerEmpresa,
                "on " + InetAddress.getLocalHost().getHostName() + ", " + Runtime.getRuntime().availableProcessors()
                        + " cores");
        System.out.println(header());
        results.forEach(result -> System.out.println(row(result)));
        results.forEach(result -> System.out.println("- " + result.scenario() + ": " + result.action()
                + (result.note().isEmpty() ? "" : "; " + result.note())));
        boolean clean = results.stream().allMatch(r -> r.lostInPostgres() + r.duplicatedInPostgres()
                + r.lostAtClients() + r.duplicatedAtClients() + r.outOfOrder() + r.foreign() == 0);
        boolean inflicted = results.stream().noneMatch(r -> r.action().startsWith(FAULT_FAILED));
        System.out.println(clean ? "nothing lost, duplicated, reordered or misdelivered"
                : "FAILURES above: something was lost, duplicated, reordered or misdelivered");
        if (!inflicted) {
            System.out.println("a fault could not be inflicted (see above): its row proves nothing");
        }
        clean &= inflicted;
        System.exit(clean ? 0 : 1);
    }

    private static Result run(Scenario scenario, Cluster cluster, Webhooks webhooks, Subscribers subscribers,
            Connection database, List<String> empresas, int rate, int before, int after,
            Map<String, List<Webhook>> acceptedSoFar) throws Exception {
        System.out.println("== " + scenario.name());
        webhooks.resetCounters();
        long reconnectsBefore = subscribers.reconnects();
        List<Webhook> sent = new ArrayList<>(webhooks.run(rate, before));
        long faultNanos = System.nanoTime();
        CompletableFuture<String> action = CompletableFuture.supplyAsync(() -> {
            try {
                return scenario.fault().inflict(cluster);
            } catch (Exception e) {
                return FAULT_FAILED + e;
            }
        });
        sent.addAll(webhooks.run(rate, after));
        String done = action.get(BACK_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        System.out.println("  " + done);

        // drain: every webhook answered 2xx (retried until it is), in PostgreSQL and at every client
        long drainDeadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (!webhooks.allAccepted(sent) && System.nanoTime() < drainDeadline) {
            Thread.sleep(500);
        }
        sent.forEach(w -> acceptedSoFar.computeIfAbsent(empresas.get(w.empresa()), e -> new ArrayList<>()).add(w));
        Set<String> sentKeys = new HashSet<>();
        sent.forEach(w -> sentKeys.add(w.keyId()));
        Set<String> acceptedKeys = new HashSet<>();
        sent.stream().filter(w -> webhooks.acceptedAt(w.keyId()) != null).forEach(w -> acceptedKeys.add(w.keyId()));
        Map<String, Integer> inPostgres = Map.of();
        long nextReport = System.nanoTime();
        while (System.nanoTime() < drainDeadline) {
            inPostgres = postgresCounts(database, empresas);
            long undelivered = undelivered(subscribers, acceptedSoFar, webhooks);
            if (inPostgres.keySet().containsAll(acceptedKeys) && undelivered == 0) {
                break;
            }
            if (System.nanoTime() >= nextReport) {
                Map<String, Integer> pg = inPostgres;
                System.out.printf("  draining: %d of %d answered 2xx, %d of those in PostgreSQL, %d deliveries "
                        + "to clients missing%n", acceptedKeys.size(), sent.size(),
                        acceptedKeys.stream().filter(pg::containsKey).count(), undelivered);
                nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            }
            Thread.sleep(1000);
        }
        inPostgres = postgresCounts(database, empresas);

        Map<String, Integer> pg = inPostgres;
        long lostInPostgres = acceptedKeys.stream().filter(k -> !pg.containsKey(k)).count();
        long duplicatedInPostgres = acceptedKeys.stream().filter(k -> pg.getOrDefault(k, 0) > 1).count();
        long lostAtClients = 0;
        long duplicatedAtClients = 0;
        long outOfOrder = 0;
        long foreign = 0;
        long lastDelayedRead = 0;
        long maxLatency = 0;
        for (Client client : subscribers.clients()) {
            for (Webhook webhook : acceptedSoFar.getOrDefault(client.empresaId, List.of())) {
                if (webhooks.acceptedAt(webhook.keyId()) == null) {
                    continue;
                }
                Integer copies = client.received.get(webhook.keyId());
                if (copies == null) {
                    lostAtClients++;
                } else if (copies > 1) {
                    duplicatedAtClients++;
                }
                Long read = client.receivedAt.get(webhook.keyId());
                if (read != null && sentKeys.contains(webhook.keyId())) {
                    long latency = read - webhook.dueNanos();
                    maxLatency = Math.max(maxLatency, latency);
                    if (latency > DELAYED_NANOS) {
                        lastDelayedRead = Math.max(lastDelayedRead, read);
                    }
                }
            }
            outOfOrder += client.outOfOrder.getAndSet(0);
            foreign += client.foreign.getAndSet(0);
        }
        long lastFailure = webhooks.lastFailureNanos();
        long recoveredAt = Math.max(lastDelayedRead, lastFailure);
        double recovery = recoveredAt > faultNanos ? (recoveredAt - faultNanos) / 1e9 : 0;
        long failedAnswers = webhooks.failures().values().stream().mapToLong(Integer::longValue).sum();
        String note = webhooks.failures().isEmpty() ? "" : "not 2xx at first: " + webhooks.failures();
        return new Result(scenario.name(), done, sent.size(), acceptedKeys.size(), failedAnswers, lostInPostgres,
                duplicatedInPostgres, lostAtClients, duplicatedAtClients, outOfOrder, foreign,
                subscribers.reconnects() - reconnectsBefore, recovery, maxLatency / 1e9, note);
    }

    /** Webhooks answered 2xx not yet read by a client of their empresa, one per client missing it. */
    private static long undelivered(Subscribers subscribers, Map<String, List<Webhook>> accepted,
            Webhooks webhooks) {
        long missing = 0;
        for (Client client : subscribers.clients()) {
            for (Webhook webhook : accepted.getOrDefault(client.empresaId, List.of())) {
                if (webhooks.acceptedAt(webhook.keyId()) != null && !client.received.containsKey(webhook.keyId())) {
                    missing++;
                }
            }
        }
        return missing;
    }

    /** Mensagens of the run's empresas in PostgreSQL, by key id, with how many rows each has. */
    private static Map<String, Integer> postgresCounts(Connection database, List<String> empresas)
            throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        try (PreparedStatement query = database.prepareStatement(
                "SELECT key_id, count(*) FROM mensagem WHERE empresa_id = ANY (?) GROUP BY key_id")) {
            Array array = database.createArrayOf("text", empresas.toArray());
            query.setArray(1, array);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getInt(2));
                }
            }
        }
        return counts;
    }

    private static String createEmpresa(String admin, String token, String empresa, String instance)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        call(http, admin, token, "PUT", "/admin/empresas/" + empresa, "{\"nome\":\"Chaos " + empresa + "\"}");
        call(http, admin, token, "PUT", "/admin/empresas/" + empresa + "/instances/" + instance, "");
        String issued = call(http, admin, token, "POST", "/admin/empresas/" + empresa + "/webhook-secrets", "");
        int from = issued.indexOf("\"secret\":\"") + 10;
        return issued.substring(from, issued.indexOf('"', from));
    }

    private static String call(HttpClient http, String base, String token, String method, String path, String body)
            throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body();
    }

    private static String header() {
        return "| fault | webhooks posted | answered 2xx | not 2xx at first (retried) | lost in PostgreSQL "
                + "| duplicated in PostgreSQL | lost at clients | duplicated at clients | out of order "
                + "| other empresa's frames | client reconnects | time to recover (s) | max latency (s) |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|";
    }

    private static String row(Result r) {
        return String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %.1f | %.1f |",
                r.scenario(), r.posted(), r.accepted(), r.failedAnswers(), r.lostInPostgres(),
                r.duplicatedInPostgres(), r.lostAtClients(), r.duplicatedAtClients(), r.outOfOrder(), r.foreign(),
                r.reconnects(), r.recoverySeconds(), r.maxLatencySeconds());
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    private static int intEnv(String name, int fallback) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < 1 || parsed > 100_000) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number from 1 to 100000, not \"" + value
                    + "\"");
        }
    }
}

package dev.chatcentral.bench.peers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.LongStream;

import dev.chatcentral.bench.ServiceJvm;
import dev.chatcentral.bench.peers.Options.Comparison;

/**
 * chat-central against its peers of issue 15, side by side on one machine and in one run: each comparison starts one
 * system, measures it, stops it, then does the same for the peer, and again (A B A B), so drift of the shared machine
 * falls on both. Prints and writes a Markdown report ({@code report.md}) with every run, the ratio of the medians and
 * the spread of the per-round ratios, and draws the charts beside it.
 *
 * <pre>bench/side-by-side.sh [all | ack,latency,idle,fanout] [rounds] [output directory]</pre>
 *
 * <ul>
 *   <li>{@code ack}: the highest webhook rate acknowledged with p99 ≤ 50 ms, chat-central vs peer A;</li>
 *   <li>{@code latency}: webhook → WebSocket at 1,000/s for 30 s from the moment the system reported ready, then at
 *       2,000/s, vs peer A;</li>
 *   <li>{@code idle}: resident memory per idle connection at 10,000 connections, vs peer B (Socket.IO);</li>
 *   <li>{@code fanout}: one event to 1,000 and to 10,000 subscribers, the last copy's p99, vs peer B.</li>
 * </ul>
 */
public final class SideBySide {

    static final int IDLE_CONNECTIONS = 10_000;
    static final int[] FANOUT_SUBSCRIBERS = {1_000, 10_000};
    static final int[] LATENCY_RATES = {1_000, 2_000};
    static final int LATENCY_SECONDS = 30;

    private final Options options;
    private final StringBuilder report = new StringBuilder();
    /** Runs that ended without figures, with their reason, for the report. */
    private final List<String> failures = new ArrayList<>();

    private SideBySide(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("side-by-side: " + e.getMessage());
            System.exit(2);
            return;
        }
        new SideBySide(options).run();
        System.exit(0);
    }

    private void run() throws Exception {
        Files.createDirectories(options.out());
        line("# Side by side, %s", LocalDate.now());
        line("");
        line("Load average at the start: %s. Ratios are chat-central ÷ peer of the medians; per round, the ratio of "
                + "that round's two runs (min–max).", loadAverage());
        line("");
        line("chat-central's services ran on: %s.", ServiceJvm.fromEnvironment().describe());
        if (options.comparisons().contains(Comparison.ACK)) {
            ack(options.roundsOf(Comparison.ACK));
        }
        if (options.comparisons().contains(Comparison.LATENCY)) {
            latency(options.roundsOf(Comparison.LATENCY));
        }
        boolean idle = options.comparisons().contains(Comparison.IDLE);
        boolean fanout = options.comparisons().contains(Comparison.FANOUT);
        if (idle || fanout) {
            relays(idle ? options.roundsOf(Comparison.IDLE) : 0, fanout ? options.roundsOf(Comparison.FANOUT) : 0);
        }
        if (!failures.isEmpty()) {
            section("Runs without figures");
            failures.forEach(reason -> line("- " + reason.replace('\n', ' ')));
        }
        Files.writeString(options.out().resolve("report.md"), report);
        System.out.println("report and charts in " + options.out());
    }

    private void ack(int rounds) throws Exception {
        List<AckLadder.Run> ours = new ArrayList<>();
        List<AckLadder.Run> peer = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            progress("ack", round, rounds);
            try (ChatCentralPipeline pipeline = ChatCentralPipeline.start()) {
                ours.add(AckLadder.climb(pipeline));
            }
            try (PgQueuePipeline pipeline = PgQueuePipeline.start()) {
                peer.add(AckLadder.climb(pipeline));
            }
        }
        section("Highest webhook rate acknowledged with p99 ≤ 50 ms (vs peer A)");
        line("Each step's acknowledgement p50/p99 (ms); a step marked * left mensagens undelivered 5 s after it.");
        line("");
        line("| system | run | " + String.join(" | ", Arrays.stream(AckLadder.RATES)
                .mapToObj(rate -> String.format(Locale.ROOT, "%,d/s", rate)).toList()) + " |");
        line("|---|---|" + "---|".repeat(AckLadder.RATES.length));
        Map<String, List<double[]>> points = new LinkedHashMap<>();
        for (List<AckLadder.Run> runs : List.of(ours, peer)) {
            for (int i = 0; i < runs.size(); i++) {
                AckLadder.Run run = runs.get(i);
                List<String> cells = new ArrayList<>();
                for (int rate : AckLadder.RATES) {
                    cells.add(run.steps().stream().filter(s -> s.rate() == rate).findFirst()
                            .map(s -> format(s.p50Ms()) + " / " + format(s.p99Ms())
                                    + (s.failed() > 0 ? ", " + s.failed() + " not 200" : "") + (s.keptUp() ? "" : " *"))
                            .orElse("—"));
                }
                line("| %s | %d | %s |", run.system(), i + 1, String.join(" | ", cells));
                points.put(run.system() + " run " + (i + 1), run.steps().stream()
                        .map(s -> new double[] {s.rate(), s.p99Ms()}).toList());
            }
        }
        line("");
        List<String[]> ratios = new ArrayList<>();
        for (double limit : new double[] {AckLadder.ACK_P99_LIMIT_MS, AckLadder.LOOSE_P99_LIMIT_MS}) {
            ratios.add(ratio(String.format(Locale.ROOT, "webhooks/s at ack p99 ≤ %.0f ms", limit),
                    values(ours, r -> r.sustained(limit)), values(peer, r -> r.sustained(limit)),
                    limit == AckLadder.ACK_P99_LIMIT_MS ? "≥ 10" : ""));
            ratios.add(ratio(String.format(Locale.ROOT, "… and every mensagem delivered (p99 ≤ %.0f ms)", limit),
                    values(ours, r -> r.sustainedAndProcessed(limit)),
                    values(peer, r -> r.sustainedAndProcessed(limit)), ""));
        }
        ratioTable(ratios);
        Charts.throughputAgainstP99(chart("ack-rate-vs-p99.png"), "Webhook acknowledgement p99 against offered rate",
                points, AckLadder.ACK_P99_LIMIT_MS);
    }

    private void latency(int rounds) throws Exception {
        Map<Integer, List<WebhookLatency.Phase>> ours = new LinkedHashMap<>();
        Map<Integer, List<WebhookLatency.Phase>> peer = new LinkedHashMap<>();
        for (int rate : LATENCY_RATES) {
            ours.put(rate, new ArrayList<>());
            peer.put(rate, new ArrayList<>());
        }
        for (int round = 1; round <= rounds; round++) {
            progress("latency", round, rounds);
            try (ChatCentralPipeline pipeline = ChatCentralPipeline.start()) {
                phases(pipeline, ours);
            }
            try (PgQueuePipeline pipeline = PgQueuePipeline.start()) {
                phases(pipeline, peer);
            }
        }
        section("Webhook → WebSocket (vs peer A)");
        line("Each run starts the system, then posts 1,000 webhooks/s for %d s from the moment it reported ready "
                + "(nothing excluded), then 2,000/s for %d s.", LATENCY_SECONDS, LATENCY_SECONDS);
        line("");
        line("| system | run | webhooks/s | sent | received | not 200 | p50 (ms) | p99 (ms) | p99 of the first 5 s (ms)"
                + " | max (ms) |");
        line("|---|---|---|---|---|---|---|---|---|---|");
        for (Map<Integer, List<WebhookLatency.Phase>> system : List.of(ours, peer)) {
            system.forEach((rate, phases) -> {
                for (int i = 0; i < phases.size(); i++) {
                    WebhookLatency.Phase p = phases.get(i);
                    line("| %s | %d | %d | %d | %d | %d | %s | %s | %s | %s |", p.system(), i + 1, rate, p.sent(),
                            p.received(), p.non200(), format(p.percentileMillis(50)), format(p.percentileMillis(99)),
                            format(p.p99FirstSeconds(5)), format(p.percentileMillis(100)));
                }
            });
        }
        line("");
        List<String[]> ratios = new ArrayList<>();
        for (int rate : LATENCY_RATES) {
            for (double percentile : new double[] {50, 99}) {
                ratios.add(ratio(String.format(Locale.ROOT, "p%.0f at %,d/s (ms)", percentile, rate),
                        values(ours.get(rate), p -> p.percentileMillis(percentile)),
                        values(peer.get(rate), p -> p.percentileMillis(percentile)), ""));
            }
        }
        ratioTable(ratios);
        for (int rate : LATENCY_RATES) {
            Map<String, long[]> series = new LinkedHashMap<>();
            series.put("chat-central", concat(ours.get(rate)));
            series.put("pg-queue", concat(peer.get(rate)));
            Charts.percentiles(chart("latency-" + rate + ".png"), String.format(Locale.ROOT,
                    "Webhook → WebSocket at %,d webhooks/s, every run", rate), series);
        }
        Map<String, double[]> fromReady = new LinkedHashMap<>();
        for (Map<Integer, List<WebhookLatency.Phase>> system : List.of(ours, peer)) {
            List<WebhookLatency.Phase> first = system.get(LATENCY_RATES[0]);
            for (int i = 0; i < first.size(); i++) {
                fromReady.put(first.get(i).system() + " run " + (i + 1), first.get(i).p99BySecond());
            }
        }
        Charts.windows(chart("latency-from-ready.png"), "p99 of each second from ready, 1,000 webhooks/s",
                fromReady, 150);
    }

    private static void phases(WebhookPipeline pipeline, Map<Integer, List<WebhookLatency.Phase>> into)
            throws Exception {
        try (WebhookLatency latency = new WebhookLatency(pipeline)) {
            for (int rate : LATENCY_RATES) {
                WebhookLatency.Phase phase = latency.run(rate, LATENCY_SECONDS);
                System.out.printf(Locale.ROOT, "  %s at %d/s: p50 %.1f ms, p99 %.1f ms, %d of %d%n", phase.system(),
                        rate, phase.percentileMillis(50), phase.percentileMillis(99), phase.received(), phase.sent());
                into.get(rate).add(phase);
            }
        }
    }

    private void relays(int idleRounds, int fanoutRounds) throws Exception {
        List<Relay.Idle> idle = new ArrayList<>();
        List<Relay.Fanout> fanout = new ArrayList<>();
        int rounds = Math.max(idleRounds, fanoutRounds);
        for (int round = 1; round <= rounds; round++) {
            progress("relays", round, rounds);
            try (GatewayRelay gateway = GatewayRelay.start()) {
                measure(gateway, round <= idleRounds, round <= fanoutRounds, idle, fanout);
            }
            try (SocketIoRelay socketIo = SocketIoRelay.start()) {
                measure(socketIo, round <= idleRounds, round <= fanoutRounds, idle, fanout);
            }
        }
        if (idleRounds > 0) {
            idleReport(idle);
        }
        if (fanoutRounds > 0) {
            fanoutReport(fanout);
        }
    }

    /**
     * One relay's runs of this round. A run that fails (a client that lost copies, a server that refused) is kept
     * as a run without figures and its reason goes into the report, and the comparison goes on.
     */
    private void measure(Relay relay, boolean idle, boolean fanout, List<Relay.Idle> idles,
                         List<Relay.Fanout> fanouts) {
        if (idle) {
            try {
                Relay.Idle result = relay.idle(IDLE_CONNECTIONS);
                System.out.printf(Locale.ROOT, "  %s idle: %d open, %.1f KiB RSS per connection%n", result.system(),
                        result.connected(), result.rssKiBPerConnection());
                idles.add(result);
            } catch (Exception e) {
                failed(relay.name() + " idle", e);
                idles.add(new Relay.Idle(relay.name(), IDLE_CONNECTIONS, 0, Double.NaN, Double.NaN));
            }
        }
        if (fanout) {
            for (int subscribers : FANOUT_SUBSCRIBERS) {
                try {
                    Relay.Fanout result = relay.fanout(subscribers);
                    System.out.printf(Locale.ROOT, "  %s fan-out to %d: last copy p99 %.1f ms%n", result.system(),
                            subscribers, result.lastCopyP99Ms());
                    fanouts.add(result);
                } catch (Exception e) {
                    failed(relay.name() + " fan-out to " + subscribers, e);
                    fanouts.add(new Relay.Fanout(relay.name(), subscribers, (long) subscribers * Relay.EVENTS, 0,
                            Double.NaN, Double.NaN, Double.NaN));
                }
            }
        }
    }

    private void failed(String run, Exception e) {
        String reason = run + " failed: " + e.getMessage();
        System.out.println("  " + reason);
        failures.add(reason);
    }

    private void idleReport(List<Relay.Idle> runs) throws Exception {
        section(String.format(Locale.ROOT, "Idle connections: memory per connection at %,d (vs peer B)",
                IDLE_CONNECTIONS));
        line("Each connection authenticated with its own token and in its empresa's room or channel, held %d s "
                + "(past a heartbeat); resident memory (VmRSS) of the server after minus before, over the connections. "
                + "The gateway's heap is touched whole at its start (-XX:+AlwaysPreTouch), so its resident figure is "
                + "its growth outside the heap plus its heap per connection after a full collection.",
                Relay.HOLD_SECONDS);
        line("");
        line("| system | run | open at the end | RSS per connection (KiB) | heap per connection (KiB) |");
        line("|---|---|---|---|---|");
        List<Relay.Idle> ours = runs.stream().filter(r -> r.system().equals("chat-central")).toList();
        List<Relay.Idle> peer = runs.stream().filter(r -> !r.system().equals("chat-central")).toList();
        for (List<Relay.Idle> system : List.of(ours, peer)) {
            for (int i = 0; i < system.size(); i++) {
                Relay.Idle r = system.get(i);
                line("| %s | %d | %d | %s | %s |", r.system(), i + 1, r.connected(), format(r.rssKiBPerConnection()),
                        Double.isNaN(r.heapKiBPerConnection()) ? "—" : format(r.heapKiBPerConnection()));
            }
        }
        line("");
        ratioTable(List.<String[]>of(ratio("RSS per idle connection (KiB)",
                values(ours, Relay.Idle::rssKiBPerConnection),
                values(peer, Relay.Idle::rssKiBPerConnection), "≤ 0.5")));
        Map<String, List<double[]>> bars = new LinkedHashMap<>();
        bars.put("chat-central", List.of(values(ours, Relay.Idle::rssKiBPerConnection),
                values(ours, Relay.Idle::heapKiBPerConnection)));
        bars.put("socket.io", List.of(values(peer, Relay.Idle::rssKiBPerConnection), new double[0]));
        Charts.bars(chart("idle-memory.png"), String.format(Locale.ROOT, "Memory per idle connection, %,d held",
                IDLE_CONNECTIONS), "KiB", List.of("resident (RSS)", "JVM heap"), bars);
    }

    private void fanoutReport(List<Relay.Fanout> runs) throws Exception {
        section("Fan-out of one event (vs peer B)");
        line("%d events after %d warm-up events, the next once every copy of the previous arrived and %d ms passed; "
                + "the gateway's copies timed from the write to chat.events, Socket.IO's from just before POST "
                + "/publish.", Relay.EVENTS, Relay.WARM_UP_EVENTS, Relay.PAUSE_MS);
        line("");
        line("| system | run | subscribers | copies received / expected | last copy p50 (ms) | last copy p99 (ms) "
                + "| every copy p99 (ms) |");
        line("|---|---|---|---|---|---|---|");
        List<String[]> ratios = new ArrayList<>();
        Map<String, List<double[]>> bars = new LinkedHashMap<>();
        for (String system : List.of("chat-central", "socket.io")) {
            bars.put(system, new ArrayList<>());
        }
        for (int subscribers : FANOUT_SUBSCRIBERS) {
            List<Relay.Fanout> ours = runs.stream().filter(r -> r.subscribers() == subscribers
                    && r.system().equals("chat-central")).toList();
            List<Relay.Fanout> peer = runs.stream().filter(r -> r.subscribers() == subscribers
                    && !r.system().equals("chat-central")).toList();
            for (List<Relay.Fanout> system : List.of(ours, peer)) {
                for (int i = 0; i < system.size(); i++) {
                    Relay.Fanout r = system.get(i);
                    line("| %s | %d | %,d | %,d / %,d | %s | %s | %s |", r.system(), i + 1, subscribers,
                            r.copiesReceived(), r.copiesExpected(), format(r.lastCopyP50Ms()),
                            format(r.lastCopyP99Ms()), format(r.everyCopyP99Ms()));
                }
            }
            ratios.add(ratio(String.format(Locale.ROOT, "last copy p99 to %,d (ms)", subscribers),
                    values(ours, Relay.Fanout::lastCopyP99Ms), values(peer, Relay.Fanout::lastCopyP99Ms), ""));
            bars.get("chat-central").add(values(ours, Relay.Fanout::lastCopyP99Ms));
            bars.get("socket.io").add(values(peer, Relay.Fanout::lastCopyP99Ms));
        }
        line("");
        ratioTable(ratios);
        List<String> categories = new ArrayList<>();
        for (int subscribers : FANOUT_SUBSCRIBERS) {
            categories.add(String.format(Locale.ROOT, "%,d subscribers", subscribers));
        }
        Charts.bars(chart("fanout-last-copy.png"), "Fan-out of one event: p99 of the last copy", "ms", categories,
                bars);
    }

    /** One row of a ratio table: what, chat-central's runs, the peer's, the ratio of medians and its spread. */
    private static String[] ratio(String what, double[] ours, double[] peer, String target) {
        double[] perRound = Stats.pairRatios(ours, peer);
        double low = Arrays.stream(perRound).min().orElse(Double.NaN);
        double high = Arrays.stream(perRound).max().orElse(Double.NaN);
        return new String[] {what, format(Stats.median(ours)), format(Stats.median(peer)),
                format(Stats.median(ours) / Stats.median(peer)), format(low) + "–" + format(high), target};
    }

    private void ratioTable(List<String[]> rows) {
        line("| figure | chat-central (median) | peer (median) | ratio of medians | per-round ratios | target |");
        line("|---|---|---|---|---|---|");
        rows.forEach(row -> line("| " + String.join(" | ", row) + " |"));
        line("");
    }

    private static <T> double[] values(List<T> runs, ToDoubleFunction<T> figure) {
        return runs.stream().mapToDouble(figure).toArray();
    }

    private static long[] concat(List<WebhookLatency.Phase> phases) {
        return phases.stream().flatMapToLong(p -> LongStream.of(p.micros())).toArray();
    }

    private Path chart(String name) {
        line("![%s](%s)", name, name);
        line("");
        return options.out().resolve(name);
    }

    private static String format(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "—";
        }
        return Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%,.0f", value)
                : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static void progress(String comparison, int round, int rounds) {
        System.out.printf("%s: round %d of %d (load %s)%n", comparison, round, rounds, loadAverage());
    }

    private void section(String title) {
        line("");
        line("## " + title);
        line("");
    }

    private void line(String format, Object... args) {
        String text = args.length == 0 ? format : String.format(Locale.ROOT, format, args);
        report.append(text).append('\n');
        System.out.println(text);
    }
}

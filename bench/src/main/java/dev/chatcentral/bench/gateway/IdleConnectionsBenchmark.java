package dev.chatcentral.bench.gateway;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.chatcentral.bench.ServiceProcess;
import dev.chatcentral.schemas.event.Channel;
import dev.chatcentral.testing.AgentTokens;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/**
 * Idle WebSocket connections on one gateway node (issue 6: 20,000, heap at most 30 KiB each). The gateway runs as
 * its own process (its exec jar) with its connection limits raised; this process opens the connections, each with
 * its own agent token and subscribed to its empresa's channel, keeps them through a keepalive period (answering
 * the server's pings, as browsers do), and compares the gateway's heap after a full GC before and after. Prints
 * one Markdown table row.
 *
 * <pre>bench/gateway-idle.sh [connections, default 20000] [hold seconds, default 35] [gateway heap, default 6g]
 *     [empresas, default 50] [source addresses 127.0.0.2.., default 4]</pre>
 */
public final class IdleConnectionsBenchmark {

    private IdleConnectionsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int holdSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 35;
        String heap = args.length > 2 ? args[2] : "6g";
        int empresas = args.length > 3 ? Integer.parseInt(args[3]) : 50;
        int sources = args.length > 4 ? Integer.parseInt(args[4]) : 4;
        InetAddress[] locals = new InetAddress[sources];
        for (int i = 0; i < sources; i++) {
            locals[i] = InetAddress.getByName("127.0.0." + (2 + i));
        }
        String[] tokens = new String[connections];
        for (int i = 0; i < connections; i++) {
            tokens[i] = AgentTokens.atendente("u-" + i, "emp-" + (i % empresas));
        }
        String limit = Integer.toString(connections + 100);
        try (TestKafka kafka = TestKafka.start(); TestDatabase database = TestDatabase.create();
             ServiceProcess gateway = ServiceProcess.start("gateway-idle", "gateway", heap, kafka, database, Map.of(
                     "WEBSOCKET_MAX_CONNECTIONS", limit,
                     // Tomcat's own cap (8192 by default) would refuse before the gateway's limit is reached
                     "SERVER_TOMCAT_MAXCONNECTIONS", limit,
                     "SERVER_TOMCAT_ACCEPTCOUNT", "1000"));
             SubscribedClients clients = new SubscribedClients((connection, frame, received) -> { })) {
            InetSocketAddress server = new InetSocketAddress("127.0.0.1", gateway.port());
            // one connection per empresa first, so every partition reader the run needs exists before the baseline
            SubscribedClients.Opened warm = clients.openAll(Math.min(empresas, connections), 50,
                    i -> plan(server, locals[i % sources], tokens[i], "emp-" + (i % empresas)));
            long before = gateway.heapUsedAfterGc();
            long rssBefore = gateway.residentBytes();
            SubscribedClients.Opened opened = clients.openAll(connections - warm.subscribed().size(), 200,
                    i -> {
                        int n = i + warm.subscribed().size();
                        return plan(server, locals[n % sources], tokens[n], "emp-" + (n % empresas));
                    });
            Thread.sleep(holdSeconds * 1000L);
            long stillOpen = warm.subscribed().stream().filter(s -> !s.connection().isClosed()).count()
                    + opened.subscribed().stream().filter(s -> !s.connection().isClosed()).count();
            long after = gateway.heapUsedAfterGc();
            long rssAfter = gateway.residentBytes();
            int established = opened.subscribed().size();
            System.out.printf(Locale.ROOT, "| connections asked | subscribed | failed | connect time (s) "
                    + "| open after %d s | heap before (MiB) | heap after (MiB) | heap per connection (KiB) "
                    + "| RSS per connection (KiB) | date |%n|---|---|---|---|---|---|---|---|---|---|%n", holdSeconds);
            System.out.printf(Locale.ROOT, "| %d | %d | %d | %.1f | %d | %.1f | %.1f | %.1f | %.1f | %s |%n",
                    connections, established + warm.subscribed().size(), opened.failed() + warm.failed(),
                    opened.seconds(), stillOpen, before / 1048576.0, after / 1048576.0,
                    (after - before) / 1024.0 / Math.max(1, established),
                    (rssAfter - rssBefore) / 1024.0 / Math.max(1, established), LocalDate.now());
            opened.failures().forEach((reason, count) -> System.out.println("failed " + count + "x: " + reason));
            warm.failures().forEach((reason, count) -> System.out.println("failed " + count + "x: " + reason));
            clients.closeCodes().forEach((code, count) ->
                    System.out.println("closed by the server or network " + count + "x with " + code));
        }
        System.exit(0);
    }

    private static SubscribedClients.Plan plan(InetSocketAddress server, InetAddress local, String token,
                                               String empresaId) {
        return new SubscribedClients.Plan(server, local, token, List.of(Channel.empresa(empresaId)), null);
    }
}

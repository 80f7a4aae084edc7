package dev.chatcentral.bench.peers;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.chatcentral.bench.ServiceJvm;
import dev.chatcentral.bench.ServiceProcess;
import dev.chatcentral.bench.gateway.SubscribedClients;
import dev.chatcentral.bench.ingest.IngestAdmin;
import dev.chatcentral.schemas.event.Channel;

/**
 * Peer A, the PostgreSQL-queue design ({@code bench/peers/README.md}), as {@code bench/peers/pg-queue.sh} runs it
 * (same heap and collector, its documented tuning), in a database of its own made for the run and dropped after.
 */
final class PgQueuePipeline implements WebhookPipeline {

    private static final String ADMIN_TOKEN = "bench-admin-token";
    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";

    private final PeerProcess peer;
    private final String database;

    private PgQueuePipeline(PeerProcess peer, String database) {
        this.peer = peer;
        this.database = database;
    }

    static PgQueuePipeline start() throws Exception {
        String database = "peer_pgqueue_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        int port = ServiceProcess.freePort();
        // the JVM chat-central's services run on, flags included: the peers differ in design, not in runtime
        ServiceJvm jvm = ServiceJvm.fromEnvironment();
        List<String> command = new ArrayList<>(List.of(jvm.java(), "-Xmx512m", "-XX:+UseG1GC"));
        command.addAll(jvm.options());
        command.addAll(List.of("-cp", "bench/target/classes:bench/target/lib/*",
                "dev.chatcentral.bench.peers.pgqueue.PgQueuePeer"));
        PeerProcess peer = PeerProcess.start("side-pg-queue", command,
                Map.of("PEER_PORT", Integer.toString(port), "PEER_JDBC_URL", SERVER + database,
                        "ADMIN_API_TOKEN", ADMIN_TOKEN), port, "/actuator/health");
        return new PgQueuePipeline(peer, database);
    }

    @Override
    public String name() {
        return "pg-queue";
    }

    @Override
    public InetSocketAddress webhooks() {
        return new InetSocketAddress("127.0.0.1", peer.port());
    }

    @Override
    public String createEmpresa(String empresaId, String instance) throws Exception {
        return IngestAdmin.createEmpresa(peer.port(), peer.port(), ADMIN_TOKEN, empresaId, instance);
    }

    @Override
    public SubscribedClients.Plan subscriber(String userId, String empresaId, InetAddress local) {
        // the relay authenticates nobody and subscribes the connection to the empresa named in its URL
        return new SubscribedClients.Plan(webhooks(), local, "", List.of(Channel.empresa(empresaId)), null,
                "/ws?empresa=" + empresaId);
    }

    @Override
    public void close() throws Exception {
        peer.close();
        try (Connection c = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }
}

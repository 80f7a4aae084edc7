package dev.chatcentral.bench.peers;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.chatcentral.bench.ServiceProcess;
import dev.chatcentral.bench.gateway.SubscribedClients;
import dev.chatcentral.bench.ingest.IngestAdmin;
import dev.chatcentral.schemas.event.Channel;
import dev.chatcentral.testing.AgentTokens;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/**
 * chat-central as deployed: a KRaft broker, a fresh database, and the ingest, the stream-processor and the gateway
 * from their exec jars, each its own process with the heap {@code bench/webhook-to-websocket.sh} gives it. Ready
 * when all three report ready.
 */
final class ChatCentralPipeline implements WebhookPipeline {

    private static final String ADMIN_TOKEN = "bench-admin-token";

    private final TestKafka kafka;
    private final TestDatabase database;
    private final Path stateDir;
    private final ServiceProcess ingest;
    private final ServiceProcess processor;
    private final ServiceProcess gateway;

    private ChatCentralPipeline(TestKafka kafka, TestDatabase database, Path stateDir, ServiceProcess ingest,
                                ServiceProcess processor, ServiceProcess gateway) {
        this.kafka = kafka;
        this.database = database;
        this.stateDir = stateDir;
        this.ingest = ingest;
        this.processor = processor;
        this.gateway = gateway;
    }

    static ChatCentralPipeline start() throws Exception {
        TestKafka kafka = TestKafka.start();
        TestDatabase database = TestDatabase.create();
        Path stateDir = Files.createTempDirectory("side-by-side-state");
        ServiceProcess ingest = null;
        ServiceProcess processor = null;
        try {
            ingest = ServiceProcess.start("side-ingest", "ingest", "512m", kafka, database, Map.of(
                    "ADMIN_API_TOKEN", ADMIN_TOKEN,
                    // measured is the pipeline, not the per-empresa admission limit
                    "INGEST_RATE_LIMIT_PER_EMPRESA", "1000000"));
            processor = ServiceProcess.start("side-processor", "stream-processor", "1g", kafka, database,
                    Map.of("STREAMS_STATE_DIR", stateDir.toString()));
            ServiceProcess gateway = ServiceProcess.start("side-gateway", "gateway", "1g", kafka, database, Map.of());
            return new ChatCentralPipeline(kafka, database, stateDir, ingest, processor, gateway);
        } catch (Exception e) {
            closeAll(ingest, processor, null, database, kafka, stateDir);
            throw e;
        }
    }

    @Override
    public String name() {
        return "chat-central";
    }

    @Override
    public InetSocketAddress webhooks() {
        return new InetSocketAddress("127.0.0.1", ingest.port());
    }

    @Override
    public String createEmpresa(String empresaId, String instance) throws Exception {
        return IngestAdmin.createEmpresa(ingest, ADMIN_TOKEN, empresaId, instance);
    }

    @Override
    public SubscribedClients.Plan subscriber(String userId, String empresaId, InetAddress local) {
        return new SubscribedClients.Plan(new InetSocketAddress("127.0.0.1", gateway.port()), local,
                AgentTokens.atendente(userId, empresaId), List.of(Channel.empresa(empresaId)), null);
    }

    @Override
    public void close() throws Exception {
        closeAll(ingest, processor, gateway, database, kafka, stateDir);
    }

    private static void closeAll(ServiceProcess ingest, ServiceProcess processor, ServiceProcess gateway,
                                 TestDatabase database, TestKafka kafka, Path stateDir) throws Exception {
        for (ServiceProcess service : new ServiceProcess[] {gateway, processor, ingest}) {
            if (service != null) {
                service.close();
            }
        }
        database.close();
        kafka.close();
        ServiceProcess.deleteTree(stateDir);
    }
}

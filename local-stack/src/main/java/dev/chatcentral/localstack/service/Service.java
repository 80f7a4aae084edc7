package dev.chatcentral.localstack.service;

import java.net.URI;
import java.util.List;

import dev.chatcentral.localstack.StackLayout;

/**
 * One chat-central service the stack runs from its Spring Boot executable jar.
 *
 * @param name           the module, also the name of its log file
 * @param port           its public HTTP port (the stream-processor's listens on loopback and serves nothing)
 * @param managementPort the port of its health, metrics and admin calls (the simulator has one port for all)
 * @param arguments      extra command-line arguments for the application
 */
public record Service(String name, int port, int managementPort, List<String> arguments) {

    public static final Service INGEST = new Service("ingest", 8081, 9081, List.of());
    public static final Service GATEWAY = new Service("gateway", 8080, 9080, List.of());
    public static final Service SIMULATOR = new Service("evolution-simulator", 8090, 8090, List.of());
    public static final String STREAM_PROCESSOR = "stream-processor";
    /** Every service's name, in start order. */
    public static final List<String> NAMES = List.of(INGEST.name(), STREAM_PROCESSOR, GATEWAY.name(), SIMULATOR.name());

    /** The stream-processor keeps its Kafka Streams state under the stack's data directory, across restarts. */
    public static Service streamProcessor(StackLayout layout) {
        return new Service(STREAM_PROCESSOR, 8083, 8082,
                List.of("--chatcentral.processor.state-dir=" + layout.processorStateDir()));
    }

    /** The readiness probe, which answers without the management token. */
    public URI healthUrl() {
        return URI.create("http://localhost:" + managementPort + "/actuator/health/readiness");
    }
}

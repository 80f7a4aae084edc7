package dev.chatcentral.localstack.service;

import java.net.URI;
import java.util.List;

import dev.chatcentral.localstack.StackLayout;

/**
 * One chat-central service process the stack runs from its module's Spring Boot executable jar.
 *
 * @param name           the process: its log file, its pid file and the name {@code --kill} takes; the module's
 *                       name where the module runs once (bin/stack), {@code <module>-<n>} in the cluster
 * @param module         the Maven module whose executable jar it runs
 * @param port           its public HTTP port (the stream-processor's and the analytics' listen on loopback and serve
 *                       nothing)
 * @param managementPort the port of its health, metrics and admin calls (the simulator has one port for all)
 * @param arguments      extra command-line arguments for the application
 */
public record Service(String name, String module, int port, int managementPort, List<String> arguments) {

    public static final String INGEST_MODULE = "ingest";
    public static final String GATEWAY_MODULE = "gateway";
    public static final String STREAM_PROCESSOR = "stream-processor";
    public static final String SIMULATOR_MODULE = "evolution-simulator";
    public static final String ANALYTICS = "analytics";

    public static final Service INGEST = new Service(INGEST_MODULE, INGEST_MODULE, 8081, 9081, List.of());
    public static final Service GATEWAY = new Service(GATEWAY_MODULE, GATEWAY_MODULE, 8080, 9080, List.of());
    public static final Service SIMULATOR = new Service(SIMULATOR_MODULE, SIMULATOR_MODULE, 8090, 8090, List.of());
    /** Every service's name, in start order. */
    public static final List<String> NAMES = List.of(INGEST.name(), STREAM_PROCESSOR, GATEWAY.name(), ANALYTICS,
            SIMULATOR.name());

    /** The stream-processor keeps its Kafka Streams state under the stack's data directory, across restarts. */
    public static Service streamProcessor(StackLayout layout) {
        return new Service(STREAM_PROCESSOR, STREAM_PROCESSOR, 8083, 8082,
                List.of("--chatcentral.processor.state-dir=" + layout.processorStateDir()));
    }

    /** The analytics tap keeps its Kafka Streams state under the stack's data directory too. */
    public static Service analytics(StackLayout layout) {
        return new Service(ANALYTICS, ANALYTICS, 8087, 8086,
                List.of("--chatcentral.analytics.state-dir=" + layout.analyticsStateDir()));
    }

    /** The readiness probe, which answers without the management token. */
    public URI healthUrl() {
        return URI.create("http://localhost:" + managementPort + "/actuator/health/readiness");
    }
}

package dev.chatcentral.localstack.service;

import java.net.URI;
import java.util.List;

import dev.chatcentral.localstack.StackLayout;

/**
 * One chat-central service the stack runs from its Spring Boot executable jar.
 *
 * @param name      the module, also the name of its log file
 * @param port      its HTTP port (the stream-processor's is management only)
 * @param arguments extra command-line arguments for the application
 */
public record Service(String name, int port, List<String> arguments) {

    public static final Service INGEST = new Service("ingest", 8081, List.of());
    public static final Service GATEWAY = new Service("gateway", 8080, List.of());
    public static final Service SIMULATOR = new Service("evolution-simulator", 8090, List.of());
    public static final String STREAM_PROCESSOR = "stream-processor";
    /** Every service's name, in start order. */
    public static final List<String> NAMES = List.of(INGEST.name(), STREAM_PROCESSOR, GATEWAY.name(), SIMULATOR.name());

    /** The stream-processor keeps its Kafka Streams state under the stack's data directory, across restarts. */
    public static Service streamProcessor(StackLayout layout) {
        return new Service(STREAM_PROCESSOR, 8082,
                List.of("--chatcentral.processor.state-dir=" + layout.processorStateDir()));
    }

    public URI healthUrl() {
        return URI.create("http://localhost:" + port + "/actuator/health");
    }
}

package dev.chatcentral.localstack.kafka;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One KRaft node (broker and controller in one process) on loopback.
 *
 * @param name           its process name: log file, pid file, {@code --kill}
 * @param nodeId         Kafka's {@code node.id}, unique in the quorum
 * @param port           the client (PLAINTEXT) listener
 * @param controllerPort the controller listener, where the quorum votes
 * @param logDir         its {@code log.dirs}
 */
public record KafkaNode(String name, int nodeId, int port, int controllerPort, Path logDir) {

    public String address() {
        return KafkaBroker.HOST + ":" + port;
    }

    public String controllerAddress() {
        return KafkaBroker.HOST + ":" + controllerPort;
    }

    /** {@code controller.quorum.voters} of a static quorum: {@code id@host:port} of every node, comma-separated. */
    public static String voters(List<KafkaNode> quorum) {
        return quorum.stream().map(node -> node.nodeId() + "@" + node.controllerAddress())
                .collect(Collectors.joining(","));
    }

    /** Every node's client listener, the bootstrap list the services and clients get. */
    public static String bootstrapServers(List<KafkaNode> quorum) {
        return quorum.stream().map(KafkaNode::address).collect(Collectors.joining(","));
    }
}

package dev.chatcentral.localstack.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.chatcentral.localstack.StackLayout;
import dev.chatcentral.localstack.kafka.KafkaNode;
import dev.chatcentral.localstack.service.Service;

class ClusterLayoutTest {

    private final ClusterLayout layout =
            new ClusterLayout(new StackLayout(Path.of("/repo"), Path.of("/repo/.cluster")));

    @Test
    void shouldGiveEveryListenerAPortOfItsOwn() {
        List<Integer> ports = layout.ports().stream().map(Map.Entry::getKey).toList();

        assertThat(ports).doesNotHaveDuplicates();
        assertThat(ports).allSatisfy(port -> assertThat(port).isBetween(18000, 19999));
    }

    @Test
    void shouldStayClearOfThePortsOfBinStack() {
        Set<Integer> stackPorts = Set.of(8080, 8081, 8082, 8083, 8084, 8085, 8090, 9080, 9081, 9082, 9083, 9084,
                9092, 9093);

        assertThat(layout.ports()).extracting(Map.Entry::getKey).doesNotContainAnyElementsOf(stackPorts);
    }

    @Test
    void shouldNameEveryVoterOfTheQuorumByNodeIdAndControllerPort() {
        assertThat(KafkaNode.voters(layout.kafkaNodes()))
                .isEqualTo("1@127.0.0.1:19191,2@127.0.0.1:19192,3@127.0.0.1:19193");
        assertThat(layout.bootstrapServers()).isEqualTo("127.0.0.1:19091,127.0.0.1:19092,127.0.0.1:19093");
    }

    @Test
    void shouldRunTheShapeOfProduction() {
        assertThat(layout.kafkaNodes()).hasSize(3);
        assertThat(layout.ingestNodes()).hasSize(2);
        assertThat(layout.streamProcessors()).hasSize(2);
        assertThat(layout.gateways()).hasSize(3);
        assertThat(layout.names()).containsExactly("kafka-1", "kafka-2", "kafka-3", "ingest-1", "ingest-2",
                "stream-processor-1", "stream-processor-2", "gateway-1", "gateway-2", "gateway-3",
                "evolution-simulator");
    }

    @Test
    void shouldGiveEachBrokerAndEachStreamProcessorADirectoryOfItsOwn() {
        assertThat(layout.kafkaNodes()).extracting(KafkaNode::logDir).doesNotHaveDuplicates()
                .allSatisfy(dir -> assertThat(dir).startsWithRaw(Path.of("/repo/.cluster")));
        assertThat(layout.streamProcessors()).extracting(Service::arguments)
                .containsExactly(List.of("--chatcentral.processor.state-dir=/repo/.cluster/state/stream-processor-1"),
                        List.of("--chatcentral.processor.state-dir=/repo/.cluster/state/stream-processor-2"));
    }

    @Test
    void shouldGiveEachNodeItsPortsAndANodeIdOfItsOwn() {
        Map<String, String> ingest2 = ClusterLayout.nodeEnvironment(layout.ingestNodes().get(1));
        Map<String, String> gateway3 = ClusterLayout.nodeEnvironment(layout.gateways().get(2));
        Map<String, String> processor1 = ClusterLayout.nodeEnvironment(layout.streamProcessors().get(0));

        assertThat(ingest2).containsEntry("SERVER_PORT", "18112").containsEntry("MANAGEMENT_PORT", "19112")
                .containsEntry("INGEST_NODE_ID", "ingest-2");
        assertThat(gateway3).containsEntry("SERVER_PORT", "18133").containsEntry("MANAGEMENT_PORT", "19133")
                .containsEntry("GATEWAY_NODE_ID", "gateway-3");
        assertThat(processor1).containsEntry("CHATCENTRAL_NODE_ID", "stream-processor-1")
                .doesNotContainKey("STREAMS_APPLICATION_ID");
    }

    @Test
    void shouldGiveTheSimulatorOnePortForAll() {
        assertThat(ClusterLayout.nodeEnvironment(layout.simulator()))
                .containsOnly(Map.entry("SERVER_PORT", "18090"));
    }
}

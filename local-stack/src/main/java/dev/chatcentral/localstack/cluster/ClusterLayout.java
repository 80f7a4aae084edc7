package dev.chatcentral.localstack.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.chatcentral.localstack.StackLayout;
import dev.chatcentral.localstack.kafka.KafkaNode;
import dev.chatcentral.localstack.service.Service;

/**
 * Who runs where in bin/cluster: three KRaft nodes, two ingest nodes, two stream-processors, three gateways and
 * the simulator, each on its own loopback ports in 18xxx/19xxx so that the cluster and bin/stack (8080-8090,
 * 9080-9093) can run side by side; the load balancers in front of the ingest and gateway nodes take the public
 * ports, and PostgreSQL is reached through a proxy the chaos suite can take away.
 */
public record ClusterLayout(StackLayout stack) {

    public static final int KAFKA_NODES = 3;
    public static final int INGEST_NODES = 2;
    public static final int STREAM_PROCESSORS = 2;
    public static final int GATEWAYS = 3;

    public static final int GATEWAY_LB_PORT = 18080;
    public static final int INGEST_LB_PORT = 18081;
    public static final int SIMULATOR_PORT = 18090;
    /** The launcher's control port: {@code bin/cluster --pause-postgres}. */
    public static final int CONTROL_PORT = 18099;
    public static final int POSTGRES_PROXY_PORT = 18432;

    /** The cluster's own database, apart from bin/stack's: its checks count rows that only it wrote. */
    public static final String DATABASE = "chatcentral_cluster";

    /** The cluster of a launcher started in the repository root, as bin/cluster does: data in .cluster/. */
    public static ClusterLayout here() {
        return new ClusterLayout(StackLayout.of(Path.of(""), System.getenv(), ".cluster"));
    }

    /** kafka-n listens on 19090+n, its controller on 19190+n. */
    public List<KafkaNode> kafkaNodes() {
        return IntStream.rangeClosed(1, KAFKA_NODES)
                .mapToObj(n -> new KafkaNode("kafka-" + n, n, 19090 + n, 19190 + n, stack.kafkaLogDir("kafka-" + n)))
                .toList();
    }

    /** ingest-n: public 18110+n, management 19110+n. */
    public List<Service> ingestNodes() {
        return nodes(Service.INGEST_MODULE, INGEST_NODES, 18110, 19110);
    }

    /** stream-processor-n: loopback 18120+n, management 19120+n, each with a state directory of its own. */
    public List<Service> streamProcessors() {
        return IntStream.rangeClosed(1, STREAM_PROCESSORS).mapToObj(n -> {
            String name = Service.STREAM_PROCESSOR + "-" + n;
            return new Service(name, Service.STREAM_PROCESSOR, 18120 + n, 19120 + n,
                    List.of("--chatcentral.processor.state-dir=" + stack.processorStateDir(name)));
        }).toList();
    }

    /** gateway-n: public 18130+n, management 19130+n. */
    public List<Service> gateways() {
        return nodes(Service.GATEWAY_MODULE, GATEWAYS, 18130, 19130);
    }

    public Service simulator() {
        return new Service(Service.SIMULATOR_MODULE, Service.SIMULATOR_MODULE, SIMULATOR_PORT, SIMULATOR_PORT,
                List.of());
    }

    /** Every service process, in start order: the simulator last, once the ingest nodes take its traffic. */
    public List<Service> services() {
        List<Service> services = new ArrayList<>();
        services.addAll(ingestNodes());
        services.addAll(streamProcessors());
        services.addAll(gateways());
        services.add(simulator());
        return List.copyOf(services);
    }

    /** Every child process's name, what {@code bin/cluster --kill} accepts. */
    public List<String> names() {
        List<String> names = new ArrayList<>(kafkaNodes().stream().map(KafkaNode::name).toList());
        names.addAll(services().stream().map(Service::name).toList());
        return List.copyOf(names);
    }

    public String bootstrapServers() {
        return KafkaNode.bootstrapServers(kafkaNodes());
    }

    /** Every port the cluster listens on and for what, in a list so that a port given twice shows twice. */
    public List<Map.Entry<Integer, String>> ports() {
        List<Map.Entry<Integer, String>> ports = new ArrayList<>();
        kafkaNodes().forEach(node -> {
            ports.add(Map.entry(node.port(), node.name()));
            ports.add(Map.entry(node.controllerPort(), node.name() + "'s controller"));
        });
        services().forEach(service -> {
            ports.add(Map.entry(service.port(), service.name()));
            if (service.managementPort() != service.port()) {
                ports.add(Map.entry(service.managementPort(), service.name() + "'s management"));
            }
        });
        ports.add(Map.entry(GATEWAY_LB_PORT, "the gateway load balancer"));
        ports.add(Map.entry(INGEST_LB_PORT, "the ingest load balancer"));
        ports.add(Map.entry(POSTGRES_PROXY_PORT, "the PostgreSQL proxy"));
        ports.add(Map.entry(CONTROL_PORT, "the cluster's control port"));
        return List.copyOf(ports);
    }

    /**
     * What tells one node of a service from another of the same kind: its ports and its node id, which names it in
     * logs, in {@code chat.ingest.nodes}, in the gateways' heartbeats and in presence.
     */
    public static Map<String, String> nodeEnvironment(Service service) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SERVER_PORT", Integer.toString(service.port()));
        if (service.managementPort() != service.port()) {
            env.put("MANAGEMENT_PORT", Integer.toString(service.managementPort()));
        }
        switch (service.module()) {
            case Service.INGEST_MODULE -> env.put("INGEST_NODE_ID", service.name());
            case Service.GATEWAY_MODULE -> env.put("GATEWAY_NODE_ID", service.name());
            case Service.STREAM_PROCESSOR -> env.put("CHATCENTRAL_NODE_ID", service.name());
            default -> {
                // the simulator is one process and needs no name
            }
        }
        return env;
    }

    private static List<Service> nodes(String module, int count, int portBase, int managementBase) {
        return IntStream.rangeClosed(1, count)
                .mapToObj(n -> new Service(module + "-" + n, module, portBase + n, managementBase + n, List.of()))
                .toList();
    }
}

package dev.chatcentral.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The topology docker-compose.yml deploys, in the terms any other layout of chat-central (bin/cluster's, say) can be
 * put in to compare: how many brokers, each service module's nodes with the ports they listen on and the variables
 * they are given, and which public port the load balancer spreads over which module.
 *
 * @param brokers       the KRaft brokers (each also a controller)
 * @param nodesByModule per chat-central module, its nodes in the file's order
 * @param balancedPorts per public port of the load balancer, the module whose nodes it spreads requests over
 */
record ComposeLayout(int brokers, Map<String, List<Node>> nodesByModule, Map<Integer, String> balancedPorts) {

    /** One process of a chat-central module. */
    record Node(String name, String module, int publicPort, int managementPort, Map<String, String> environment) {
    }

    static ComposeLayout of(ComposeFile compose, LoadBalancerConfig balancer,
                            Function<String, ServiceSettings> settingsOfModule) {
        Map<String, List<Node>> nodes = new LinkedHashMap<>();
        for (ComposeFile.Service service : compose.services().values()) {
            if (!service.isBuilt()) {
                continue;
            }
            ServiceSettings settings = settingsOfModule.apply(service.module());
            nodes.computeIfAbsent(service.module(), m -> new ArrayList<>()).add(new Node(service.name(),
                    service.module(), settings.publicPort(service.environment()),
                    settings.managementPort(service.environment()), service.environment()));
        }
        nodes.replaceAll((module, list) -> List.copyOf(list));
        Map<Integer, String> balanced = new LinkedHashMap<>();
        balancer.frontendPorts().forEach((port, backend) -> {
            List<LoadBalancerConfig.Server> servers = balancer.backends().getOrDefault(backend, List.of());
            List<String> modules = servers.stream().map(s -> compose.service(s.host()).module()).distinct().toList();
            if (modules.size() != 1 || modules.get(0) == null) {
                throw new IllegalArgumentException("the load balancer's port " + port + " (backend " + backend
                        + ") goes to " + modules + ", not to the nodes of one chat-central module");
            }
            balanced.put(port, modules.get(0));
        });
        return new ComposeLayout(compose.runningImage("apache/kafka:").size(), Map.copyOf(nodes), balanced);
    }

    /** How many nodes each module has, e.g. {@code {ingest=2, gateway=3}}. */
    Map<String, Integer> nodeCounts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        nodesByModule.forEach((module, list) -> counts.put(module, list.size()));
        return counts;
    }
}

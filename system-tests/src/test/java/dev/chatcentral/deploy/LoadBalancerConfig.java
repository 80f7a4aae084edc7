package dev.chatcentral.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * deploy/haproxy.cfg, the load balancer of docker-compose.yml: which port goes to which backend, and each backend's
 * servers with the port requests go to and the port their health check asks.
 */
record LoadBalancerConfig(Map<Integer, String> frontendPorts, Map<String, List<Server>> backends) {

    /** One node behind the balancer: {@code server gateway-1 gateway-1:8080 port 9080}. */
    record Server(String name, String host, int port, int checkPort) {
    }

    static LoadBalancerConfig parse(String config) {
        Map<Integer, String> frontendPorts = new LinkedHashMap<>();
        Map<String, List<Server>> backends = new LinkedHashMap<>();
        String section = "";
        String name = "";
        Integer bound = null;
        int lineNumber = 0;
        for (String raw : config.split("\n")) {
            lineNumber++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] words = line.split("\\s+");
            if (!Character.isWhitespace(raw.charAt(0))) {
                section = words[0];
                name = words.length > 1 ? words[1] : "";
                bound = null;
                if (section.equals("backend")) {
                    backends.put(name, new ArrayList<>());
                }
                continue;
            }
            String where = "haproxy.cfg line " + lineNumber + " (" + line + ")";
            switch (section + " " + words[0]) {
                case "frontend bind" -> bound = Integer.parseInt(words[1].substring(words[1].lastIndexOf(':') + 1));
                case "frontend default_backend" -> {
                    if (bound == null) {
                        throw new IllegalArgumentException(where + ": a default_backend before the frontend's bind");
                    }
                    frontendPorts.put(bound, words[1]);
                }
                case "backend server" -> backends.get(name).add(server(words, where));
                default -> {
                }
            }
        }
        return new LoadBalancerConfig(frontendPorts, backends);
    }

    private static Server server(String[] words, String where) {
        if (words.length < 3 || !words[2].contains(":")) {
            throw new IllegalArgumentException(where + ": expected 'server NAME HOST:PORT ...'");
        }
        String host = words[2].substring(0, words[2].lastIndexOf(':'));
        int port = Integer.parseInt(words[2].substring(words[2].lastIndexOf(':') + 1));
        int checkPort = port;
        for (int i = 3; i + 1 < words.length; i++) {
            if (words[i].equals("port")) {
                checkPort = Integer.parseInt(words[i + 1]);
            }
        }
        return new Server(words[1], host, port, checkPort);
    }
}

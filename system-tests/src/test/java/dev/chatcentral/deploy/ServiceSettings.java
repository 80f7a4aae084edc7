package dev.chatcentral.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * What a service reads from its environment, as its own {@code <module>.yml} (and the files it imports with
 * {@code spring.config.import: classpath:...}) says: the variables its placeholders name ({@code ${INGEST_ACK_TIMEOUT:2s}})
 * and the variables Spring's relaxed binding maps onto the properties the files set ({@code SERVER_PORT} onto
 * {@code server.port}), and the ports it listens on when the environment does not move them.
 */
final class ServiceSettings {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^}$]*))?");
    /** A placeholder naming another property ({@code ${chatcentral.node-id}}), which the environment can set too. */
    private static final Pattern PROPERTY_REFERENCE = Pattern.compile("\\$\\{([a-z][a-z0-9.-]*)[:}]");

    private final String module;
    /** Every property the files set, flattened ({@code server.port}), with its value as written. */
    private final Map<String, String> properties;
    /** Every variable a placeholder names, with its default as written (empty when it has none). */
    private final Map<String, String> placeholders;
    /** Every property a placeholder names, e.g. {@code chatcentral.node-id} (CHATCENTRAL_NODE_ID). */
    private final Set<String> referencedProperties;

    private ServiceSettings(String module, Map<String, String> properties, Map<String, String> placeholders,
                            Set<String> referencedProperties) {
        this.module = module;
        this.properties = properties;
        this.placeholders = placeholders;
        this.referencedProperties = referencedProperties;
    }

    /** The settings of {@code module}, read from its sources in the checkout at {@code root}. */
    static ServiceSettings of(Path root, String module) {
        Path own = root.resolve(module).resolve("src/main/resources").resolve(module + ".yml");
        if (!Files.isRegularFile(own)) {
            throw new IllegalArgumentException("no service module '" + module + "': " + root.relativize(own)
                    + " does not exist");
        }
        Map<String, String> properties = new LinkedHashMap<>();
        flatten("", load(own), properties);
        for (String imported : imports(properties)) {
            flatten("", load(classpathResource(root, imported)), properties);
        }
        Map<String, String> placeholders = new LinkedHashMap<>();
        Set<String> referenced = new TreeSet<>();
        for (String value : properties.values()) {
            Matcher matcher = PLACEHOLDER.matcher(value);
            while (matcher.find()) {
                placeholders.putIfAbsent(matcher.group(1), matcher.group(2) == null ? "" : matcher.group(2));
            }
            Matcher reference = PROPERTY_REFERENCE.matcher(value);
            while (reference.find()) {
                referenced.add(reference.group(1));
            }
        }
        return new ServiceSettings(module, properties, placeholders, referenced);
    }

    String module() {
        return module;
    }

    /**
     * Whether the service reads {@code variable}: a placeholder names it, or it binds to a property set or
     * referenced here.
     */
    boolean reads(String variable) {
        return placeholders.containsKey(variable) || Stream.concat(properties.keySet().stream(),
                referencedProperties.stream()).flatMap(ServiceSettings::environmentNames).anyMatch(variable::equals);
    }

    /** Whether {@code variable} binds under one of the service's own property namespaces, e.g. {@code chatcentral.simulator}. */
    boolean ownsNamespaceOf(String variable) {
        return properties.keySet().stream()
                .filter(key -> key.startsWith("chatcentral.") && key.indexOf('.', "chatcentral.".length()) > 0)
                .map(key -> environmentName(key.substring(0, key.indexOf('.', "chatcentral.".length()))) + "_")
                .anyMatch(variable::startsWith);
    }

    /** The public HTTP port: {@code SERVER_PORT} from {@code environment}, else {@code server.port}'s default. */
    int publicPort(Map<String, String> environment) {
        return port(environment, "SERVER_PORT", "server.port")
                .orElseThrow(() -> new IllegalStateException(module + " sets no server.port"));
    }

    /**
     * The port of its health probes: {@code MANAGEMENT_PORT} from {@code environment}, else
     * {@code management.server.port}'s default; a service without a management port of its own (the simulator)
     * serves them on its public port.
     */
    int managementPort(Map<String, String> environment) {
        return port(environment, "MANAGEMENT_PORT", "management.server.port")
                .orElseGet(() -> publicPort(environment));
    }

    private Optional<Integer> port(Map<String, String> environment, String variable, String property) {
        String written = properties.get(property);
        if (written == null) {
            return Optional.empty();
        }
        Matcher placeholder = PLACEHOLDER.matcher(written);
        String value;
        if (placeholder.lookingAt()) {
            // the variable the placeholder names, as the compose file sets it, else the placeholder's default
            value = environment.getOrDefault(placeholder.group(1), placeholder.group(2));
        } else {
            value = environment.getOrDefault(variable, written);
        }
        try {
            return Optional.of(Integer.parseInt(value.trim()));
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalStateException(module + "'s " + property + " is not a port: '" + value + "'");
        }
    }

    /**
     * Spring's relaxed binding, backwards: {@code server.tomcat.max-connections} is set by
     * {@code SERVER_TOMCAT_MAXCONNECTIONS}, and also by {@code SERVER_TOMCAT_MAX_CONNECTIONS} (the form the system
     * environment's property source tries for {@code ${...}} references).
     */
    static Stream<String> environmentNames(String property) {
        return Stream.of(environmentName(property), property.replace('.', '_').replace('-', '_')
                .toUpperCase(Locale.ROOT)).distinct();
    }

    private static String environmentName(String property) {
        return property.replace("-", "").replace('.', '_').toUpperCase(Locale.ROOT);
    }

    private static List<String> imports(Map<String, String> properties) {
        List<String> imports = new ArrayList<>();
        properties.forEach((key, value) -> {
            if (key.equals("spring.config.import") || key.startsWith("spring.config.import[")) {
                for (String entry : value.split(",")) {
                    imports.add(entry.trim());
                }
            }
        });
        return imports;
    }

    /** A {@code classpath:} import, found in the one module whose resources hold it. */
    private static Path classpathResource(Path root, String location) {
        if (!location.startsWith("classpath:")) {
            throw new IllegalStateException("only classpath: imports are understood, not " + location);
        }
        String path = location.substring("classpath:".length());
        try (Stream<Path> modules = Files.list(root)) {
            List<Path> found = modules.map(m -> m.resolve("src/main/resources").resolve(path))
                    .filter(Files::isRegularFile).toList();
            if (found.size() != 1) {
                throw new IllegalStateException("the import " + location + " is in " + found.size()
                        + " modules' resources, not one");
            }
            return found.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object load(Path file) {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(Repository.read(file));
    }

    private static void flatten(String prefix, Object node, Map<String, String> into) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> flatten(prefix.isEmpty() ? String.valueOf(key) : prefix + "." + key, value,
                    into));
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                flatten(prefix + "[" + i + "]", list.get(i), into);
            }
        } else if (node != null) {
            into.put(prefix, String.valueOf(node));
        }
    }
}

package dev.chatcentral.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * docker-compose.yml as written, before any env file is applied: its services (YAML merge keys resolved) with their
 * environment, build, ports and profiles, and the {@code ${VAR}} the file takes from the env file.
 */
final class ComposeFile {

    /** {@code ${VAR}}, {@code ${VAR:-default}} or {@code ${VAR:?message}}; {@code $$} is a literal dollar. */
    private static final Pattern INTERPOLATION =
            Pattern.compile("(?<!\\$)\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");

    /** One service of the file. {@code module} is the chat-central module it is built from, null for an image. */
    record Service(String name, String image, String module, String dockerfile, String buildContext,
                   Map<String, String> buildArgs, Map<String, String> environment, List<String> ports,
                   List<String> profiles) {

        boolean isBuilt() {
            return module != null;
        }
    }

    private final Map<String, Service> services;

    private ComposeFile(Map<String, Service> services) {
        this.services = services;
    }

    static ComposeFile parse(String yaml) {
        Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        Map<String, Object> top = map(document, "the compose file");
        Map<String, Object> declared = map(top.get("services"), "services");
        Map<String, Service> services = new LinkedHashMap<>();
        declared.forEach((name, definition) -> services.put(name, service(name, map(definition, "service " + name))));
        return new ComposeFile(services);
    }

    Map<String, Service> services() {
        return services;
    }

    Service service(String name) {
        Service service = services.get(name);
        if (service == null) {
            throw new IllegalArgumentException("docker-compose.yml has no service " + name);
        }
        return service;
    }

    /** The services built from {@code module}, in the file's order (ingest-1, ingest-2). */
    List<Service> instancesOf(String module) {
        return services.values().stream().filter(s -> module.equals(s.module())).toList();
    }

    /** The services run from an image whose name starts with {@code imagePrefix} ({@code apache/kafka:}). */
    List<Service> runningImage(String imagePrefix) {
        return services.values().stream().filter(s -> s.image() != null && s.image().startsWith(imagePrefix)).toList();
    }

    /** The variables a value takes from the env file that it cannot do without ({@code ${VAR:?message}}). */
    static Set<String> requiredVariables(String value) {
        return interpolations(value, true);
    }

    /** Every variable a value takes from the env file. */
    static Set<String> interpolatedVariables(String value) {
        return interpolations(value, false);
    }

    /** Every variable the whole file takes from the env file. */
    Set<String> interpolatedVariables() {
        Set<String> variables = new TreeSet<>();
        for (Service service : services.values()) {
            service.environment().values().forEach(v -> variables.addAll(interpolatedVariables(v)));
            service.buildArgs().values().forEach(v -> variables.addAll(interpolatedVariables(v)));
        }
        return variables;
    }

    private static Set<String> interpolations(String value, boolean requiredOnly) {
        Set<String> variables = new TreeSet<>();
        Matcher matcher = INTERPOLATION.matcher(value);
        while (matcher.find()) {
            if (!requiredOnly || ":?".equals(matcher.group(2))) {
                variables.add(matcher.group(1));
            }
        }
        return variables;
    }

    private static Service service(String name, Map<String, Object> definition) {
        String module = null;
        String dockerfile = null;
        String context = null;
        Map<String, String> buildArgs = Map.of();
        Object build = definition.get("build");
        if (build != null) {
            Map<String, Object> b = map(build, "the build of " + name);
            dockerfile = string(b.get("dockerfile"));
            context = string(b.get("context"));
            buildArgs = strings(b.get("args"), "the build args of " + name);
            module = buildArgs.get("MODULE");
            if (module == null) {
                throw new IllegalArgumentException("service " + name + " is built without a MODULE build arg");
            }
        }
        return new Service(name, string(definition.get("image")), module, dockerfile, context, buildArgs,
                strings(definition.get("environment"), "the environment of " + name),
                list(definition.get("ports")), list(definition.get("profiles")));
    }

    /** A mapping of names to scalars; compose's list form ({@code - NAME=value}) is refused: this file uses maps. */
    private static Map<String, String> strings(Object node, String what) {
        if (node == null) {
            return Map.of();
        }
        Map<String, String> values = new LinkedHashMap<>();
        map(node, what).forEach((key, value) -> {
            if (value instanceof Map<?, ?> || value instanceof List<?>) {
                throw new IllegalArgumentException(what + ": " + key + " is not a scalar");
            }
            values.put(key, value == null ? "" : String.valueOf(value));
        });
        return values;
    }

    private static List<String> list(Object node) {
        if (node == null) {
            return List.of();
        }
        if (!(node instanceof List<?> items)) {
            throw new IllegalArgumentException("expected a list, found " + node);
        }
        List<String> values = new ArrayList<>();
        items.forEach(item -> values.add(String.valueOf(item)));
        return values;
    }

    private static Map<String, Object> map(Object node, String what) {
        if (!(node instanceof Map<?, ?> entries)) {
            throw new IllegalArgumentException(what + " is not a mapping: " + node);
        }
        Map<String, Object> map = new LinkedHashMap<>();
        entries.forEach((key, value) -> map.put(String.valueOf(key), value));
        return map;
    }

    private static String string(Object node) {
        return node == null ? null : String.valueOf(node);
    }
}

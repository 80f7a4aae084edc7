package dev.chatcentral.replay;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

import dev.chatcentral.processor.ProcessorProperties;

/**
 * The deployment's settings as the services themselves read them: their YAML files, with the same environment
 * variables over the defaults there. So the tools know the group ids a deployment runs with ({@code SINK_GROUP_ID},
 * ...) and run the topology with production's settings, and no default is written twice.
 */
final class ServiceSettings {

    private static final List<String> FILES = List.of("stream-processor.yml",
            "dev/chatcentral/dispatcher/settings.yml");

    private final Binder binder;

    private ServiceSettings(Binder binder) {
        this.binder = binder;
    }

    static ServiceSettings load() {
        StandardEnvironment environment = new StandardEnvironment();
        YamlPropertySourceLoader loader = new YamlPropertySourceLoader();
        try {
            for (String file : FILES) {
                for (PropertySource<?> source : loader.load(file, new ClassPathResource(file))) {
                    environment.getPropertySources().addLast(source);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the services' settings from the classpath", e);
        }
        return new ServiceSettings(Binder.get(environment));
    }

    /** @throws IllegalArgumentException naming the setting, when an environment variable holds no valid value */
    ProcessorProperties processor() {
        try {
            return binder.bindOrCreate("chatcentral.processor", ProcessorProperties.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the stream processor's settings cannot be read from the environment: "
                    + e.getMessage(), e);
        }
    }

    private String text(String name) {
        return binder.bind(name, String.class).orElse("");
    }

    String databaseUser() {
        return text("spring.datasource.username");
    }

    String databasePassword() {
        return text("spring.datasource.password");
    }

    /**
     * The consumer groups of the pipeline: the conversa and presence topologies' application ids, the PostgreSQL
     * sink's and the dispatcher's groups. The gateways and ingest read with assigned partitions, in no group.
     */
    Set<String> groupIds() {
        ProcessorProperties processor = processor();
        return Set.of(processor.applicationId(), text("chatcentral.processor.presence.application-id"),
                processor.sink().groupId(), text("chatcentral.dispatcher.group-id"));
    }
}

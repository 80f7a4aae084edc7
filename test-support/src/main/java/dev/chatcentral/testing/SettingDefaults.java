package dev.chatcentral.testing;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/**
 * Finds settings whose default is written twice: in a service's YAML beside its environment variable
 * ({@code ping-interval: ${PING_INTERVAL:25s}}) and in {@code @DefaultValue} on its properties record. Two copies
 * drift apart and only the YAML's is ever used, so the YAML holds the default, the one operators read and
 * docs/operations.md quotes; a record keeps a {@code @DefaultValue} only for a setting no YAML gives.
 */
public final class SettingDefaults {

    private static final Pattern PLACEHOLDER_WITH_DEFAULT = Pattern.compile("\\$\\{[^:}]+:.*}");

    private SettingDefaults() {
    }

    /**
     * @param basePackage   where to look for {@code @ConfigurationProperties} records
     * @param yamlResources the service's YAML files on the classpath, its imports included
     * @return each setting defaulted in both places, with the record that repeats it
     */
    public static List<String> writtenTwice(String basePackage, String... yamlResources) throws IOException {
        Set<String> defaultedInYaml = new HashSet<>();
        for (String resource : yamlResources) {
            for (PropertySource<?> source : new YamlPropertySourceLoader().load(resource,
                    new ClassPathResource(resource))) {
                EnumerablePropertySource<?> properties = (EnumerablePropertySource<?>) source;
                for (String name : properties.getPropertyNames()) {
                    if (PLACEHOLDER_WITH_DEFAULT.matcher(String.valueOf(properties.getProperty(name))).matches()) {
                        defaultedInYaml.add(name);
                    }
                }
            }
        }
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        List<String> twice = new ArrayList<>();
        for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage)) {
            Class<?> type = ClassUtils.resolveClassName(candidate.getBeanClassName(), null);
            ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
            String prefix = annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
            collect(type, prefix, defaultedInYaml, twice);
        }
        return twice;
    }

    private static void collect(Class<?> type, String prefix, Set<String> defaultedInYaml, List<String> twice) {
        if (!type.isRecord()) {
            return;
        }
        RecordComponent[] components = type.getRecordComponents();
        Parameter[] parameters = canonicalConstructor(type, components).getParameters();
        for (int i = 0; i < components.length; i++) {
            String key = prefix + "." + DataObjectPropertyName.toDashedForm(components[i].getName());
            DefaultValue defaultValue = parameters[i].getAnnotation(DefaultValue.class);
            // a bare @DefaultValue on a group only asks for the group to exist when none of its settings is given
            if (defaultValue != null && defaultValue.value().length > 0 && defaultedInYaml.contains(key)) {
                twice.add(key + " (" + type.getName() + ")");
            }
            collect(components[i].getType(), key, defaultedInYaml, twice);
        }
    }

    private static Constructor<?> canonicalConstructor(Class<?> type, RecordComponent[] components) {
        Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        try {
            return type.getDeclaredConstructor(types);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("a record without its canonical constructor: " + type, e);
        }
    }
}

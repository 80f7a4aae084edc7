package dev.chatcentral.service.management;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;

/**
 * Keeps {@link ManagementApi} controllers, and the {@link ManagementContextConfiguration}s that register them, out of
 * the component scan of a service's own (public) context: a scanned management configuration would import its
 * controller onto the public port.
 */
final class ManagementApiExcludeFilter extends TypeExcludeFilter {

    @Override
    public boolean match(MetadataReader reader, MetadataReaderFactory factory) {
        AnnotationMetadata type = reader.getAnnotationMetadata();
        return type.hasAnnotation(ManagementApi.class.getName())
                || type.hasAnnotation(ManagementContextConfiguration.class.getName());
    }

    @Override
    public boolean equals(Object other) {
        return other != null && getClass() == other.getClass();
    }

    @Override
    public int hashCode() {
        return getClass().hashCode();
    }
}

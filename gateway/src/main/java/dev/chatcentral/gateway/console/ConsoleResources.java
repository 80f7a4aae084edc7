package dev.chatcentral.gateway.console;

import java.time.Duration;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The console's built files, from the {@code clients} module's jar ({@code META-INF/resources/console/}): assets
 * carry a hash in their names, so browsers keep them for a year; the page itself is checked at every load, so a
 * new build is picked up.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleResources implements WebMvcConfigurer {

    private static final String LOCATION = "classpath:/META-INF/resources/console/";

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/console/assets/**").addResourceLocations(LOCATION + "assets/")
                .setCacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable());
        registry.addResourceHandler("/console/**").addResourceLocations(LOCATION)
                .setCacheControl(CacheControl.noCache());
    }
}

package dev.chatcentral.service.management;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Registers {@link ManagementApiExcludeFilter} before the component scan runs: Spring Boot's scan consults every
 * {@code TypeExcludeFilter} bean of the context.
 */
class ManagementApiExcludeInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        context.getBeanFactory().registerSingleton("managementApiExcludeFilter", new ManagementApiExcludeFilter());
    }
}

package dev.chatcentral.service.management;

import java.util.Set;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * Puts {@link ManagementTokenFilter} in front of everything the management port serves. Only when that port is a port
 * of its own ({@code management.server.port}): every service sets one, so nothing of management is served on the
 * public port.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
class ManagementSecurityConfiguration {

    @Bean
    FilterRegistrationBean<ManagementTokenFilter> managementTokenFilter(
            @Value("${chatcentral.management.token:}") String token, WebEndpointProperties endpoints) {
        String base = endpoints.getBasePath();
        FilterRegistrationBean<ManagementTokenFilter> registration = new FilterRegistrationBean<>(
                new ManagementTokenFilter(token, Set.of(base + "/health/liveness", base + "/health/readiness")));
        registration.setOrder(Integer.MIN_VALUE);
        return registration;
    }
}

package dev.chatcentral.gateway.rest;

import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.PropertySource;
import org.springframework.http.HttpHeaders;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import dev.chatcentral.gateway.auth.AgentTokenVerifier;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

/**
 * Puts bearer authentication in front of everything under {@code /api/v1} except the API's own description, lets
 * browsers of the allowed origins call it, and describes it with OpenAPI (springdoc; its paths are set in
 * {@code openapi.properties} beside this class).
 */
@Configuration(proxyBeanMethods = false)
@PropertySource("classpath:dev/chatcentral/gateway/rest/openapi.properties")
class RestConfiguration implements WebMvcConfigurer {

    private static final String API_PATHS = "/api/v1/**";
    private static final String SECURITY_SCHEME = "bearer";

    private final BearerAuthentication authentication;
    private final RestProperties properties;

    RestConfiguration(AgentTokenVerifier verifier, RestProperties properties) {
        this.authentication = new BearerAuthentication(verifier);
        this.properties = properties;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(authentication).addPathPatterns(API_PATHS)
                .excludePathPatterns("/api/v1/openapi", "/api/v1/openapi.yaml", "/api/v1/openapi/**",
                        "/api/v1/docs", "/api/v1/swagger-ui/**");
    }

    /** Consoles served from another origin call the API from the browser, with the token in a header. */
    @Override
    public void addCorsMappings(CorsRegistry registry) {
        registry.addMapping(API_PATHS).allowedOriginPatterns(properties.allowedOriginPatterns().toArray(String[]::new))
                .allowedMethods("GET", "POST", "PUT").allowedHeaders(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE)
                .exposedHeaders(HttpHeaders.WWW_AUTHENTICATE);
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(authentication);
    }

    @Bean
    OpenAPI chatCentralOpenApi() {
        return new OpenAPI()
                .info(new Info().title("chat-central REST API").version("v1").description(
                        "For the console and integrators: conversas and mensagens of the caller's empresa, which "
                                + "always comes from the token, who of it is online, and atendentes' commands. "
                                + "Errors are {\"error\": code, \"reason\": text}."))
                .components(new Components().addSecuritySchemes(SECURITY_SCHEME, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                        .description("The agent JWT (claims sub, empresaId, roles, exp), as for /ws")))
                .addSecurityItem(new SecurityRequirement().addList(SECURITY_SCHEME));
    }
}

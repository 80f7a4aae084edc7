package dev.chatcentral.gateway.rest;

import java.io.IOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.HandlerInterceptor;

import dev.chatcentral.gateway.auth.Agent;
import dev.chatcentral.gateway.auth.AgentTokenVerifier;
import dev.chatcentral.gateway.auth.InvalidAgentTokenException;
import dev.chatcentral.schemas.serde.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Authenticates every REST request by its {@code Authorization: Bearer <jwt>} header before any handler runs, and
 * hands the {@link Agent} to handlers that declare one. Only the header is accepted: a token in a URL ends up in
 * access logs and browser history.
 */
class BearerAuthentication implements HandlerInterceptor, HandlerMethodArgumentResolver {

    private static final String AGENT_ATTRIBUTE = BearerAuthentication.class.getName() + ".agent";
    private static final Logger log = LoggerFactory.getLogger(BearerAuthentication.class);
    private static final String BEARER = "bearer ";

    private final AgentTokenVerifier verifier;

    BearerAuthentication(AgentTokenVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws IOException {
        // A CORS preflight carries no credentials by design; it is answered with CORS headers only, never data.
        if (CorsUtils.isPreFlightRequest(request)) {
            return true;
        }
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || authorization.substring(BEARER.length()).isBlank()) {
            refuse(response, "missing token: send Authorization: Bearer <jwt>");
            return false;
        }
        try {
            request.setAttribute(AGENT_ATTRIBUTE, verifier.verify(authorization.substring(BEARER.length()).trim()));
            return true;
        } catch (InvalidAgentTokenException e) {
            log.debug("refused {} {} from {}: {}", request.getMethod(), request.getRequestURI(),
                    request.getRemoteAddr(), e.getMessage());
            refuse(response, e.getMessage());
            return false;
        }
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Agent.class;
    }

    @Override
    public Agent resolveArgument(MethodParameter parameter, ModelAndViewContainer container, NativeWebRequest request,
                                 WebDataBinderFactory binders) {
        Object agent = request.getAttribute(AGENT_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        if (agent == null) {
            throw new IllegalStateException(parameter.getExecutable() + " takes an Agent but its path is not "
                    + "authenticated by " + BearerAuthentication.class.getSimpleName());
        }
        return (Agent) agent;
    }

    private static void refuse(HttpServletResponse response, String reason) throws IOException {
        response.setStatus(HttpStatus.UNAUTHORIZED.value());
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getOutputStream().write(Json.MAPPER.writeValueAsBytes(new ApiError("unauthorized", reason)));
    }
}

package dev.chatcentral.gateway.rest;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The REST read side under {@code /api/v1}.
 *
 * @param defaultLimit items per page when a request names no {@code limit} (env REST_DEFAULT_LIMIT)
 * @param maxLimit     the largest {@code limit} a request may ask for; larger ones are refused with 400, so one
 *                     request cannot make PostgreSQL read an unbounded number of rows (env REST_MAX_LIMIT)
 * @param queryTimeout longest one query may run before it is cancelled and the request answered 503
 *                     (env REST_QUERY_TIMEOUT); rounded up to whole seconds, as JDBC counts them
 * @param allowedOriginPatterns browser origins allowed to call the API (CORS, env REST_ALLOWED_ORIGINS); a bearer
 *                     token, never a cookie, authenticates, so a foreign page cannot borrow a session and the
 *                     default allows all
 */
@ConfigurationProperties("chatcentral.gateway.rest")
public record RestProperties(
        int defaultLimit,
        int maxLimit,
        Duration queryTimeout,
        List<String> allowedOriginPatterns) {

    public RestProperties {
        if (maxLimit < 1 || defaultLimit < 1 || defaultLimit > maxLimit) {
            throw new IllegalArgumentException("chatcentral.gateway.rest needs 1 <= default-limit <= max-limit, got "
                    + defaultLimit + " and " + maxLimit);
        }
        if (queryTimeout.isNegative() || queryTimeout.isZero()) {
            throw new IllegalArgumentException("chatcentral.gateway.rest.query-timeout must be positive");
        }
    }
}

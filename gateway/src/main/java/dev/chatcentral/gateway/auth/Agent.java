package dev.chatcentral.gateway.auth;

import java.time.Instant;
import java.util.Set;

/**
 * An authenticated atendente, supervisor or admin, as its token describes it.
 *
 * @param userId    the token's {@code sub}
 * @param empresaId the tenant the agent works for; it only ever sees this empresa's events
 * @param name      display name, or null when the token carries none
 * @param expiresAt the token's {@code exp}
 */
public record Agent(String userId, String empresaId, Set<Role> roles, String name, Instant expiresAt) {

    public Agent {
        roles = Set.copyOf(roles);
    }

    public boolean hasRole(Role role) {
        return roles.contains(role);
    }
}

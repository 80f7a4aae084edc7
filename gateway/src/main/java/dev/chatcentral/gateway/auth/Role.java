package dev.chatcentral.gateway.auth;

import java.util.Optional;

/** What an agent may do, as named in the {@code roles} claim of its JWT. */
public enum Role {
    ATENDENTE("atendente"), SUPERVISOR("supervisor"), ADMIN("admin");

    private final String claim;

    Role(String claim) {
        this.claim = claim;
    }

    /** The name of this role in the {@code roles} claim. */
    public String claim() {
        return claim;
    }

    /** The role named {@code claim}; empty for names this gateway does not know, which grant nothing. */
    public static Optional<Role> fromClaim(String claim) {
        for (Role role : values()) {
            if (role.claim.equals(claim)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}

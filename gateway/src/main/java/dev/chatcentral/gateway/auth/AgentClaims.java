package dev.chatcentral.gateway.auth;

import java.text.ParseException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import com.nimbusds.jwt.JWTClaimsSet;

import dev.chatcentral.schemas.event.Channel;

/** Reads an {@link Agent} from the claims of a token whose signature was already verified. */
public final class AgentClaims {

    public static final String EMPRESA_ID = "empresaId";
    public static final String ROLES = "roles";
    public static final String NAME = "name";

    private AgentClaims() {
    }

    public static Agent read(JWTClaimsSet claims, Instant now, TokenRules rules) {
        rules.check(claims, now);
        Instant expiresAt = claims.getExpirationTime().toInstant();
        String userId = channelId(claims.getSubject(), "sub");
        try {
            String empresaId = channelId(claims.getStringClaim(EMPRESA_ID), EMPRESA_ID);
            return new Agent(userId, empresaId, roles(claims.getStringListClaim(ROLES)), claims.getStringClaim(NAME),
                    expiresAt);
        } catch (ParseException e) {
            throw new InvalidAgentTokenException("token claim has the wrong type: " + e.getMessage(), e);
        }
    }

    /** userId and empresaId become channel ids ({@code atendente:{userId}}), which cannot contain ':'. */
    private static String channelId(String value, String claim) {
        if (value == null || value.isBlank()) {
            throw new InvalidAgentTokenException("token has no " + claim + " claim");
        }
        if (value.indexOf(':') >= 0) {
            throw new InvalidAgentTokenException("token claim " + claim + " must not contain ':'");
        }
        // bounded like every channel id, so a token's own channels can always be subscribed to
        if (value.length() > Channel.MAX_ID_LENGTH || value.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidAgentTokenException("token claim " + claim + " must be at most "
                    + Channel.MAX_ID_LENGTH + " characters, without control characters");
        }
        return value;
    }

    private static Set<Role> roles(List<String> claimed) {
        if (claimed == null) {
            throw new InvalidAgentTokenException("token has no roles claim");
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        claimed.forEach(name -> Role.fromClaim(name).ifPresent(roles::add));
        if (roles.isEmpty()) {
            throw new InvalidAgentTokenException("token roles name none of atendente, supervisor, admin");
        }
        return roles;
    }
}

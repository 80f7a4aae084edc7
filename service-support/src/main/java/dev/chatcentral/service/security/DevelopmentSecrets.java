package dev.chatcentral.service.security;

import java.util.Set;

/**
 * Every secret the {@code dev} profile configures (in the services' {@code <service>-dev.yml}), published in this
 * repository: outside that profile, a service refuses to start with any of them. A test keeps this list and the
 * profiles' files in step.
 */
public final class DevelopmentSecrets {

    public static final String AGENT_JWT_SECRET = "dev-only-agent-jwt-secret-change-me-0123456789";
    public static final String WEBHOOK_SECRET_ENCRYPTION_KEY = "ZGV2LW9ubHktd2ViaG9vay1zZWNyZXQta2V5LTMyYiE=";
    public static final String EVOLUTION_API_KEY = "chatcentral-dev-evolution-key";
    public static final String ADMIN_API_TOKEN = "dev-only-admin-token-change-me-0123456789";

    static final Set<String> ALL = Set.of(AGENT_JWT_SECRET, WEBHOOK_SECRET_ENCRYPTION_KEY, EVOLUTION_API_KEY,
            ADMIN_API_TOKEN);

    private DevelopmentSecrets() {
    }

    /** Whether the value is one of the development secrets. */
    public static boolean isDevelopmentValue(String value) {
        return value != null && ALL.contains(value.trim());
    }
}

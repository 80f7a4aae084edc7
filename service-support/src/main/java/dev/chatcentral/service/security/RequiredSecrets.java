package dev.chatcentral.service.security;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.springframework.core.env.Environment;

/**
 * Checks, when a service starts outside the {@code dev} profile, that every secret it needs is set, long enough, and
 * not one of the development values this repository publishes; all problems are reported at once, one line each,
 * naming the environment variable. In the {@code dev} profile nothing is checked.
 */
public final class RequiredSecrets {

    /** The profile of development machines, tests and benchmarks, whose secrets are public. */
    public static final String DEV_PROFILE = "dev";

    private final Environment environment;
    private final boolean checking;
    private final List<String> problems = new ArrayList<>();

    private RequiredSecrets(Environment environment) {
        this.environment = environment;
        this.checking = !environment.matchesProfiles(DEV_PROFILE);
    }

    public static RequiredSecrets in(Environment environment) {
        return new RequiredSecrets(environment);
    }

    /** A shared secret or token: at least {@code minBytes} bytes of UTF-8. */
    public RequiredSecrets token(String property, String variable, int minBytes) {
        String value = value(property, variable);
        if (value != null && value.getBytes(StandardCharsets.UTF_8).length < minBytes) {
            problems.add(variable + " is shorter than " + minBytes + " bytes");
        }
        return this;
    }

    /** An AES-256 key: base64 of exactly 32 bytes. */
    public RequiredSecrets aesKey(String property, String variable) {
        String value = value(property, variable);
        if (value != null) {
            try {
                if (Base64.getDecoder().decode(value.trim()).length != 32) {
                    problems.add(variable + " must be the base64 of 32 random bytes (openssl rand -base64 32)");
                }
            } catch (IllegalArgumentException e) {
                problems.add(variable + " is not base64 (openssl rand -base64 32)");
            }
        }
        return this;
    }

    /**
     * The management port: its token ({@code ADMIN_API_TOKEN}), and a port of its own, since on the public port the
     * actuator would be served without the token's filter (and the admin API not at all).
     */
    public RequiredSecrets management() {
        token("chatcentral.management.token", "ADMIN_API_TOKEN", 32);
        String management = environment.getProperty("management.server.port", "").trim();
        String server = environment.getProperty("server.port", "8080").trim();
        return problem(management.isEmpty() || management.equals(server),
                "MANAGEMENT_PORT must be a port of its own, not the service's public port (" + server + ")");
    }

    /** A setting that must not be empty outside development, e.g. a list of accepted token issuers. */
    public RequiredSecrets setting(String property, String variable, String why) {
        if (checking && (environment.getProperty(property) == null || environment.getProperty(property).isBlank())) {
            problems.add(variable + " is not set: " + why);
        }
        return this;
    }

    /** A problem found by the service itself, e.g. two settings of which one is needed. */
    public RequiredSecrets problem(boolean present, String problem) {
        if (checking && present) {
            problems.add(problem);
        }
        return this;
    }

    /** Whether a secret is set at all (an optional one, checked only when given). */
    public boolean isSet(String property) {
        String value = environment.getProperty(property);
        return value != null && !value.isBlank();
    }

    /** @throws InsecureConfigurationException naming every problem found */
    public void verify() {
        if (!problems.isEmpty()) {
            throw new InsecureConfigurationException(problems);
        }
    }

    /** The value to check further, or null when there is nothing more to check (dev, or a problem already found). */
    private String value(String property, String variable) {
        if (!checking) {
            return null;
        }
        String value = environment.getProperty(property);
        if (value == null || value.isBlank()) {
            problems.add(variable + " is not set");
            return null;
        }
        if (DevelopmentSecrets.isDevelopmentValue(value)) {
            problems.add(variable + " is the development value published in this repository");
            return null;
        }
        return value;
    }
}

package dev.chatcentral.gateway.console;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What the console at {@code /console/} is told when it starts ({@code /console/config.json}).
 *
 * @param gatewayUrl    the gateway's base URL as browsers reach it (env CONSOLE_GATEWAY_URL); empty: the origin the
 *                      console was loaded from, the usual case behind one load balancer
 * @param demoUsersFile a JSON array of demo users with their tokens, offered on the sign-in page (env
 *                      CONSOLE_DEMO_USERS_FILE); the local stack writes one in the dev profile. Unset in production:
 *                      users sign in with a token of their identity provider
 */
@ConfigurationProperties("chatcentral.gateway.console")
public record ConsoleProperties(String gatewayUrl, String demoUsersFile) {

    public ConsoleProperties {
        gatewayUrl = gatewayUrl == null ? "" : gatewayUrl;
    }

    /** The demo users' file, or null when none is set. */
    public Path demoUsers() {
        return demoUsersFile == null || demoUsersFile.isBlank() ? null : Path.of(demoUsersFile);
    }
}

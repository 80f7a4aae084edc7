package dev.chatcentral.service.management;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The management port's door: every request but the liveness and readiness probes (which an orchestrator calls
 * without credentials) must carry {@code Authorization: Bearer <ADMIN_API_TOKEN>}. Tokens are compared in constant
 * time, and an address that keeps presenting wrong ones is refused for a while without being checked, so the token
 * cannot be guessed at speed.
 */
final class ManagementTokenFilter extends OncePerRequestFilter {

    static final int MAX_FAILURES = 10;
    static final Duration FAILURE_WINDOW = Duration.ofMinutes(1);
    /** Addresses tracked at most: past it the oldest windows are forgotten. */
    private static final int MAX_ADDRESSES = 10_000;

    private final byte[] tokenHash;
    private final Set<String> openPaths;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    private static final class Failures {
        private long windowStartNanos = System.nanoTime();
        private int count;

        synchronized boolean blocked() {
            roll();
            return count >= MAX_FAILURES;
        }

        synchronized void add() {
            roll();
            count++;
        }

        private void roll() {
            if (System.nanoTime() - windowStartNanos > FAILURE_WINDOW.toNanos()) {
                windowStartNanos = System.nanoTime();
                count = 0;
            }
        }
    }

    /**
     * @param token     the management token, or blank to refuse every request but the probes
     * @param openPaths paths served without a token: the probes
     */
    ManagementTokenFilter(String token, Set<String> openPaths) {
        this.tokenHash = token == null || token.isBlank() ? null : sha256(token.trim());
        this.openPaths = Set.copyOf(openPaths);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (openPaths.contains(request.getRequestURI())) {
            chain.doFilter(request, response);
            return;
        }
        Failures seen = failures.get(request.getRemoteAddr());
        if (seen != null && seen.blocked()) {
            refuse(response, 429, "too_many_failures", "too many wrong tokens from this address; wait a minute");
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(FAILURE_WINDOW.toSeconds()));
            return;
        }
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).trim() : "";
        if (tokenHash != null && MessageDigest.isEqual(tokenHash, sha256(presented))) {
            chain.doFilter(request, response);
            return;
        }
        if (failures.size() >= MAX_ADDRESSES) {
            failures.clear();
        }
        failures.computeIfAbsent(request.getRemoteAddr(), address -> new Failures()).add();
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        refuse(response, 401, "unauthorized", tokenHash == null ? "the management token (ADMIN_API_TOKEN) is not set"
                : "missing or wrong management token");
    }

    private static void refuse(HttpServletResponse response, int status, String error, String reason)
            throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getOutputStream().write(("{\"error\":\"" + error + "\",\"reason\":\"" + reason + "\"}")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}

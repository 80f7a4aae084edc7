package dev.chatcentral.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import org.springframework.core.env.Environment;

/**
 * What every service's two ports must show: the management port answers the probes to anyone and everything else only
 * with its token, and the public port serves none of it.
 */
public final class ManagementPortCheck {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<String> PROBES = List.of("/actuator/health/liveness", "/actuator/health/readiness");

    private ManagementPortCheck() {
    }

    /**
     * @param service      a started service's environment ({@code local.server.port}, {@code local.management.port})
     * @param token        the management token the service was given
     * @param guardedPaths paths of the management port beyond the actuator's (admin API, redrive), called with GET
     * @throws AssertionError naming every answer that was not the expected one
     */
    public static void assertGuarded(Environment service, String token, String... guardedPaths) {
        String publicBase = "http://127.0.0.1:" + service.getRequiredProperty("local.server.port");
        String managementBase = "http://127.0.0.1:" + service.getRequiredProperty("local.management.port");
        List<String> guarded = new ArrayList<>(List.of("/actuator/health", "/actuator/prometheus", "/actuator/env"));
        guarded.addAll(List.of(guardedPaths));
        List<String> wrong = new ArrayList<>();
        for (String probe : PROBES) {
            // a probe answers without the token: UP or, while the service starts, DOWN
            expect(wrong, managementBase, probe, null, 200, 503);
        }
        for (String path : guarded) {
            expect(wrong, managementBase, path, null, 401);
            expect(wrong, managementBase, path, "Bearer not-" + token, 401);
            expect(wrong, publicBase, path, "Bearer " + token, 404);
        }
        expect(wrong, managementBase, "/actuator/prometheus", "Bearer " + token, 200);
        if (!wrong.isEmpty()) {
            throw new AssertionError(String.join("\n", wrong));
        }
    }

    private static void expect(List<String> wrong, String base, String path, String authorization, int... statuses) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            int actual = HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            if (IntStream.of(statuses).noneMatch(status -> status == actual)) {
                wrong.add("GET " + base + path + (authorization == null ? "" : " with " + authorization.split(" ")[0])
                        + ": " + actual + ", expected " + Arrays.toString(statuses));
            }
        } catch (IOException e) {
            wrong.add("GET " + base + path + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

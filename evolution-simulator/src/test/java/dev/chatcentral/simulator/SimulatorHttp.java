package dev.chatcentral.simulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;

import dev.chatcentral.schemas.serde.Json;

/** Calls a running simulator over HTTP in tests: its faked Evolution API and its control API. */
public final class SimulatorHttp {

    public static final String GLOBAL_KEY = "global-key";

    private final HttpClient http = HttpClient.newHttpClient();
    private final int port;

    public SimulatorHttp(int port) {
        this.port = port;
    }

    /** A control call without apikey. */
    public HttpResponse<String> control(String method, String path, String body) throws Exception {
        return call(method, path, null, body, Duration.ofSeconds(30));
    }

    /** An Evolution API call with the global apikey. */
    public HttpResponse<String> evolution(String method, String path, String body) throws Exception {
        return call(method, path, GLOBAL_KEY, body, Duration.ofSeconds(30));
    }

    public HttpResponse<String> call(String method, String path, String apikey, String body, Duration timeout)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (apikey != null) {
            request.header("apikey", apikey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static JsonNode json(HttpResponse<String> response) {
        return Json.MAPPER.readTree(response.body());
    }
}

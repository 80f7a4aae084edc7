package dev.chatcentral.bench.ingest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.chatcentral.bench.ServiceProcess;

/** The ingest's admin API as the benchmarks use it: an empresa, one instance and a webhook secret. */
public final class IngestAdmin {

    private IngestAdmin() {
    }

    /**
     * Creates the empresa with the instance, as an operator would, and returns a fresh webhook secret. The admin API
     * is on the management port; an ingest built before it had one (a "before" jar of a comparison) serves it on its
     * public port, where it is called when the management port answers 404.
     */
    public static String createEmpresa(ServiceProcess ingest, String adminToken, String empresaId, String instance)
            throws Exception {
        return createEmpresa(ingest.managementPort(), ingest.port(), adminToken, empresaId, instance);
    }

    /** The same against any server that speaks these admin calls (a peer of issue 15 serves them on one port). */
    public static String createEmpresa(int managementPort, int port, String adminToken, String empresaId,
                                       String instance) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String ingestBase = "http://127.0.0.1:" + managementPort;
        String nome = "{\"nome\":\"Bench\"}";
        if (call(http, ingestBase, adminToken, "PUT", "/admin/empresas/" + empresaId, nome).statusCode() == 404) {
            ingestBase = "http://127.0.0.1:" + port;
            send(http, ingestBase, adminToken, "PUT", "/admin/empresas/" + empresaId, nome);
        }
        send(http, ingestBase, adminToken, "PUT", "/admin/empresas/" + empresaId + "/instances/" + instance, "");
        String issued = send(http, ingestBase, adminToken, "POST",
                "/admin/empresas/" + empresaId + "/webhook-secrets", "");
        int from = issued.indexOf("\"secret\":\"") + 10;
        return issued.substring(from, issued.indexOf('"', from));
    }

    private static String send(HttpClient http, String base, String adminToken, String method, String path,
                               String body) throws Exception {
        HttpResponse<String> response = call(http, base, adminToken, method, path, body);
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body();
    }

    private static HttpResponse<String> call(HttpClient http, String base, String adminToken, String method,
                                             String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path))
                        .header("Authorization", "Bearer " + adminToken)
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

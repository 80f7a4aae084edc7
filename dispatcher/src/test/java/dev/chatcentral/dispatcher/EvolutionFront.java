package dev.chatcentral.dispatcher;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.schemas.serde.Json;

/**
 * Evolution for the dispatcher's integration tests: sendText is the Evolution simulator's, passed through as it is;
 * the calls the simulator does not serve are played here. findMessages answers the messages the simulator sent
 * (its sendText calls answered 201), newest first, as Evolution's chat would hold them; sendReaction and
 * deleteMessageForEveryone are recorded and answered 201 with a message key.
 */
final class EvolutionFront implements AutoCloseable {

    /** One call played here: its method, path and body. */
    record Call(String method, String path, JsonNode body) {
    }

    private final HttpServer server;
    private final String simulatorUrl;
    private final String apikey;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, List<Call>> calls = new ConcurrentHashMap<>();
    private final Set<String> blindInstances = ConcurrentHashMap.newKeySet();

    EvolutionFront(String simulatorUrl, String apikey) throws IOException {
        this.simulatorUrl = simulatorUrl;
        this.apikey = apikey;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/message/sendText/", this::passThrough);
        server.createContext("/chat/findMessages/", exchange -> guarded(exchange, this::findMessages));
        server.createContext("/message/sendReaction/", exchange -> guarded(exchange, this::keyed));
        server.createContext("/chat/deleteMessageForEveryone/", exchange -> guarded(exchange, this::keyed));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** From now on, findMessages of this instance finds nothing, as when Evolution lost the message. */
    void blind(String instance) {
        blindInstances.add(instance);
    }

    List<Call> calls(String instance) {
        return calls.getOrDefault(instance, List.of());
    }

    private interface Handler {
        void handle(HttpExchange exchange, String instance, JsonNode body) throws IOException;
    }

    private void guarded(HttpExchange exchange, Handler handler) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String instance = path.substring(path.lastIndexOf('/') + 1);
            JsonNode body = Json.MAPPER.readTree(new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8));
            if (!apikey.equals(exchange.getRequestHeaders().getFirst("apikey"))) {
                respond(exchange, 401, "{\"status\":401,\"error\":\"Unauthorized\"}");
                return;
            }
            calls.computeIfAbsent(instance, i -> new CopyOnWriteArrayList<>())
                    .add(new Call(exchange.getRequestMethod(), path, body));
            handler.handle(exchange, instance, body);
        }
    }

    private void findMessages(HttpExchange exchange, String instance, JsonNode body) throws IOException {
        String remoteJid = body.at("/where/key/remoteJid").asString("");
        List<JsonNode> sent = new ArrayList<>();
        if (!blindInstances.contains(instance)) {
            simulatorCalls(instance).forEach(call -> {
                String jid = call.get("number").asString().contains("@") ? call.get("number").asString()
                        : call.get("number").asString() + "@s.whatsapp.net";
                if (call.get("status").intValue() == 201 && jid.equals(remoteJid)) {
                    sent.add(record(call, jid));
                }
            });
        }
        ArrayNode records = Json.MAPPER.createArrayNode();
        for (int i = sent.size() - 1; i >= 0 && records.size() < 20; i--) {
            records.add(sent.get(i));
        }
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.putObject("messages").put("total", sent.size()).put("pages", 1).put("currentPage", 1)
                .set("records", records);
        respond(exchange, 200, Json.MAPPER.writeValueAsString(answer));
    }

    private static JsonNode record(JsonNode call, String jid) {
        ObjectNode record = Json.MAPPER.createObjectNode();
        record.put("id", UUID.randomUUID().toString());
        record.putObject("key").put("remoteJid", jid).put("fromMe", true).put("id", call.get("keyId").asString());
        record.putObject("message").put("conversation", call.get("text").asString());
        JsonNode at = call.get("at");
        record.put("messageTimestamp", at.isNumber() ? new BigDecimal(at.asString()).longValue()
                : Instant.parse(at.asString()).getEpochSecond());
        record.put("messageType", "conversation");
        return record;
    }

    private void keyed(HttpExchange exchange, String instance, JsonNode body) throws IOException {
        JsonNode key = body.has("key") ? body.get("key") : body;
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.putObject("key").put("remoteJid", key.path("remoteJid").asString(""))
                .put("fromMe", true).put("id", "3EB0" + UUID.randomUUID().toString().replace("-", "")
                        .substring(0, 16).toUpperCase());
        answer.put("status", "PENDING");
        respond(exchange, 201, Json.MAPPER.writeValueAsString(answer));
    }

    private List<JsonNode> simulatorCalls(String instance) {
        List<JsonNode> found = new ArrayList<>();
        Json.MAPPER.readTree(send(HttpRequest.newBuilder(URI.create(simulatorUrl + "/simulator/instances/"
                + instance + "/calls")).GET()).body()).forEach(found::add);
        return found;
    }

    private void passThrough(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(simulatorUrl
                            + exchange.getRequestURI().getRawPath()))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body))
                    .header("Content-Type", "application/json");
            String key = exchange.getRequestHeaders().getFirst("apikey");
            if (key != null) {
                request.header("apikey", key);
            }
            HttpResponse<String> answer = send(request);
            respond(exchange, answer.statusCode(), answer.body());
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

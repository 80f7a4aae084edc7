package dev.chatcentral.localstack.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.chatcentral.localstack.StackException;
import dev.chatcentral.localstack.proxy.TcpProxy;

/**
 * The running cluster's control port on loopback: {@code POST /postgres/pause?seconds=N} takes PostgreSQL away from
 * the services for N seconds through its proxy, {@code POST /postgres/resume} gives it back early, {@code GET
 * /postgres} tells which. bin/cluster --pause-postgres and the chaos suite call it.
 */
final class ControlServer {

    static final int MAX_PAUSE_SECONDS = 3600;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final HttpServer server;

    private ControlServer(HttpServer server) {
        this.server = server;
    }

    static ControlServer start(int port, TcpProxy postgres) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
            server.createContext("/postgres", exchange -> handle(exchange, postgres));
            server.start();
            return new ControlServer(server);
        } catch (IOException e) {
            throw new StackException("cannot listen on the control port " + port + ": " + e.getMessage(), e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    void stop() {
        server.stop(0);
    }

    /** A pause's length as given on the command line or the query: whole seconds, 1 to {@value #MAX_PAUSE_SECONDS}. */
    static int parseSeconds(String text) {
        if (text == null || !text.matches("[0-9]{1,4}")) {
            throw new IllegalArgumentException("a pause takes whole seconds, 1 to " + MAX_PAUSE_SECONDS + ", not "
                    + describe(text));
        }
        int seconds = Integer.parseInt(text);
        if (seconds < 1 || seconds > MAX_PAUSE_SECONDS) {
            throw new IllegalArgumentException("a pause takes whole seconds, 1 to " + MAX_PAUSE_SECONDS + ", not "
                    + seconds);
        }
        return seconds;
    }

    private static void handle(HttpExchange exchange, TcpProxy postgres) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            String query = exchange.getRequestURI().getRawQuery();
            switch (path) {
                case "/postgres" -> {
                    if (!method.equals("GET")) {
                        answer(exchange, 405, "GET /postgres tells whether PostgreSQL is paused");
                        return;
                    }
                    answer(exchange, 200, postgres.isPaused() ? "PostgreSQL is unreachable (paused)"
                            : "PostgreSQL is reachable");
                }
                case "/postgres/pause" -> {
                    if (!method.equals("POST")) {
                        answer(exchange, 405, "POST /postgres/pause?seconds=N");
                        return;
                    }
                    String value = query != null && query.startsWith("seconds=") ? query.substring(8) : null;
                    int seconds;
                    try {
                        seconds = parseSeconds(value);
                    } catch (IllegalArgumentException e) {
                        answer(exchange, 400, e.getMessage());
                        return;
                    }
                    postgres.pause(Duration.ofSeconds(seconds));
                    answer(exchange, 200, "PostgreSQL unreachable for the cluster's services for " + seconds
                            + " s, until " + CLOCK.format(LocalTime.now().plusSeconds(seconds))
                            + ": open connections cut, new ones refused");
                }
                case "/postgres/resume" -> {
                    if (!method.equals("POST")) {
                        answer(exchange, 405, "POST /postgres/resume");
                        return;
                    }
                    postgres.resume();
                    answer(exchange, 200, "PostgreSQL reachable again");
                }
                default -> answer(exchange, 404, "no " + path + "; try /postgres, /postgres/pause?seconds=N, "
                        + "/postgres/resume");
            }
        }
    }

    private static void answer(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String describe(String text) {
        if (text == null || text.isEmpty()) {
            return "nothing";
        }
        String shown = text.length() > 20 ? text.substring(0, 20) + "..." : text;
        return "\"" + shown.replaceAll("\\p{Cntrl}", "?") + "\"";
    }
}

package dev.chatcentral.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import com.sun.net.httpserver.HttpServer;

class WatchTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final FramePrinter printer = new FramePrinter(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    @Test
    void shouldSendOneSubscribeFramePerChannelOnOpen() throws Exception {
        RecordingWebSocket webSocket = new RecordingWebSocket();
        Watch.Subscriber subscriber = new Watch.Subscriber(
                WatchOptions.parse("--token", "t", "--channel", "empresa:emp-1", "--channel", "presence:emp-1"),
                printer);

        subscriber.onOpen(webSocket);

        assertThat(webSocket.sent).containsExactly(
                "{\"type\":\"subscribe\",\"channel\":\"empresa:emp-1\"}",
                "{\"type\":\"subscribe\",\"channel\":\"presence:emp-1\"}");
    }

    @Test
    void shouldReassembleFragmentedTextFramesBeforePrinting() throws Exception {
        Watch.Subscriber subscriber = new Watch.Subscriber(
                WatchOptions.parse("--token", "t", "--channel", "empresa:emp-1"), printer);
        RecordingWebSocket webSocket = new RecordingWebSocket();

        subscriber.onText(webSocket, "{\"type\":\"message_notification\",\"data\":{\"te", false);
        subscriber.onText(webSocket, "xt\":\"Olá\"},", false);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        subscriber.onText(webSocket, "\"position\":7}", true);

        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("{\"type\":\"message_notification\",\"data\":{\"text\":\"Olá\"},\"position\":7}\n");
        assertThat(webSocket.requested).isEqualTo(3);
    }

    @Test
    void shouldDescribeHowTheGatewayClosedTheConnection() throws Exception {
        Watch.Subscriber subscriber = new Watch.Subscriber(
                WatchOptions.parse("--token", "t", "--channel", "empresa:emp-1"), printer);

        subscriber.onClose(new RecordingWebSocket(), 1008, "token expired");

        assertThat(subscriber.closed().join()).isEqualTo("connection closed by the gateway: code 1008, reason \"token expired\"");
    }

    @Test
    void shouldExitWithUnauthorizedWhenTheHandshakeIsRejected() throws Exception {
        HttpServer gateway = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        gateway.createContext("/ws", exchange -> {
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
        });
        gateway.start();
        try {
            WatchOptions options = WatchOptions.parse("--url",
                    "ws://127.0.0.1:" + gateway.getAddress().getPort() + "/ws", "--token", "expired",
                    "--channel", "empresa:emp-1");

            int exit = Watch.run(options, printer, new PrintStream(err, true, StandardCharsets.UTF_8));

            assertThat(exit).isEqualTo(Watch.EXIT_UNAUTHORIZED);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("rejected the token (HTTP 401");
        } finally {
            gateway.stop(0);
        }
    }

    @Test
    void shouldExitWithClosedWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket unused = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = unused.getLocalPort();
        }
        WatchOptions options = WatchOptions.parse("--url", "ws://127.0.0.1:" + port + "/ws", "--token", "t",
                "--channel", "empresa:emp-1");

        int exit = Watch.run(options, printer, new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(exit).isEqualTo(Watch.EXIT_CLOSED);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot connect to ws://127.0.0.1:" + port);
    }

    /** Just enough of a WebSocket to see what the listener sends and how much it requests. */
    private static final class RecordingWebSocket implements WebSocket {

        final List<String> sent = new CopyOnWriteArrayList<>();
        long requested;

        @Override
        public CompletableFuture<WebSocket> sendText(CharSequence data, boolean last) {
            sent.add(data.toString());
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendBinary(ByteBuffer data, boolean last) {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendPing(ByteBuffer message) {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendPong(ByteBuffer message) {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendClose(int statusCode, String reason) {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public void request(long n) {
            requested += n;
        }

        @Override
        public String getSubprotocol() {
            return "";
        }

        @Override
        public boolean isOutputClosed() {
            return false;
        }

        @Override
        public boolean isInputClosed() {
            return false;
        }

        @Override
        public void abort() {
        }
    }
}

package dev.chatcentral.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code watch}: connects to the gateway's WebSocket, subscribes to channels and prints what arrives, until the
 * connection closes. See {@link WatchOptions#USAGE}.
 */
public final class Watch {

    static final int EXIT_CLOSED = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_UNAUTHORIZED = 3;

    private Watch() {
    }

    public static void main(String[] args) {
        // UTF-8 whatever the locale: events carry Portuguese text and consumers of JSON expect UTF-8
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        WatchOptions options;
        try {
            options = WatchOptions.parse(args);
        } catch (WatchOptions.HelpRequested help) {
            out.println(WatchOptions.USAGE);
            System.exit(0);
            return;
        } catch (WatchOptions.UsageException e) {
            err.println("watch: " + e.getMessage());
            err.println(WatchOptions.USAGE);
            System.exit(EXIT_USAGE);
            return;
        }
        System.exit(run(options, new FramePrinter(out, err), err));
    }

    static int run(WatchOptions options, FramePrinter printer, PrintStream err) {
        Subscriber subscriber = new Subscriber(options, printer);
        WebSocket webSocket;
        try {
            webSocket = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                    .newWebSocketBuilder()
                    .buildAsync(options.connectUri(), subscriber)
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return handshakeFailure(options, e.getCause(), err);
        } catch (TimeoutException e) {
            err.println("watch: no WebSocket handshake with " + options.url() + " within 30 s");
            return EXIT_CLOSED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_CLOSED;
        }
        err.println("watch: connected to " + options.url() + ", subscribing to " + options.channels());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(webSocket), "watch-close"));
        String close = subscriber.closed().join();
        err.println("watch: " + close);
        return EXIT_CLOSED;
    }

    private static int handshakeFailure(WatchOptions options, Throwable cause, PrintStream err) {
        if (cause instanceof WebSocketHandshakeException handshake) {
            int status = handshake.getResponse().statusCode();
            if (status == 401 || status == 403) {
                err.println("watch: the gateway rejected the token (HTTP " + status + " at the handshake): "
                        + "it is expired, malformed or signed with another secret than the gateway's AGENT_JWT_SECRET");
                return EXIT_UNAUTHORIZED;
            }
            err.println("watch: the gateway refused the WebSocket handshake with HTTP " + status
                    + " (is " + options.url() + " the gateway's WebSocket path?)");
            return EXIT_CLOSED;
        }
        if (cause instanceof ConnectException) {
            err.println("watch: cannot connect to " + options.url() + " (is the gateway running? bin/stack starts it)");
            return EXIT_CLOSED;
        }
        err.println("watch: cannot connect to " + options.url() + ": " + cause);
        return EXIT_CLOSED;
    }

    private static void closeQuietly(WebSocket webSocket) {
        if (!webSocket.isOutputClosed()) {
            try {
                webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "watch stopped").get(2, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // the process is ending anyway; the gateway notices the dropped connection
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Sends the subscribe frames once the connection is open, reassembles text frames that arrive in fragments,
     * and completes {@link #closed()} with a description of how the connection ended.
     */
    static final class Subscriber implements WebSocket.Listener {

        private final WatchOptions options;
        private final FramePrinter printer;
        private final StringBuilder fragments = new StringBuilder();
        private final CompletableFuture<String> closed = new CompletableFuture<>();

        Subscriber(WatchOptions options, FramePrinter printer) {
            this.options = options;
            this.printer = printer;
        }

        CompletableFuture<String> closed() {
            return closed;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            // a WebSocket allows one outstanding send at a time, so the subscribe frames go out one after another
            CompletableFuture<WebSocket> sends = CompletableFuture.completedFuture(webSocket);
            for (String channel : options.channels()) {
                String frame = subscribeFrame(channel);
                sends = sends.thenCompose(ws -> ws.sendText(frame, true));
            }
            sends.exceptionally(failure -> {
                closed.complete("cannot send subscribe frames: " + rootCause(failure));
                return null;
            });
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            fragments.append(data);
            if (last) {
                String frame = fragments.toString();
                fragments.setLength(0);
                printer.print(frame);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete("connection closed by the gateway: code " + statusCode
                    + (reason == null || reason.isEmpty() ? "" : ", reason \"" + reason + "\""));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete("connection failed: " + rootCause(error));
        }

        static String subscribeFrame(String channel) {
            return FramePrinter.MAPPER.writeValueAsString(
                    FramePrinter.MAPPER.createObjectNode().put("type", "subscribe").put("channel", channel));
        }

        private static String rootCause(Throwable failure) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            return cause.toString();
        }
    }
}

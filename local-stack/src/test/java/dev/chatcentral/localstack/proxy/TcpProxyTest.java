package dev.chatcentral.localstack.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/** Real sockets on loopback: backends that name themselves or echo, and readiness endpoints the test flips. */
class TcpProxyTest {

    private static final Duration FAST_CHECKS = Duration.ofMillis(100);

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final Map<String, AtomicInteger> readiness = new ConcurrentHashMap<>();
    private HttpServer health;

    @BeforeEach
    void healthEndpoints() throws IOException {
        health = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        health.createContext("/", exchange -> {
            String node = exchange.getRequestURI().getPath().substring(1);
            int status = readiness.getOrDefault(node, new AtomicInteger(404)).get();
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        health.start();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : closing) {
            closeable.close();
        }
        health.stop(0);
    }

    @Test
    void shouldHandEachConnectionToTheNextNodeInTurn() throws Exception {
        TcpProxy proxy = proxy(namer("a"), namer("b"), namer("c"));

        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            answers.add(firstLine(proxy));
        }

        assertThat(answers).containsExactly("a", "b", "c", "a", "b", "c");
    }

    @Test
    void shouldSkipANodeThatIsNotReadyAndTakeItBackOnceItIs() throws Exception {
        TcpProxy proxy = proxy(namer("a"), namer("b"));
        TcpProxy.Backend b = proxy.backends().get(1);

        readiness.get("b").set(503);
        await().atMost(Duration.ofSeconds(5)).until(() -> !proxy.isHealthy(b));
        assertThat(List.of(firstLine(proxy), firstLine(proxy), firstLine(proxy))).containsOnly("a");

        readiness.get("b").set(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.isHealthy(b));
        assertThat(List.of(firstLine(proxy), firstLine(proxy))).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void shouldFollowAFlappingNodeWithoutEverSendingAConnectionToItWhileDown() throws Exception {
        TcpProxy proxy = proxy(namer("a"), namer("b"));
        TcpProxy.Backend b = proxy.backends().get(1);

        for (int flap = 0; flap < 4; flap++) {
            readiness.get("b").set(500);
            await().atMost(Duration.ofSeconds(5)).until(() -> !proxy.isHealthy(b));
            long before = proxy.connections(b);
            for (int i = 0; i < 4; i++) {
                assertThat(firstLine(proxy)).isEqualTo("a");
            }
            assertThat(proxy.connections(b)).isEqualTo(before);
            readiness.get("b").set(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.isHealthy(b));
        }
    }

    @Test
    void shouldPassAConnectionRefusedByADeadNodeOnToTheNext() throws Exception {
        int dead = freePort();
        TcpProxy.Backend gone = new TcpProxy.Backend("gone", new InetSocketAddress("127.0.0.1", dead), null);
        TcpProxy.Backend alive = new TcpProxy.Backend("alive", namer("alive"), null);
        TcpProxy proxy = track(TcpProxy.start("test", 0, List.of(gone, alive), FAST_CHECKS));

        for (int i = 0; i < 4; i++) {
            assertThat(firstLine(proxy)).isEqualTo("alive");
        }
        assertThat(proxy.connections(gone)).isZero();
    }

    @Test
    void shouldRefuseAConnectionWhenNoNodeIsReady() throws Exception {
        TcpProxy proxy = proxy(namer("a"));
        readiness.get("a").set(503);
        await().atMost(Duration.ofSeconds(5)).until(() -> !proxy.isHealthy(proxy.backends().get(0)));

        assertThat(letGo(proxy)).isTrue();
    }

    @Test
    void shouldCutOpenConnectionsAndRefuseNewOnesWhilePausedThenServeAgain() throws Exception {
        InetSocketAddress echo = echo();
        TcpProxy proxy = track(TcpProxy.start("postgres", 0,
                List.of(new TcpProxy.Backend("echo", echo, null)), FAST_CHECKS));
        Socket open = track(connect(proxy));
        assertThat(roundTrip(open, "before")).isEqualTo("before");

        proxy.pause(Duration.ofSeconds(30));

        assertThat(readOrReset(open.getInputStream())).isEqualTo(-1);
        assertThat(letGo(proxy)).isTrue();
        assertThat(proxy.isPaused()).isTrue();
        assertThat(proxy.openConnections()).isZero();

        proxy.resume();
        try (Socket after = connect(proxy)) {
            assertThat(roundTrip(after, "after")).isEqualTo("after");
        }
    }

    @Test
    void shouldEndAPauseByItselfOnceItsTimeIsUp() throws Exception {
        TcpProxy proxy = track(TcpProxy.start("postgres", 0,
                List.of(new TcpProxy.Backend("echo", echo(), null)), FAST_CHECKS));

        proxy.pause(Duration.ofMillis(300));
        assertThat(proxy.isPaused()).isTrue();

        await().atMost(Duration.ofSeconds(5)).until(() -> !proxy.isPaused());
        try (Socket client = connect(proxy)) {
            assertThat(roundTrip(client, "back")).isEqualTo("back");
        }
    }

    @Test
    void shouldServeOthersWhileAClientConnectsAndSendsNothing() throws Exception {
        TcpProxy proxy = track(TcpProxy.start("test", 0,
                List.of(new TcpProxy.Backend("echo", echo(), null)), FAST_CHECKS));
        List<Socket> silent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            silent.add(track(connect(proxy)));
        }

        try (Socket client = connect(proxy)) {
            assertThat(roundTrip(client, "still served")).isEqualTo("still served");
        }
        assertThat(proxy.openConnections()).isGreaterThanOrEqualTo(silent.size());
    }

    @Test
    void shouldCarryAHalfCloseSoThatTheAnswerStillComesBack() throws Exception {
        InetSocketAddress backend = answerAtEndOfInput();
        TcpProxy proxy = track(TcpProxy.start("test", 0, List.of(new TcpProxy.Backend("b", backend, null)),
                FAST_CHECKS));

        try (Socket client = connect(proxy)) {
            client.getOutputStream().write("request".getBytes(StandardCharsets.UTF_8));
            client.shutdownOutput();
            String answer = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).isEqualTo("got 7 bytes");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.openConnections() == 0);
    }

    @Test
    void shouldCarryLargeTransfersUntouched() throws Exception {
        TcpProxy proxy = track(TcpProxy.start("test", 0,
                List.of(new TcpProxy.Backend("echo", echo(), null)), FAST_CHECKS));
        byte[] payload = new byte[3 * 1024 * 1024];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31 + 7);
        }

        try (Socket client = connect(proxy)) {
            Thread writer = new Thread(() -> {
                try {
                    client.getOutputStream().write(payload);
                    client.shutdownOutput();
                } catch (IOException ignored) {
                    // the read below fails the test
                }
            });
            writer.start();
            byte[] back = client.getInputStream().readAllBytes();
            writer.join();
            assertThat(back).isEqualTo(payload);
        }
    }

    @Test
    void shouldRefuseBadSettings() {
        assertThatThrownBy(() -> TcpProxy.start("empty", 0, List.of(), FAST_CHECKS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one backend");
        TcpProxy.Backend any = new TcpProxy.Backend("x", new InetSocketAddress("127.0.0.1", 1), null);
        assertThatThrownBy(() -> TcpProxy.start("zero", 0, List.of(any), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("health interval");
    }

    @Test
    void shouldRefuseAPauseOfNoDuration() throws Exception {
        TcpProxy proxy = track(TcpProxy.start("test", 0,
                List.of(new TcpProxy.Backend("echo", echo(), null)), FAST_CHECKS));

        assertThatThrownBy(() -> proxy.pause(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> proxy.pause(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(proxy.isPaused()).isFalse();
    }

    /** A proxy in front of the given nodes, each with a readiness endpoint answering 200 until told otherwise. */
    private TcpProxy proxy(InetSocketAddress... nodes) throws IOException {
        List<TcpProxy.Backend> backends = new ArrayList<>();
        for (InetSocketAddress node : nodes) {
            String name = nameOf.get(node.getPort());
            readiness.put(name, new AtomicInteger(200));
            backends.add(new TcpProxy.Backend(name, node,
                    URI.create("http://127.0.0.1:" + health.getAddress().getPort() + "/" + name)));
        }
        return track(TcpProxy.start("test", 0, backends, FAST_CHECKS));
    }

    private final Map<Integer, String> nameOf = new ConcurrentHashMap<>();

    /** A backend that writes its name and a newline to each connection, then closes it. */
    private InetSocketAddress namer(String name) throws IOException {
        ServerSocket server = serve(socket -> {
            socket.getOutputStream().write((name + "\n").getBytes(StandardCharsets.UTF_8));
            socket.close();
        });
        nameOf.put(server.getLocalPort(), name);
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    /** A backend that sends back what it reads until the end of its input, then closes. */
    private InetSocketAddress echo() throws IOException {
        return (InetSocketAddress) serve(socket -> {
            try (socket) {
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                byte[] buffer = new byte[8192];
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            }
        }).getLocalSocketAddress();
    }

    /** A backend that answers only once the client has finished sending (a half-closed request). */
    private InetSocketAddress answerAtEndOfInput() throws IOException {
        return (InetSocketAddress) serve(socket -> {
            try (socket) {
                int size = socket.getInputStream().readAllBytes().length;
                socket.getOutputStream().write(("got " + size + " bytes").getBytes(StandardCharsets.UTF_8));
            }
        }).getLocalSocketAddress();
    }

    private interface Handler {
        void handle(Socket socket) throws IOException;
    }

    private ServerSocket serve(Handler handler) throws IOException {
        ServerSocket server = track(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread worker = new Thread(() -> {
                        try {
                            handler.handle(socket);
                        } catch (IOException ignored) {
                            // the client went away
                        }
                    });
                    worker.setDaemon(true);
                    worker.start();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }

    private static String firstLine(TcpProxy proxy) throws IOException {
        try (Socket client = connect(proxy)) {
            String all = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return all.strip();
        }
    }

    private static String roundTrip(Socket socket, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        byte[] back = socket.getInputStream().readNBytes(bytes.length);
        return new String(back, StandardCharsets.UTF_8);
    }

    /**
     * Whether the proxy lets a new connection go at once: reset while connecting (the reset can beat the end of
     * the handshake on loopback), or ended before a byte.
     */
    private static boolean letGo(TcpProxy proxy) {
        try (Socket client = connect(proxy)) {
            return readOrReset(client.getInputStream()) == -1;
        } catch (IOException reset) {
            return true;
        }
    }

    /** -1 for an end of stream or a reset: both mean the proxy let the connection go. */
    private static int readOrReset(InputStream in) {
        try {
            return in.read();
        } catch (IOException reset) {
            return -1;
        }
    }

    private static Socket connect(TcpProxy proxy) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", proxy.port()), 2000);
        socket.setSoTimeout(5000);
        return socket;
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private <T extends AutoCloseable> T track(T closeable) {
        closing.add(closeable);
        return closeable;
    }
}

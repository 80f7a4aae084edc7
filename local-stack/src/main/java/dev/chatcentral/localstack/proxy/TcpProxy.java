package dev.chatcentral.localstack.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A layer-4 load balancer: each accepted connection goes to the next healthy backend in turn, and bytes are copied
 * both ways untouched, so WebSocket, SSE and PostgreSQL's protocol pass through alike. A backend with a readiness
 * URL is polled every {@code healthInterval} and skipped while it does not answer 200; a backend that refuses the
 * connection is skipped for that connection, which goes to the next. {@link #pause} makes the proxy unreachable for
 * a while (new connections are reset, open ones cut) without touching what is behind it: the cluster's chaos suite
 * takes PostgreSQL away this way, never stopping the machine's shared server.
 *
 * <p>Just over 300 lines on purpose: the accept loop, the health checks, the relays and the pause each act on the
 * same backends and open connections, and each is short.
 */
public final class TcpProxy implements AutoCloseable {

    /** One node behind the proxy; {@code readiness} null means always healthy (e.g. PostgreSQL). */
    public record Backend(String name, InetSocketAddress address, URI readiness) {
        public Backend {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(address, "address");
        }
    }

    private static final int CONNECT_TIMEOUT_MILLIS = 2000;
    private static final int BUFFER_SIZE = 16 * 1024;

    private final String name;
    private final List<Backend> backends;
    private final ServerSocket server;
    private final Map<Backend, Boolean> healthy = new ConcurrentHashMap<>();
    private final Map<Backend, AtomicLong> connectionsByBackend = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();
    private final Set<Relay> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong pausedUntilNanos = new AtomicLong();
    private final ExecutorService relays;
    private final ScheduledExecutorService checks;
    private final HttpClient http;
    private volatile boolean closed;

    private TcpProxy(String name, ServerSocket server, List<Backend> backends) {
        this.name = name;
        this.server = server;
        this.backends = List.copyOf(backends);
        this.relays = Executors.newCachedThreadPool(daemon(name + "-relay"));
        this.checks = Executors.newSingleThreadScheduledExecutor(daemon(name + "-health"));
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        this.backends.forEach(backend -> connectionsByBackend.put(backend, new AtomicLong()));
    }

    /**
     * Listens on {@code 127.0.0.1:port} (0: any free port) and checks every backend's readiness once before
     * answering anything, then every {@code healthInterval}.
     */
    public static TcpProxy start(String name, int port, List<Backend> backends, Duration healthInterval)
            throws IOException {
        if (backends.isEmpty()) {
            throw new IllegalArgumentException(name + ": a proxy needs at least one backend");
        }
        if (healthInterval.isNegative() || healthInterval.isZero()) {
            throw new IllegalArgumentException(name + ": the health interval must be positive, not " + healthInterval);
        }
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 512);
        TcpProxy proxy = new TcpProxy(name, server, backends);
        proxy.checkAll();
        proxy.checks.scheduleWithFixedDelay(proxy::checkAll, healthInterval.toMillis(), healthInterval.toMillis(),
                TimeUnit.MILLISECONDS);
        Thread acceptor = new Thread(proxy::acceptLoop, name + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return proxy;
    }

    public String name() {
        return name;
    }

    public int port() {
        return server.getLocalPort();
    }

    public List<Backend> backends() {
        return backends;
    }

    public boolean isHealthy(Backend backend) {
        return healthy.getOrDefault(backend, false);
    }

    /** Connections handed to {@code backend} since the start. */
    public long connections(Backend backend) {
        return connectionsByBackend.get(backend).get();
    }

    /** Connections being relayed now. */
    public int openConnections() {
        return open.size();
    }

    /**
     * Unreachable for {@code duration}: every open connection is cut at once and new ones are reset until the time
     * is up (or {@link #resume}). A second pause replaces the first's end.
     */
    public void pause(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("a pause must last a positive duration, not " + duration);
        }
        pausedUntilNanos.set(System.nanoTime() + duration.toNanos());
        for (Relay relay : open) {
            relay.cut();
        }
    }

    public void resume() {
        pausedUntilNanos.set(0);
    }

    public boolean isPaused() {
        long until = pausedUntilNanos.get();
        return until != 0 && System.nanoTime() - until < 0;
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        open.forEach(Relay::cut);
        checks.shutdownNow();
        relays.shutdownNow();
    }

    private void checkAll() {
        for (Backend backend : backends) {
            healthy.put(backend, backend.readiness() == null || answersReady(backend.readiness()));
        }
    }

    private boolean answersReady(URI readiness) {
        try {
            HttpRequest request = HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(1)).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            if (isPaused()) {
                reset(client);
                continue;
            }
            try {
                relays.execute(() -> connect(client));
            } catch (RuntimeException rejected) {
                reset(client);
            }
        }
    }

    /** Round robin over the healthy backends; one that refuses passes the connection on to the next. */
    private void connect(Socket client) {
        List<Backend> candidates = backends.stream().filter(this::isHealthy).toList();
        if (candidates.isEmpty()) {
            reset(client);
            return;
        }
        int first = Math.floorMod(next.getAndIncrement(), candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            Backend backend = candidates.get((first + i) % candidates.size());
            Socket upstream = new Socket();
            try {
                upstream.setTcpNoDelay(true);
                upstream.connect(backend.address(), CONNECT_TIMEOUT_MILLIS);
            } catch (IOException refused) {
                closeQuietly(upstream);
                continue;
            }
            connectionsByBackend.get(backend).incrementAndGet();
            relay(client, upstream);
            return;
        }
        reset(client);
    }

    private void relay(Socket client, Socket upstream) {
        Relay relay = new Relay(client, upstream);
        open.add(relay);
        // a pause that began while this connection was being made must cut it too
        if (isPaused() || closed) {
            relay.cut();
            return;
        }
        try {
            client.setTcpNoDelay(true);
            relays.execute(() -> relay.copy(upstream, client));
        } catch (SocketException | RuntimeException e) {
            relay.cut();
            return;
        }
        relay.copy(client, upstream);
    }

    /** Both sockets of one proxied connection; ends when both directions reached their end. */
    private final class Relay {
        private final Socket client;
        private final Socket upstream;
        private final AtomicInteger directionsDone = new AtomicInteger();

        Relay(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        /**
         * Copies {@code from} to {@code to}; the end of one direction is passed on as a half close, so a client
         * that sends its last bytes and shuts its output still reads the whole answer.
         */
        void copy(Socket from, Socket to) {
            byte[] buffer = new byte[BUFFER_SIZE];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
                to.shutdownOutput();
                if (directionsDone.incrementAndGet() == 2) {
                    end();
                }
            } catch (IOException e) {
                cut();
            }
        }

        /** Both sides said all they had: an orderly close, so nothing still in flight to the client is lost. */
        void end() {
            open.remove(this);
            closeQuietly(client);
            closeQuietly(upstream);
        }

        /** Cut short (an error on one side, a pause, the proxy closing): both peers see the connection reset. */
        void cut() {
            open.remove(this);
            reset(client);
            reset(upstream);
        }
    }

    /** Closes with an RST rather than a FIN: the peer learns at once that the connection is gone. */
    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException ignored) {
            // already closed
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String threadName) {
        return runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        };
    }
}

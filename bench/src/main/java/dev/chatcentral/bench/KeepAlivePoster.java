package dev.chatcentral.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * POSTs over persistent HTTP/1.1 connections, each served by its own thread with blocking sockets, as Evolution's
 * webhook sender does: webhooks go out concurrently, a request due while every connection waits for an answer opens
 * one more (up to {@code maxConnections}; beyond that it waits for the first free one, and that wait counts in its
 * latency), and a connection idle for {@value #IDLE_SECONDS} s is closed. The most recently freed connection is
 * used first, so the pool is as large as the concurrency needs. The JDK HttpClient, given an open-loop burst, opens
 * a connection per outstanding request and its one selector thread saturated first on this machine.
 *
 * <p>A request that finds no open connection and cannot open one (connection refused: nothing listens) fails at
 * once without waiting for the server, and one whose connection closes or stays silent for {@value #ANSWER_SECONDS}
 * s (Evolution's request timeout) after it was written fails as unanswered: Evolution retries both later.
 *
 * <p>Over 300 lines on purpose: the pool, the HTTP/1.1 exchange and the failure rules above are one piece a harness
 * cannot use in part, and the measured latency depends on all three.
 */
public final class KeepAlivePoster implements AutoCloseable {

    private static final byte[] END_OF_HEADERS = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int IDLE_SECONDS = 5;
    private static final int ANSWER_SECONDS = 30;
    private static final int BODY_KEPT = 200;

    /** What became of one request. */
    public enum Kind {
        /** The server answered; {@link Outcome#status} says how. */
        ANSWERED,
        /** No connection could be opened: never sent. */
        REFUSED,
        /** Written, then the connection closed, broke or stayed silent before an answer. */
        UNANSWERED
    }

    /**
     * One request's fate, on the {@link System#nanoTime()} scale.
     *
     * @param status the HTTP status when answered, 0 otherwise
     * @param reason the body of an answer other than 2xx (its first 200 characters), or the exception when not
     *               answered; null for 2xx
     * @param tag    what the caller gave {@link #post(String, long, String)} to know the request again, or null
     */
    public record Outcome(long dueNanos, long doneNanos, Kind kind, int status, String reason, String tag) {
    }

    private record Request(byte[] body, long dueNanos, String tag) {
    }

    private final InetSocketAddress server;
    private final String head;
    private final int maxConnections;
    private final Consumer<Outcome> outcomes;
    /** Guarded by this: free connections, the most recently freed first, and requests no connection could take. */
    private final Deque<Connection> idle = new ArrayDeque<>();
    private final Queue<Request> backlog = new ArrayDeque<>();
    private int connections;
    private int peakConnections;
    private boolean closed;
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final AtomicLong answered = new AtomicLong();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();

    /** @param headers sent with every request, besides Host, Content-Length and Content-Type (JSON) */
    public KeepAlivePoster(InetSocketAddress server, String path, Map<String, String> headers, int maxConnections) {
        this(server, path, headers, maxConnections, outcome -> { });
    }

    /** The same, telling {@code outcomes} (on a connection's thread) what became of every request. */
    public KeepAlivePoster(InetSocketAddress server, String path, Map<String, String> headers, int maxConnections,
                           Consumer<Outcome> outcomes) {
        this.server = server;
        this.maxConnections = maxConnections;
        this.outcomes = outcomes;
        StringBuilder text = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\nHost: ")
                .append(server.getHostString()).append(':').append(server.getPort())
                .append("\r\nContent-Type: application/json\r\n");
        headers.forEach((name, value) -> text.append(name).append(": ").append(value).append("\r\n"));
        this.head = text.toString();
    }

    /** Sends one request, due now, on the next free connection. */
    public void post(String body) {
        post(body, System.nanoTime());
    }

    /** Sends one request that was due at {@code dueNanos} ({@link System#nanoTime()}), on the next free connection. */
    public void post(String body, long dueNanos) {
        post(body, dueNanos, null);
    }

    /** The same; the request's {@link Outcome} carries {@code tag}, so a caller can send again what failed. */
    public void post(String body, long dueNanos, String tag) {
        Request request = new Request(body.getBytes(StandardCharsets.UTF_8), dueNanos, tag);
        Connection opened;
        synchronized (this) {
            if (closed) {
                return;
            }
            Connection free = idle.pollFirst();
            if (free != null) {
                free.handed.add(request);
                return;
            }
            if (connections == maxConnections) {
                backlog.add(request);
                return;
            }
            connections++;
            peakConnections = Math.max(peakConnections, connections);
            opened = new Connection(request);
        }
        Thread thread = new Thread(opened, "poster-" + opened.hashCode());
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    /** Requests due and waiting for a connection, all {@code maxConnections} being busy. */
    public synchronized int queued() {
        return backlog.size();
    }

    /** The most connections open at once so far. */
    public synchronized int peakConnections() {
        return peakConnections;
    }

    /** Requests answered 2xx so far. */
    public long answered() {
        return answered.get();
    }

    /** Requests not answered 2xx, by status code or exception. */
    public Map<String, Integer> failures() {
        return failures;
    }

    /** The next request for a connection that is free, or null after it was put among the idle ones. */
    private synchronized Request next(Connection connection) {
        Request request = backlog.poll();
        if (request == null) {
            idle.addFirst(connection);
        }
        return request;
    }

    /** Whether an idle connection is retired (true) or was handed a request meanwhile. */
    private synchronized boolean retire(Connection connection) {
        if (idle.remove(connection)) {
            connections--;
            return true;
        }
        return false;
    }

    private final class Connection implements Runnable {

        private final BlockingQueue<Request> handed = new ArrayBlockingQueue<>(1);
        private final Request first;
        private Socket socket;
        private InputStream in;
        private OutputStream out;

        Connection(Request first) {
            this.first = first;
        }

        @Override
        public void run() {
            try {
                Request request = first;
                while (request != null) {
                    send(request);
                    request = next(this);
                    if (request == null) {
                        request = handed.poll(IDLE_SECONDS, TimeUnit.SECONDS);
                        if (request == null && !retire(this)) {
                            request = handed.take();
                        }
                    }
                }
            } catch (InterruptedException e) {
                // closed
            } finally {
                disconnect();
                threads.remove(Thread.currentThread());
            }
        }

        private void send(Request request) {
            if (socket == null) {
                try {
                    socket = new Socket();
                    socket.setTcpNoDelay(true);
                    socket.setSoTimeout(ANSWER_SECONDS * 1000);
                    socket.connect(server, 5_000);
                    out = socket.getOutputStream();
                    in = new BufferedInputStream(socket.getInputStream());
                } catch (IOException e) {
                    disconnect();
                    fail(request, Kind.REFUSED, e);
                    return;
                }
            }
            try {
                out.write((head + "Content-Length: " + request.body().length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(request.body());
                out.flush();
                Response response = readResponse(in);
                int status = response.status();
                if (status / 100 == 2) {
                    answered.incrementAndGet();
                } else {
                    failures.merge(Integer.toString(status), 1, Integer::sum);
                }
                outcomes.accept(new Outcome(request.dueNanos(), System.nanoTime(), Kind.ANSWERED, status,
                        response.body(), request.tag()));
                // Tomcat closes a keep-alive connection after its max-keep-alive-requests, saying so
                if (response.closing()) {
                    disconnect();
                }
            } catch (IOException | UncheckedIOException e) {
                // the request is lost with the connection, and the next one opens a new connection
                disconnect();
                fail(request, Kind.UNANSWERED, e);
            }
        }

        private void fail(Request request, Kind kind, Exception e) {
            failures.merge(e.getClass().getSimpleName(), 1, Integer::sum);
            outcomes.accept(new Outcome(request.dueNanos(), System.nanoTime(), kind, 0,
                    e.getClass().getSimpleName() + ": " + e.getMessage(), request.tag()));
        }

        private void disconnect() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing anyway
                }
                socket = null;
            }
        }
    }

    /** @param body the start of the body when the status is not 2xx, else null */
    private record Response(int status, boolean closing, String body) {
    }

    /** Reads one response (Content-Length or chunked body), keeping the start of the body of one other than 2xx. */
    private static Response readResponse(InputStream in) throws IOException {
        String headers = readUntil(in, END_OF_HEADERS);
        int status = Integer.parseInt(headers.substring(9, 12));
        StringBuilder body = status / 100 == 2 ? null : new StringBuilder();
        String lower = headers.toLowerCase(Locale.ROOT);
        int lengthAt = lower.indexOf("\r\ncontent-length:");
        if (lengthAt >= 0) {
            int end = lower.indexOf("\r\n", lengthAt + 2);
            read(in, Long.parseLong(lower.substring(lengthAt + 17, end).trim()), body);
        } else if (lower.contains("\r\ntransfer-encoding: chunked")) {
            long size;
            do {
                size = Long.parseLong(readUntil(in, new byte[] {'\r', '\n'}).trim().split(";")[0], 16);
                read(in, size, body);
                skip(in, 2);
            } while (size > 0);
        }
        return new Response(status, lower.contains("\r\nconnection: close"), body == null ? null : body.toString());
    }

    /** Reads {@code bytes} of a body: the first {@value #BODY_KEPT} characters into {@code kept}, if any. */
    private static void read(InputStream in, long bytes, StringBuilder kept) throws IOException {
        long left = bytes;
        while (kept != null && left > 0 && kept.length() < BODY_KEPT) {
            kept.append((char) readByte(in));
            left--;
        }
        skip(in, left);
    }

    private static String readUntil(InputStream in, byte[] terminator) throws IOException {
        StringBuilder text = new StringBuilder();
        int matched = 0;
        while (matched < terminator.length) {
            int b = readByte(in);
            text.append((char) b);
            matched = b == terminator[matched] ? matched + 1 : (b == terminator[0] ? 1 : 0);
        }
        return text.substring(0, text.length() - terminator.length);
    }

    private static void skip(InputStream in, long bytes) throws IOException {
        long left = bytes;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                readByte(in);
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new IOException("connection closed by the server");
        }
        return b;
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        threads.forEach(Thread::interrupt);
    }
}

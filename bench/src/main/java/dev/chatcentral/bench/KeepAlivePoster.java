package dev.chatcentral.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * POSTs over a fixed set of persistent HTTP/1.1 connections, each served by its own thread with blocking sockets:
 * requests are queued when due and taken by whichever connection is free, so a slow answer delays the requests
 * behind it (counted from their due time by the caller) instead of opening more connections. The JDK HttpClient,
 * given an open-loop burst, opens a connection per outstanding request and its one selector thread saturated first
 * on this machine; this is what Evolution's own webhook sender does (a few keep-alive connections).
 */
public final class KeepAlivePoster implements AutoCloseable {

    private static final byte[] END_OF_HEADERS = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final InetSocketAddress server;
    private final String head;
    private final BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong answered = new AtomicLong();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** @param headers sent with every request, besides Host, Content-Length and Content-Type (JSON) */
    public KeepAlivePoster(InetSocketAddress server, String path, Map<String, String> headers, int connections) {
        this.server = server;
        StringBuilder text = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\nHost: ")
                .append(server.getHostString()).append(':').append(server.getPort())
                .append("\r\nContent-Type: application/json\r\n");
        headers.forEach((name, value) -> text.append(name).append(": ").append(value).append("\r\n"));
        this.head = text.toString();
        for (int i = 0; i < connections; i++) {
            Thread thread = new Thread(this::serve, "poster-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
    }

    /** Queues one request; it leaves on the next free connection. */
    public void post(String body) {
        queue.add(body.getBytes(StandardCharsets.UTF_8));
    }

    /** Requests due and not yet taken by a connection. */
    public int queued() {
        return queue.size();
    }

    /** Requests answered 2xx so far. */
    public long answered() {
        return answered.get();
    }

    /** Requests not answered 2xx, by status code or exception. */
    public Map<String, Integer> failures() {
        return failures;
    }

    private void serve() {
        while (!closed) {
            try (Socket socket = new Socket()) {
                socket.setTcpNoDelay(true);
                socket.connect(server, 5_000);
                OutputStream out = socket.getOutputStream();
                InputStream in = new BufferedInputStream(socket.getInputStream());
                boolean open = true;
                while (!closed && open) {
                    byte[] body = queue.take();
                    out.write((head + "Content-Length: " + body.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                    Response response = readResponse(in);
                    int status = response.status();
                    // Tomcat closes a keep-alive connection after its max-keep-alive-requests, saying so
                    open = !response.closing();
                    if (status / 100 == 2) {
                        answered.incrementAndGet();
                    } else {
                        failures.merge(Integer.toString(status), 1, Integer::sum);
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | UncheckedIOException e) {
                // the request in flight is lost with the connection: counted, and a new connection is opened
                failures.merge(e.getClass().getSimpleName(), 1, Integer::sum);
            }
        }
    }

    private record Response(int status, boolean closing) {
    }

    /** Reads one response (Content-Length or chunked body). */
    private static Response readResponse(InputStream in) throws IOException {
        String headers = readUntil(in, END_OF_HEADERS);
        int status = Integer.parseInt(headers.substring(9, 12));
        String lower = headers.toLowerCase(Locale.ROOT);
        int lengthAt = lower.indexOf("\r\ncontent-length:");
        if (lengthAt >= 0) {
            int end = lower.indexOf("\r\n", lengthAt + 2);
            skip(in, Long.parseLong(lower.substring(lengthAt + 17, end).trim()));
        } else if (lower.contains("\r\ntransfer-encoding: chunked")) {
            long size;
            do {
                size = Long.parseLong(readUntil(in, new byte[] {'\r', '\n'}).trim().split(";")[0], 16);
                skip(in, size + 2);
            } while (size > 0);
        }
        return new Response(status, lower.contains("\r\nconnection: close"));
    }

    private static String readUntil(InputStream in, byte[] terminator) throws IOException {
        StringBuilder text = new StringBuilder();
        int matched = 0;
        while (matched < terminator.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed by the server");
            }
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
                if (in.read() < 0) {
                    throw new IOException("connection closed by the server");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    @Override
    public void close() {
        closed = true;
        threads.forEach(Thread::interrupt);
    }
}

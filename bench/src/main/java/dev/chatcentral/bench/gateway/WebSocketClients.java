package dev.chatcentral.bench.gateway;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Many WebSocket client connections on one selector thread. The JDK's HttpClient WebSocket costs a client, buffers
 * and threads per connection; a benchmark of 20,000 connections must not measure its own client instead. This is
 * just enough of RFC 6455 for the gateway: the upgrade with {@code ?token=}, unmasked server frames (text,
 * continuation, ping, close), masked client text frames, and pongs for the server's keepalive pings.
 *
 * <p>Over 300 lines on purpose: the selector loop and the frame codec are one state machine per connection
 * (upgrade, frame header, payload, close), each step reading the buffer the one before it left.
 */
public final class WebSocketClients implements AutoCloseable {

    /** Receives every text frame, with the wall-clock time (epoch microseconds) its bytes were read. */
    interface Listener {
        void onText(Connection connection, String text, long receivedMicros);

        default void onClose(Connection connection, int code) {
        }
    }

    /** One client connection; {@code attachment} is free for the benchmark's own bookkeeping. */
    public static final class Connection {
        final int id;
        volatile Object attachment;
        private final SocketChannel channel;
        private final CompletableFuture<Connection> opened = new CompletableFuture<>();
        private final Queue<ByteBuffer> out = new ConcurrentLinkedQueue<>();
        private ByteBuffer pending;
        private boolean upgraded;
        private ByteBuffer message;
        private volatile boolean closed;

        private Connection(int id, SocketChannel channel) {
            this.id = id;
            this.channel = channel;
        }

        public boolean isClosed() {
            return closed;
        }
    }

    private final Selector selector;
    private final Listener listener;
    private final Thread loop;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Queue<Connection> writable = new ConcurrentLinkedQueue<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
    private int nextId;
    private volatile boolean running = true;

    WebSocketClients(Listener listener) throws IOException {
        this.selector = Selector.open();
        this.listener = listener;
        this.loop = new Thread(this::run, "websocket-clients");
        this.loop.setDaemon(true);
        this.loop.start();
    }

    /**
     * Connects to {@code ws://server} + {@code target} (the request target, {@code /ws?token=...} for the gateway),
     * from {@code local} when not null (several loopback source addresses give more ephemeral ports). Completes once
     * the server answered 101; fails with the HTTP status line (and body) when it refused.
     */
    CompletableFuture<Connection> connect(InetSocketAddress server, InetAddress local, String target) {
        CompletableFuture<Connection> result = new CompletableFuture<>();
        tasks.add(() -> {
            SocketChannel channel = null;
            try {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.socket().setTcpNoDelay(true);
                if (local != null) {
                    channel.bind(new InetSocketAddress(local, 0));
                }
                Connection connection = new Connection(nextId++, channel);
                connection.opened.whenComplete((c, e) -> {
                    if (e == null) {
                        result.complete(c);
                    } else {
                        result.completeExceptionally(e);
                    }
                });
                String request = "GET " + target + " HTTP/1.1\r\nHost: " + server.getHostString() + ":"
                        + server.getPort() + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                        + key() + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
                connection.out.add(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
                SelectionKey key = channel.register(selector, SelectionKey.OP_CONNECT, connection);
                if (channel.connect(server)) {
                    key.interestOps(SelectionKey.OP_READ);
                    flush(connection, key);
                }
            } catch (IOException e) {
                closeQuietly(channel);
                result.completeExceptionally(e);
            }
        });
        selector.wakeup();
        return result;
    }

    /** Sends one text frame; safe from any thread. */
    void send(Connection connection, String text) {
        connection.out.add(frame(0x1, text.getBytes(StandardCharsets.UTF_8)));
        writable.add(connection);
        selector.wakeup();
    }

    /** Drops the connection without a close handshake, as a network cut or a closed laptop would. */
    void abort(Connection connection) {
        tasks.add(() -> terminate(connection, 1006));
        selector.wakeup();
    }

    public static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }

    private void run() {
        while (running) {
            try {
                selector.select(100);
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                Connection toFlush;
                while ((toFlush = writable.poll()) != null) {
                    SelectionKey key = toFlush.channel.keyFor(selector);
                    if (key != null && key.isValid() && toFlush.channel.isConnected()) {
                        flush(toFlush, key);
                    }
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Connection connection = (Connection) key.attachment();
                    try {
                        if (!key.isValid()) {
                            continue;
                        }
                        if (key.isConnectable()) {
                            connection.channel.finishConnect();
                            key.interestOps(SelectionKey.OP_READ);
                            flush(connection, key);
                        } else {
                            if (key.isReadable()) {
                                read(connection);
                            }
                            if (key.isValid() && key.isWritable()) {
                                flush(connection, key);
                            }
                        }
                    } catch (IOException | RuntimeException e) {
                        connection.opened.completeExceptionally(e);
                        terminate(connection, 1006);
                    }
                }
                selector.selectedKeys().clear();
            } catch (IOException e) {
                if (running) {
                    throw new IllegalStateException("selector failed", e);
                }
            }
        }
    }

    private void flush(Connection connection, SelectionKey key) throws IOException {
        ByteBuffer head;
        while ((head = connection.out.peek()) != null) {
            connection.channel.write(head);
            if (head.hasRemaining()) {
                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                return;
            }
            connection.out.poll();
        }
        key.interestOps(SelectionKey.OP_READ);
    }

    private void read(Connection connection) throws IOException {
        while (true) {
            readBuffer.clear();
            int n = connection.channel.read(readBuffer);
            if (n < 0) {
                connection.opened.completeExceptionally(new IOException("connection closed by the server"));
                terminate(connection, 1006);
                return;
            }
            if (n == 0) {
                return;
            }
            long received = nowMicros();
            readBuffer.flip();
            ByteBuffer buffer = readBuffer;
            if (connection.pending != null) {
                connection.pending = grow(connection.pending, readBuffer.remaining());
                connection.pending.put(readBuffer).flip();
                buffer = connection.pending;
            }
            if (!connection.upgraded && !handshake(connection, buffer)) {
                keep(connection, buffer);
                return;
            }
            while (!connection.closed && frame(connection, buffer, received)) {
                // one complete frame handled per turn
            }
            if (connection.closed) {
                return;
            }
            keep(connection, buffer);
        }
    }

    /** Keeps the unparsed tail of {@code buffer} for the next read (a frame split across reads). */
    private static void keep(Connection connection, ByteBuffer buffer) {
        if (!buffer.hasRemaining()) {
            connection.pending = null;
            return;
        }
        ByteBuffer tail = ByteBuffer.allocate(Math.max(buffer.remaining(), 1024));
        tail.put(buffer);
        tail.flip();
        connection.pending = tail;
    }

    private static ByteBuffer grow(ByteBuffer pending, int more) {
        ByteBuffer grown = ByteBuffer.allocate(pending.remaining() + more);
        grown.put(pending);
        return grown;
    }

    /** Consumes the HTTP answer to the upgrade; false while it is incomplete. */
    private boolean handshake(Connection connection, ByteBuffer buffer) {
        int end = -1;
        for (int i = buffer.position(); i + 3 < buffer.limit(); i++) {
            if (buffer.get(i) == '\r' && buffer.get(i + 1) == '\n' && buffer.get(i + 2) == '\r'
                    && buffer.get(i + 3) == '\n') {
                end = i + 4;
                break;
            }
        }
        if (end < 0) {
            return false;
        }
        byte[] head = new byte[end - buffer.position()];
        buffer.get(head);
        String answer = new String(head, StandardCharsets.US_ASCII);
        if (!answer.startsWith("HTTP/1.1 101")) {
            byte[] body = new byte[buffer.remaining()];
            buffer.get(body);
            connection.opened.completeExceptionally(new IOException(answer.lines().findFirst().orElse(answer) + " "
                    + new String(body, StandardCharsets.UTF_8)));
            terminate(connection, 1006);
            return false;
        }
        connection.upgraded = true;
        connection.opened.complete(connection);
        return true;
    }

    /** Handles one complete frame at the buffer's position; false (buffer untouched) when it is incomplete. */
    private boolean frame(Connection connection, ByteBuffer buffer, long received) throws IOException {
        int start = buffer.position();
        if (buffer.remaining() < 2) {
            return false;
        }
        int b0 = buffer.get() & 0xFF;
        int b1 = buffer.get() & 0xFF;
        long length = b1 & 0x7F;
        if (length == 126) {
            if (buffer.remaining() < 2) {
                buffer.position(start);
                return false;
            }
            length = buffer.getShort() & 0xFFFF;
        } else if (length == 127) {
            if (buffer.remaining() < 8) {
                buffer.position(start);
                return false;
            }
            length = buffer.getLong();
        }
        if (buffer.remaining() < length) {
            buffer.position(start);
            return false;
        }
        byte[] payload = new byte[(int) length];
        buffer.get(payload);
        boolean fin = (b0 & 0x80) != 0;
        int opcode = b0 & 0x0F;
        switch (opcode) {
            case 0x1, 0x0 -> {
                if (fin && connection.message == null) {
                    listener.onText(connection, new String(payload, StandardCharsets.UTF_8), received);
                } else {
                    ByteBuffer whole = connection.message == null ? ByteBuffer.allocate(payload.length)
                            : grow(connection.message.flip(), payload.length);
                    whole.put(payload);
                    connection.message = fin ? null : whole;
                    if (fin) {
                        listener.onText(connection, StandardCharsets.UTF_8.decode(whole.flip()).toString(), received);
                    }
                }
            }
            case 0x9 -> {
                connection.out.add(frame(0xA, payload));
                flush(connection, connection.channel.keyFor(selector));
            }
            case 0x8 -> terminate(connection, payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF)
                    : 1005);
            default -> {
                // pong or binary: the gateway sends neither to clients that did not ask
            }
        }
        return true;
    }

    private void terminate(Connection connection, int code) {
        if (connection.closed) {
            return;
        }
        connection.closed = true;
        SelectionKey key = connection.channel.keyFor(selector);
        if (key != null) {
            key.cancel();
        }
        closeQuietly(connection.channel);
        connection.opened.completeExceptionally(new IOException("closed with " + code + " before the upgrade"));
        listener.onClose(connection, code);
    }

    /** A masked client frame, as RFC 6455 requires from clients. */
    private static ByteBuffer frame(int opcode, byte[] payload) {
        int headerLength = payload.length < 126 ? 2 : payload.length <= 0xFFFF ? 4 : 10;
        ByteBuffer frame = ByteBuffer.allocate(headerLength + 4 + payload.length);
        frame.put((byte) (0x80 | opcode));
        if (payload.length < 126) {
            frame.put((byte) (0x80 | payload.length));
        } else if (payload.length <= 0xFFFF) {
            frame.put((byte) (0x80 | 126)).putShort((short) payload.length);
        } else {
            frame.put((byte) (0x80 | 127)).putLong(payload.length);
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.put(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.put((byte) (payload[i] ^ mask[i & 3]));
        }
        return frame.flip();
    }

    private static String key() {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // already gone
            }
        }
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            loop.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SelectionKey key : selector.keys()) {
            closeQuietly((SocketChannel) key.channel());
        }
        try {
            selector.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}

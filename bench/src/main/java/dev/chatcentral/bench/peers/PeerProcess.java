package dev.chatcentral.bench.peers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.chatcentral.bench.ServiceProcess;

/**
 * A peer of issue 15 as its own process (a JVM from the bench classes, or Node), its output in
 * {@code bench/target/<name>.log}, started and then awaited until its health URL answers 200: the same terms as
 * chat-central's services get from {@link dev.chatcentral.bench.ServiceProcess}.
 */
final class PeerProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final String name;
    private final Process process;
    private final int port;

    private PeerProcess(String name, Process process, int port) {
        this.name = name;
        this.process = process;
        this.port = port;
    }

    /** Starts {@code command} with {@code env} on top of this process's, then awaits {@code healthPath}'s 200. */
    static PeerProcess start(String name, List<String> command, Map<String, String> env, int port,
                             String healthPath) throws Exception {
        Path log = Path.of("bench/target/" + name + ".log");
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        builder.environment().putAll(env);
        PeerProcess peer = new PeerProcess(name, builder.start(), port);
        try {
            peer.awaitHealthy(healthPath, log);
        } catch (Exception e) {
            peer.close();
            throw e;
        }
        return peer;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** A GET on the peer's port, its body; fails on any status but 200. */
    String get(String path) throws Exception {
        // HTTP/1.1: the JDK's default first asks to upgrade to h2c, and a Node server hands any upgrade request to
        // Socket.IO, which drops it
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(name + " answered " + response.statusCode() + " to " + path);
        }
        return response.body();
    }

    private void awaitHealthy(String healthPath, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited; see " + log);
            }
            try {
                get(healthPath);
                return;
            } catch (IOException | IllegalStateException e) {
                // not listening yet, or not ready
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " did not become healthy; see " + log);
    }

    @Override
    public void close() throws InterruptedException {
        ServiceProcess.stop(process);
    }
}

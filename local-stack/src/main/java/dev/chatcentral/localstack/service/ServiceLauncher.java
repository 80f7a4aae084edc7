package dev.chatcentral.localstack.service;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.chatcentral.localstack.StackException;
import dev.chatcentral.localstack.StackLayout;
import dev.chatcentral.localstack.process.ChildProcess;
import dev.chatcentral.localstack.process.JavaProcesses;
import dev.chatcentral.localstack.process.Launch;

/** Starts services from their executable jars and waits until Spring Boot's health endpoint says UP. */
public final class ServiceLauncher {

    private static final List<String> JVM_OPTIONS = List.of("-Xms64m", "-Xmx512m", "-XX:+ExitOnOutOfMemoryError");

    private final StackLayout layout;
    private final JavaProcesses processes;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public ServiceLauncher(StackLayout layout, JavaProcesses processes) {
        this.layout = layout;
        this.processes = processes;
    }

    /** Fails, naming every missing jar, before anything is started. */
    public void checkJars(List<Service> services) {
        List<String> missing = new ArrayList<>();
        for (String module : services.stream().map(Service::module).distinct().toList()) {
            Path jar = layout.serviceJar(module);
            if (!Files.isRegularFile(jar)) {
                missing.add("  " + layout.display(jar));
            }
        }
        if (!missing.isEmpty()) {
            throw new StackException("missing service jar(s):\n" + String.join("\n", missing)
                    + "\nbuild them with: ./mvnw -q -DskipTests package (bin/stack does this before starting)");
        }
    }

    /** How to start {@code service} with {@code env} and know it is healthy, at first and after each restart. */
    public Launch launch(Service service, Map<String, String> env, Duration startTimeout) {
        return new Launch() {
            @Override
            public ChildProcess start() {
                return ServiceLauncher.this.start(service, env);
            }

            @Override
            public void awaitReady(ChildProcess child, Supplier<String> failure) throws InterruptedException {
                awaitHealthy(service, child, startTimeout, failure);
            }
        };
    }

    private ChildProcess start(Service service, Map<String, String> env) {
        List<String> arguments = new ArrayList<>(JVM_OPTIONS);
        arguments.add("-jar");
        arguments.add(layout.serviceJar(service.module()).toString());
        arguments.addAll(service.arguments());
        return processes.start(service.name(), arguments, env, layout.logFile(service.name()));
    }

    /**
     * Waits until the service's health endpoint answers 200 with status UP (503 while anything is DOWN).
     * Gives up early when {@code failure} reports that a child it needs died meanwhile.
     */
    private void awaitHealthy(Service service, ChildProcess child, Duration timeout, Supplier<String> failure)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest request = HttpRequest.newBuilder(service.healthUrl()).timeout(Duration.ofSeconds(3)).GET().build();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            String died = failure.get();
            if (died != null) {
                throw new StackException(died);
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"status\":\"UP\"")) {
                    return;
                }
                last = "HTTP " + response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.getClass().getSimpleName();
            }
            Thread.sleep(1000);
        }
        throw new StackException(service.name() + " was not healthy at " + service.healthUrl() + " within "
                + timeout.toSeconds() + " s (last: " + last + "); see " + child.log());
    }
}

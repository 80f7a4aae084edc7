package dev.chatcentral.localstack.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.chatcentral.localstack.KillCommand;
import dev.chatcentral.localstack.StackException;

/**
 * bin/cluster's commands to a cluster already running here, from another terminal: {@code --kill} through its pid
 * files, {@code --pause-postgres} and {@code --resume-postgres} through its control port ({@link ControlServer}).
 */
final class ClusterCommands {

    static final String USAGE = """
            usage: bin/cluster [--kill NAME | --pause-postgres SECONDS | --resume-postgres]
              --kill NAME                SIGKILL one process of the cluster running here (from another terminal):
                                         kafka-1..3, ingest-1..2, stream-processor-1..2, gateway-1..3,
                                         evolution-simulator; it is restarted
              --pause-postgres SECONDS   make PostgreSQL unreachable for the cluster's services for SECONDS (1-3600):
                                         open connections are cut, new ones refused; the server itself is untouched
              --resume-postgres          end such a pause now
            environment: CHATCENTRAL_DATA_DIR (default .cluster/), AGENT_JWT_SECRET, ADMIN_API_TOKEN, DATABASE_USER,
            DATABASE_PASSWORD""";

    private ClusterCommands() {
    }

    /** The commands that talk to a running cluster; returns the exit status. */
    static int run(String[] args) {
        try {
            switch (args[0]) {
                case "-h", "--help" -> {
                    System.out.println(USAGE);
                    return 0;
                }
                case "--kill" -> {
                    requireArguments(args, 2, "--kill takes one process name and nothing else");
                    ClusterLayout cluster = ClusterLayout.here();
                    return KillCommand.run(cluster.stack(), "cluster", "cluster", cluster.names(), args[1],
                            System.out, System.err);
                }
                case "--pause-postgres" -> {
                    requireArguments(args, 2, "--pause-postgres takes a number of seconds and nothing else");
                    int seconds = ControlServer.parseSeconds(args[1]);
                    return control("/postgres/pause?seconds=" + seconds);
                }
                case "--resume-postgres" -> {
                    requireArguments(args, 1, "--resume-postgres takes nothing else");
                    return control("/postgres/resume");
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[0]);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("cluster: " + e.getMessage() + "\n" + USAGE);
            return 2;
        } catch (StackException e) {
            System.err.println("cluster: " + e.getMessage());
            return 1;
        }
    }

    private static void requireArguments(String[] args, int count, String problem) {
        if (args.length != count) {
            throw new IllegalArgumentException(problem);
        }
    }

    private static int control(String path) {
        URI uri = URI.create("http://127.0.0.1:" + ClusterLayout.CONTROL_PORT + path);
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                            .POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            System.out.println(response.body().strip());
            return response.statusCode() == 200 ? 0 : 1;
        } catch (IOException e) {
            throw new StackException("no cluster answers on its control port " + ClusterLayout.CONTROL_PORT
                    + " (" + e.getClass().getSimpleName() + "); start one with bin/cluster");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted", e);
        }
    }
}

package dev.chatcentral.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where things are: the repository (services' jars) and the data directory ({@code .local/} in the repository,
 * or {@code CHATCENTRAL_DATA_DIR}) holding the broker's log directory, generated configuration, the stream
 * processor's state, every process's log and, while the stack runs, their pid files. Data survives restarts;
 * delete the directory to start from scratch.
 */
public record StackLayout(Path root, Path dataDir) {

    public static final String DATA_DIR_ENV = "CHATCENTRAL_DATA_DIR";
    static final String VERSION = "0.1.0-SNAPSHOT";

    /** The layout for a launcher started in the repository root, as bin/stack does. */
    public static StackLayout of(Path workingDirectory, Map<String, String> env) {
        return of(workingDirectory, env, ".local");
    }

    /** The same with another default data directory ({@code .cluster} for bin/cluster), relative to the root. */
    public static StackLayout of(Path workingDirectory, Map<String, String> env, String defaultDataDir) {
        Path root = workingDirectory.toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("pom.xml")) || !Files.isDirectory(root.resolve("local-stack"))) {
            throw new StackException("run the local stack from the chat-central repository root (bin/stack does), "
                    + "not from " + root);
        }
        String override = env.get(DATA_DIR_ENV);
        Path dataDir = override == null || override.isBlank()
                ? root.resolve(defaultDataDir)
                : Path.of(override).toAbsolutePath().normalize();
        return new StackLayout(root, dataDir);
    }

    /** A path as the user would type it from the repository root: relative inside it, absolute elsewhere. */
    public String display(Path path) {
        return path.startsWith(root) ? root.relativize(path).toString() : path.toString();
    }

    public Path kafkaLogDir() {
        return dataDir.resolve("kafka");
    }

    public Path configDir() {
        return dataDir.resolve("config");
    }

    public Path logsDir() {
        return dataDir.resolve("logs");
    }

    public Path logFile(String processName) {
        return logsDir().resolve(processName + ".log");
    }

    /** The pid files of the running stack, for {@code bin/stack --kill}. */
    public Path runDir() {
        return dataDir.resolve("run");
    }

    public Path processorStateDir() {
        return dataDir.resolve("stream-processor");
    }

    public Path analyticsStateDir() {
        return dataDir.resolve("analytics");
    }

    /** The state directory of one of several stream-processors, which must never share one. */
    public Path processorStateDir(String node) {
        return dataDir.resolve("state").resolve(node);
    }

    /** The log directory of one of several brokers. */
    public Path kafkaLogDir(String node) {
        return dataDir.resolve(node);
    }

    /** The Spring Boot executable jar of a service module, as its build leaves it. */
    public Path serviceJar(String module) {
        return root.resolve(module).resolve("target").resolve(module + "-" + VERSION + "-exec.jar");
    }
}

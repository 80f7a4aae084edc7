package dev.chatcentral.localstack.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.chatcentral.localstack.StackException;

/**
 * Starts JVMs as child processes with their output appended to a log file.
 *
 * <p>Each child gets its own session (setsid) when the system has it: Ctrl-C in the terminal signals the whole
 * foreground process group, and the stack wants to stop its children itself, services first and the broker last,
 * rather than have all of them go down at once.
 */
public final class JavaProcesses {

    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final Path workingDirectory;
    private final String javaExecutable;

    public JavaProcesses(Path workingDirectory) {
        this.workingDirectory = workingDirectory;
        this.javaExecutable = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The class path this launcher runs with: Kafka's own jars among them. */
    public static String ownClassPath() {
        return System.getProperty("java.class.path");
    }

    public ChildProcess start(String name, List<String> javaArguments, Map<String, String> env, Path log) {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            command.add(SETSID.toString());
        }
        command.add(javaExecutable);
        command.addAll(javaArguments);
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workingDirectory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(env);
            return new ChildProcess(name, builder.start(), log);
        } catch (IOException e) {
            throw new StackException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }
}

package dev.chatcentral.localstack.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;

import dev.chatcentral.localstack.StackException;

/**
 * One file per running process of the stack ({@code <name>.pid} in the run directory), so that another terminal
 * can find them: written when a process starts, removed when it ends. They only serve {@code bin/stack --kill}: a
 * file that cannot be written or removed is reported, never a reason to stop or not restart anything.
 */
public final class PidFiles {

    /** The stack's own process, the parent of every other. */
    public static final String STACK = "stack";

    private final Path dir;

    public PidFiles(Path dir) {
        this.dir = dir;
    }

    public void write(String name, long pid) {
        try {
            Files.createDirectories(dir);
            Files.writeString(file(name), pid + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.out.println("  cannot write " + file(name) + " (bin/stack --kill will not find " + name + "): "
                    + e.getMessage());
        }
    }

    /** Removes the file if it still names {@code pid}: a process started since in the same place keeps its own. */
    public void remove(String name, long pid) {
        try {
            if (parse(name).orElse(-1) == pid) {
                Files.deleteIfExists(file(name));
            }
        } catch (IOException e) {
            System.out.println("  cannot remove " + file(name) + ": " + e.getMessage());
        }
    }

    /** The pid in the file, empty when there is no file or it holds no number. */
    public OptionalLong read(String name) {
        try {
            return parse(name);
        } catch (IOException e) {
            throw new StackException("cannot read " + file(name) + ": " + e.getMessage(), e);
        }
    }

    private OptionalLong parse(String name) throws IOException {
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(file(name), StandardCharsets.UTF_8).trim()));
        } catch (NoSuchFileException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private Path file(String name) {
        return dir.resolve(name + ".pid");
    }
}

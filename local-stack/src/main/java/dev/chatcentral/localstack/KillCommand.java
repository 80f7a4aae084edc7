package dev.chatcentral.localstack;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import dev.chatcentral.localstack.kafka.KafkaBroker;
import dev.chatcentral.localstack.process.PidFiles;
import dev.chatcentral.localstack.service.Service;

/**
 * {@code bin/stack --kill SERVICE}, from another terminal: SIGKILL one process of the stack running here, found
 * through its pid file, so that the stack's terminal shows the death and the restart. A pid counts only while the
 * stack named in {@code stack.pid} lives and is its parent: a file left behind never kills an unrelated process.
 */
public final class KillCommand {

    /** What bin/stack's --kill accepts: the broker and every service. */
    static final List<String> NAMES = names();

    private KillCommand() {
    }

    /** bin/stack's --kill. */
    static int run(StackLayout layout, String name, PrintStream out, PrintStream err) {
        return run(layout, "stack", "local stack", NAMES, name, out, err);
    }

    /**
     * The --kill of {@code bin/<command>}, which runs {@code names}; {@code what} names the running whole in
     * messages. Returns the exit status: 0 when the signal went out, 2 for an unknown name, 1 when there is nothing
     * to kill.
     */
    public static int run(StackLayout layout, String command, String what, List<String> names, String name,
            PrintStream out, PrintStream err) {
        if (!names.contains(name)) {
            err.println(command + ": --kill knows no " + name + "; it takes one of: " + String.join(", ", names));
            return 2;
        }
        PidFiles pidFiles = new PidFiles(layout.runDir());
        Optional<ProcessHandle> stack = live(pidFiles, PidFiles.STACK);
        if (stack.isEmpty()) {
            err.println(command + ": no " + what + " is running with its data in " + layout.display(layout.dataDir())
                    + "; start one with bin/" + command + " (--kill needs the same " + StackLayout.DATA_DIR_ENV + ")");
            return 1;
        }
        Optional<ProcessHandle> target = childOf(stack.get(), pidFiles, name);
        if (target.isEmpty()) {
            List<String> running = names.stream().filter(n -> childOf(stack.get(), pidFiles, n).isPresent()).toList();
            err.println(command + ": " + name + " is not running in this " + command + " now (being restarted, left "
                    + "stopped, or never started, as with --kafka-only); running: " + String.join(", ", running));
            return 1;
        }
        if (!target.get().destroyForcibly()) {
            err.println(command + ": could not SIGKILL " + name + " (pid " + target.get().pid() + ")");
            return 1;
        }
        out.println("sent SIGKILL to " + name + " (pid " + target.get().pid() + "); the " + what
                + "'s terminal reports its death and its restart");
        return 0;
    }

    private static Optional<ProcessHandle> live(PidFiles pidFiles, String name) {
        OptionalLong pid = pidFiles.read(name);
        return pid.isEmpty() ? Optional.empty() : ProcessHandle.of(pid.getAsLong()).filter(ProcessHandle::isAlive);
    }

    private static Optional<ProcessHandle> childOf(ProcessHandle stack, PidFiles pidFiles, String name) {
        return live(pidFiles, name).filter(child -> child.parent().map(ProcessHandle::pid).orElse(-1L) == stack.pid());
    }

    private static List<String> names() {
        List<String> names = new ArrayList<>();
        names.add(KafkaBroker.NAME);
        names.addAll(Service.NAMES);
        return List.copyOf(names);
    }
}

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
final class KillCommand {

    /** What --kill accepts: the broker and every service. */
    static final List<String> NAMES = names();

    private KillCommand() {
    }

    /** Returns the exit status: 0 when the signal went out, 2 for an unknown name, 1 when there is nothing to kill. */
    static int run(StackLayout layout, String name, PrintStream out, PrintStream err) {
        if (!NAMES.contains(name)) {
            err.println("stack: --kill knows no " + name + "; it takes one of: " + String.join(", ", NAMES));
            return 2;
        }
        PidFiles pidFiles = new PidFiles(layout.runDir());
        Optional<ProcessHandle> stack = live(pidFiles, PidFiles.STACK);
        if (stack.isEmpty()) {
            err.println("stack: no local stack is running with its data in " + layout.display(layout.dataDir())
                    + "; start one with bin/stack (--kill needs the same " + StackLayout.DATA_DIR_ENV + ")");
            return 1;
        }
        Optional<ProcessHandle> target = childOf(stack.get(), pidFiles, name);
        if (target.isEmpty()) {
            List<String> running = NAMES.stream().filter(n -> childOf(stack.get(), pidFiles, n).isPresent()).toList();
            err.println("stack: " + name + " is not running in this stack now (being restarted, left stopped, or "
                    + "never started, as with --kafka-only); running: " + String.join(", ", running));
            return 1;
        }
        if (!target.get().destroyForcibly()) {
            err.println("stack: could not SIGKILL " + name + " (pid " + target.get().pid() + ")");
            return 1;
        }
        out.println("sent SIGKILL to " + name + " (pid " + target.get().pid() + "); the stack's terminal reports its "
                + "death and its restart");
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

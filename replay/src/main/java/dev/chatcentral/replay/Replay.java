package dev.chatcentral.replay;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/replay <subcommand> ...}: the operators' tools that replay the topics (docs/operations.md).
 * Every subcommand checks its whole command line before it connects to anything.
 */
public final class Replay {

    static final int OK = 0;
    static final int DIFFERENT = 1;
    static final int USAGE = 2;
    static final int REFUSED = 3;
    static final int UNREACHABLE = 4;

    static final String EXIT_STATUS = """
              exit status: 0 done (and equal, where compared), 1 differences found, 2 bad arguments (or settings),
                           3 refused (see above), 4 broker or database unreachable or failing""";

    private static final String USAGE_TEXT = """
            usage: bin/replay <subcommand> [options]   (bin/replay <subcommand> --help for its options)
              rebuild-db   rebuild the PostgreSQL record from chat.conversas and chat.mensagens into an empty
                           database and compare it with the live one
              shadow       run the conversa topology over the retained chat.webhooks into prefixed topics and
                           compare its output with production's, event by event
              move-group   move a consumer group of the project to a point in time (refused while it has members)
            """ + EXIT_STATUS;

    /** One subcommand: its options, its help, and what it does once they are checked. */
    interface Command {
        String usage();

        Set<String> options();

        /** Options that take no value; none unless a command says otherwise. */
        default Set<String> flags() {
            return Set.of();
        }

        int run(Arguments arguments, PrintStream out) throws Arguments.Usage, ReplayFailure;
    }

    private Replay() {
    }

    public static void main(String[] args) {
        // a tool's output is its report: the clients' own logging only when something goes wrong (REPLAY_LOG_LEVEL)
        String level = System.getenv().getOrDefault("REPLAY_LOG_LEVEL", "ERROR");
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.toLevel(level, Level.ERROR));
        System.exit(run(List.of(args), System.out, System.err));
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty()) {
            err.println(USAGE_TEXT);
            return USAGE;
        }
        if (args.get(0).equals("--help") || args.get(0).equals("-h")) {
            out.println(USAGE_TEXT);
            return OK;
        }
        Command command = switch (args.get(0)) {
            case "rebuild-db" -> new RebuildDb();
            case "shadow" -> new Shadow();
            case "move-group" -> new MoveGroup();
            default -> null;
        };
        if (command == null) {
            err.println("replay: unknown subcommand " + Arguments.printable(args.get(0)) + "\n" + USAGE_TEXT);
            return USAGE;
        }
        try {
            Arguments arguments = Arguments.parse(args.subList(1, args.size()), command.options(), command.flags());
            return command.run(arguments, out);
        } catch (Arguments.Help help) {
            out.println(command.usage());
            return OK;
        } catch (Arguments.Usage e) {
            err.println("replay " + args.get(0) + ": " + e.getMessage() + "\n" + command.usage());
            return USAGE;
        } catch (ReplayFailure e) {
            err.println("replay " + args.get(0) + ": " + e.getMessage());
            return e.status();
        } catch (IllegalArgumentException e) {
            // a setting's environment variable the services would refuse too
            err.println("replay " + args.get(0) + ": " + e.getMessage());
            return USAGE;
        } catch (RuntimeException e) {
            // never the JVM's own exit status 1 for an uncaught exception: 1 means "different"
            err.println("replay " + args.get(0) + ": failed: " + e);
            return UNREACHABLE;
        }
    }
}

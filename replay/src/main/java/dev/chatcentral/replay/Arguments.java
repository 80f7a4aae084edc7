package dev.chatcentral.replay;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One subcommand's command line: {@code --name value} or {@code --name=value} options, each at most once, and
 * {@code --flag}s. Everything an operator types is checked before anything connects: no unknown or repeated option,
 * no empty value, no control character (a NUL would reach a JDBC URL or a group id), nothing longer than
 * {@link #MAX_VALUE_CHARS}.
 */
final class Arguments {

    static final int MAX_VALUE_CHARS = 2048;
    static final int MAX_ARGUMENTS = 64;
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
    /** host:port, host a name, an IPv4 address or a bracketed IPv6 address. */
    private static final Pattern BROKER = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]{1,253}):(\\d{1,5})");

    private final Map<String, String> values;
    private final Set<String> flags;

    private Arguments(Map<String, String> values, Set<String> flags) {
        this.values = values;
        this.flags = flags;
    }

    /**
     * @param options the options that take a value
     * @param allowedFlags the options that take none
     * @throws Usage for anything but a well-formed command line of these options
     * @throws Help for {@code --help} or {@code -h}, wherever it stands
     */
    static Arguments parse(List<String> args, Set<String> options, Set<String> allowedFlags) throws Usage, Help {
        if (args.contains("--help") || args.contains("-h")) {
            throw new Help();
        }
        if (args.size() > MAX_ARGUMENTS) {
            throw new Usage("too many arguments (" + args.size() + ", at most " + MAX_ARGUMENTS + ")");
        }
        Map<String, String> values = new HashMap<>();
        Set<String> flags = new HashSet<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            checkText("argument", name);
            if (allowedFlags.contains(name)) {
                if (eq >= 0) {
                    throw new Usage(name + " takes no value");
                }
                if (!flags.add(name)) {
                    throw new Usage(name + " given twice");
                }
                continue;
            }
            if (!options.contains(name)) {
                throw new Usage("unknown argument: " + printable(arg));
            }
            String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new Usage(name + " needs a value");
            }
            if (value.isBlank()) {
                throw new Usage(name + " needs a non-empty value");
            }
            checkText(name, value);
            if (values.put(name, value) != null) {
                throw new Usage(name + " given twice");
            }
        }
        return new Arguments(values, flags);
    }

    private static void checkText(String name, String value) throws Usage {
        if (value.length() > MAX_VALUE_CHARS) {
            throw new Usage(name + " is " + value.length() + " characters long, at most " + MAX_VALUE_CHARS);
        }
        if (CONTROL.matcher(value).find()) {
            throw new Usage(name + " holds a control character (NUL, newline, ...)");
        }
    }

    /** What an error may echo of a value: cut, so a huge value does not flood the terminal. */
    static String printable(String value) {
        String shown = CONTROL.matcher(value).replaceAll("?");
        return shown.length() > 80 ? shown.substring(0, 80) + "..." : shown;
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    String optional(String name) {
        return values.get(name);
    }

    String required(String name, String what) throws Usage {
        String value = values.get(name);
        if (value == null) {
            throw new Usage(name + " is required (" + what + ")");
        }
        return value;
    }

    /** A comma-separated list of host:port, as Kafka clients take it. */
    String bootstrap() throws Usage {
        String value = required("--bootstrap", "the Kafka brokers, host:port[,host:port...]");
        for (String broker : value.split(",", -1)) {
            var m = BROKER.matcher(broker.strip());
            if (!m.matches() || Integer.parseInt(m.group(2)) < 1 || Integer.parseInt(m.group(2)) > 65535) {
                throw new Usage("--bootstrap takes host:port[,host:port...], not " + printable(value));
            }
        }
        return value;
    }

    /** A PostgreSQL JDBC URL. */
    String jdbcUrl(String name, boolean required) throws Usage {
        String value = required ? required(name, "jdbc:postgresql://host:port/database") : optional(name);
        if (value != null && !value.startsWith("jdbc:postgresql://")) {
            throw new Usage(name + " takes jdbc:postgresql://host:port/database, not " + printable(value));
        }
        return value;
    }

    /** An ISO-8601 instant with its offset, e.g. 2026-11-30T01:00:00Z or 2026-11-29T22:00:00-03:00. */
    Instant instant(String name, boolean required) throws Usage {
        String value = required ? required(name, "an ISO-8601 time, e.g. 2026-11-30T01:00:00Z") : optional(name);
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new Usage(name + " takes an ISO-8601 time with its offset, e.g. 2026-11-30T01:00:00Z, not "
                    + printable(value));
        }
    }

    int integer(String name, int defaultValue, int min, int max) throws Usage {
        String value = optional(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                throw new Usage(name + " takes a number from " + min + " to " + max + ", not " + parsed);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new Usage(name + " takes a number from " + min + " to " + max + ", not " + printable(value));
        }
    }

    /** A command line that cannot run; its message says what is wrong. Exit status 2. */
    static final class Usage extends Exception {
        Usage(String message) {
            super(message);
        }
    }

    /** {@code --help} was asked for. Exit status 0. */
    static final class Help extends Exception {
        Help() {
            super("help");
        }
    }
}

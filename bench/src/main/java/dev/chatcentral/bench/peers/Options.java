package dev.chatcentral.bench.peers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What {@code bench/side-by-side.sh} was asked: which comparisons, how many alternated rounds (each comparison's
 * default unless given), and where the report and charts go.
 */
record Options(Set<Comparison> comparisons, Integer rounds, Path out) {

    enum Comparison {
        ACK(2), LATENCY(3), IDLE(2), FANOUT(2);

        /** Rounds when none are asked: three for the latency, whose target is "3 of 3 runs". */
        final int defaultRounds;

        Comparison(int defaultRounds) {
            this.defaultRounds = defaultRounds;
        }
    }

    static final int MAX_ROUNDS = 10;

    int roundsOf(Comparison comparison) {
        return rounds != null ? rounds : comparison.defaultRounds;
    }

    /** {@code [all | ack,latency,idle,fanout] [rounds 1..10] [output directory]}; a clear error for anything else. */
    static Options parse(String... args) {
        if (args.length > 3) {
            throw new IllegalArgumentException("at most three arguments: comparisons, rounds, output directory");
        }
        Set<Comparison> comparisons = new LinkedHashSet<>();
        String asked = args.length > 0 ? args[0].trim() : "all";
        if (asked.equals("all")) {
            comparisons.addAll(List.of(Comparison.values()));
        } else {
            for (String name : asked.split(",", -1)) {
                comparisons.add(comparison(name.trim()));
            }
        }
        Integer rounds = null;
        if (args.length > 1) {
            try {
                rounds = Integer.parseInt(args[1].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("rounds must be a whole number from 1 to " + MAX_ROUNDS
                        + ", not '" + printable(args[1]) + "'");
            }
            if (rounds < 1 || rounds > MAX_ROUNDS) {
                throw new IllegalArgumentException("rounds must be from 1 to " + MAX_ROUNDS + ", not " + rounds);
            }
        }
        String out = args.length > 2 ? args[2] : "bench/target/side-by-side";
        if (out.isBlank() || out.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("the output directory must be a path, not '" + printable(out) + "'");
        }
        return new Options(comparisons, rounds, Path.of(out));
    }

    private static Comparison comparison(String name) {
        for (Comparison comparison : Comparison.values()) {
            if (comparison.name().equalsIgnoreCase(name)) {
                return comparison;
            }
        }
        List<String> known = new ArrayList<>();
        for (Comparison comparison : Comparison.values()) {
            known.add(comparison.name().toLowerCase());
        }
        throw new IllegalArgumentException("unknown comparison '" + printable(name) + "': all, or some of "
                + String.join(",", known));
    }

    /** The argument as it can be shown: control characters escaped, at most 40 characters. */
    private static String printable(String value) {
        StringBuilder shown = new StringBuilder();
        value.codePoints().limit(40).forEach(c -> shown.append(Character.isISOControl(c)
                ? String.format("\\u%04x", c) : Character.toString(c)));
        return value.codePointCount(0, value.length()) > 40 ? shown + "…" : shown.toString();
    }
}

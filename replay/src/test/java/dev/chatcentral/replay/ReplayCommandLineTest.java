package dev.chatcentral.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every subcommand does with a command line it cannot run: a clear message on stderr, exit status 2, and
 * nothing contacted; and with a broker that is not there: exit status 4 within seconds.
 */
class ReplayCommandLineTest {

    private static final String BROKER = "127.0.0.1:1";
    private static final String JDBC = "jdbc:postgresql://127.0.0.1:5432/nowhere";
    private static final String HUGE = "x".repeat(100_000);

    private static Pipeline.Run replay(String... args) {
        return Pipeline.replay(args);
    }

    private static void assertUsage(Pipeline.Run run, String reason) {
        assertThat(run.status()).as(run.err()).isEqualTo(Replay.USAGE);
        assertThat(run.err()).contains(reason).contains("usage:");
        // a huge or binary value is never echoed whole
        assertThat(run.err()).hasSizeLessThan(5_000).doesNotContain("\0");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void shouldPrintTheSubcommandsAndFailWhenNoneIsGiven() {
        Pipeline.Run run = replay();

        assertThat(run.status()).isEqualTo(Replay.USAGE);
        assertThat(run.err()).contains("rebuild-db").contains("shadow").contains("move-group");
    }

    @Test
    void shouldRefuseAnUnknownSubcommand() {
        Pipeline.Run run = replay("rebuild\0-db");

        assertThat(run.status()).isEqualTo(Replay.USAGE);
        assertThat(run.err()).contains("unknown subcommand").doesNotContain("\0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rebuild-db", "shadow", "move-group"})
    void shouldPrintItsHelpAndExitZeroWhenAsked(String subcommand) {
        Pipeline.Run run = replay(subcommand, "--bootstrap", BROKER, "--help");

        assertThat(run.status()).isEqualTo(Replay.OK);
        assertThat(run.out()).contains("usage: bin/replay " + subcommand).contains("exit status");
        assertThat(replay("--help").status()).isEqualTo(Replay.OK);
    }

    @Test
    void shouldListTheProjectsGroupsInMoveGroupsHelp() {
        assertThat(replay("move-group", "-h").out()).contains("chat-central-stream-processor")
                .contains("chat-central-presence").contains("chat-central-postgres-sink")
                .contains("chat-central-dispatcher");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rebuild-db", "shadow", "move-group"})
    void shouldRefuseMissingEmptyNulHugeRepeatedAndUnknownArguments(String subcommand) {
        assertUsage(replay(subcommand), "--bootstrap is required");
        assertUsage(replay(subcommand, "--bootstrap"), "--bootstrap needs a value");
        assertUsage(replay(subcommand, "--bootstrap="), "non-empty");
        assertUsage(replay(subcommand, "--bootstrap", "  "), "non-empty");
        assertUsage(replay(subcommand, "--bootstrap", "127.0.0.1:9\0"), "control character");
        assertUsage(replay(subcommand, "--bootstrap", "127.0.0.1:9\n--group=x"), "control character");
        assertUsage(replay(subcommand, "--bootstrap", HUGE), "at most 2048");
        assertUsage(replay(subcommand, "--bootstrap", BROKER, "--bootstrap", BROKER), "given twice");
        assertUsage(replay(subcommand, "--bootstrap", BROKER, "--everything"), "unknown argument");
        assertUsage(replay(subcommand, "--bootstrap", BROKER, HUGE), "at most 2048");
        assertUsage(replay(subcommand, "--bootstrap", BROKER, "--\0"), "control character");
        List<String> many = new ArrayList<>(List.of(subcommand));
        many.addAll(Collections.nCopies(100, "--bootstrap"));
        assertUsage(replay(many.toArray(String[]::new)), "too many arguments");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "localhost:", "localhost:0", "localhost:65536", "localhost:99999999999",
            "http://localhost:9092", "a b:9092", "localhost:9092,", "localhost:-1"})
    void shouldRefuseABootstrapThatIsNoListOfBrokers(String bootstrap) {
        assertUsage(replay("move-group", "--bootstrap", bootstrap, "--group", "g", "--to-timestamp",
                "2026-11-30T00:00:00Z"), "--bootstrap takes host:port");
    }

    @Test
    void shouldRefuseWronglyTypedValuesOfRebuildDb() {
        assertUsage(replay("rebuild-db", "--bootstrap", BROKER), "--target-jdbc-url is required");
        assertUsage(replay("rebuild-db", "--bootstrap", BROKER, "--target-jdbc-url", "mysql://db/x"),
                "jdbc:postgresql://");
        assertUsage(replay("rebuild-db", "--bootstrap", BROKER, "--target-jdbc-url", JDBC, "--compare-jdbc-url",
                "jdbc:h2:mem:x"), "jdbc:postgresql://");
        assertUsage(replay("rebuild-db", "--bootstrap", BROKER, "--target-jdbc-url", JDBC, "--compare-jdbc-url",
                JDBC + "?user=postgres"), "same database");
        for (String show : List.of("abc", "0", "-5", "10001", "99999999999999", "1.5", "0x10")) {
            assertUsage(replay("rebuild-db", "--bootstrap", BROKER, "--target-jdbc-url", JDBC, "--show", show),
                    "--show takes a number from 1 to 10000");
        }
        assertUsage(replay("rebuild-db", "--bootstrap", BROKER, "--target-jdbc-url", JDBC, "--batch-size", "0"),
                "--batch-size takes a number");
    }

    @Test
    void shouldRefuseWronglyTypedValuesOfShadow() {
        assertUsage(replay("shadow", "--bootstrap", BROKER), "--prefix is required");
        for (String prefix : List.of("prod", "shadow-", "shadow-UPPER", "shadow-a.b", "shadow-" + "a".repeat(41),
                "chat-central-stream-processor", "shadow-a/../b")) {
            assertUsage(replay("shadow", "--bootstrap", BROKER, "--prefix", prefix), "--prefix takes shadow-<name>");
        }
        assertUsage(replay("shadow", "--bootstrap", BROKER, "--prefix", "shadow-x", "--from-timestamp", "yesterday"),
                "ISO-8601");
        assertUsage(replay("shadow", "--bootstrap", BROKER, "--prefix", "shadow-x", "--ignore-fields", "ts,,id"),
                "--ignore-fields takes property names");
        assertUsage(replay("shadow", "--bootstrap", BROKER, "--prefix", "shadow-x", "--timeout", "0"),
                "--timeout takes a number");
    }

    @Test
    void shouldRefuseWronglyTypedValuesOfMoveGroup() {
        assertUsage(replay("move-group", "--bootstrap", BROKER, "--to-timestamp", "2026-11-30T00:00:00Z"),
                "--group is required");
        assertUsage(replay("move-group", "--bootstrap", BROKER, "--group", "g"), "--to-timestamp is required");
        for (String time : List.of("2026-11-30", "2026-11-30T00:00:00", "1764460800000", "2026-13-30T00:00:00Z",
                "now", "2026-11-30T00:00:00Z\u202e")) {
            assertUsage(replay("move-group", "--bootstrap", BROKER, "--group", "g", "--to-timestamp", time),
                    "ISO-8601");
        }
        assertUsage(replay("move-group", "--bootstrap", BROKER, "--group", "g", "--to-timestamp",
                "2026-11-30T00:00:00Z", "--dry-run=yes"), "--dry-run takes no value");
        assertUsage(replay("move-group", "--bootstrap", BROKER, "--group", "g", "--to-timestamp",
                "2026-11-30T00:00:00Z", "--dry-run", "--dry-run"), "given twice");
    }

    @Test
    void shouldRefuseAGroupNotTheProjectsBeforeContactingAnyBroker() {
        Pipeline.Run run = replay("move-group", "--bootstrap", BROKER, "--group", "console-consumer-4711",
                "--to-timestamp", "2026-11-30T00:00:00Z");

        assertThat(run.status()).isEqualTo(Replay.REFUSED);
        assertThat(run.err()).contains("not a group of this project");
    }

    @Test
    void shouldReportAnUnreachableDatabaseWithoutItsPassword() throws IOException {
        String closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = "127.0.0.1:" + socket.getLocalPort();
        }

        Pipeline.Run run = replay("rebuild-db", "--bootstrap", BROKER, "--target-jdbc-url",
                "jdbc:postgresql://" + closed + "/rebuilt?password=s3cret");

        assertThat(run.status()).as(run.err()).isEqualTo(Replay.UNREACHABLE);
        assertThat(run.err()).contains("cannot connect to jdbc:postgresql://" + closed + "/rebuilt")
                .doesNotContain("s3cret");
    }

    @Test
    void shouldReportABrokerWhoseNameDoesNotResolve() {
        Pipeline.Run run = replay("move-group", "--bootstrap", "no-such-broker.invalid:9092", "--group",
                "chat-central-postgres-sink", "--to-timestamp", "2026-11-30T00:00:00Z");

        assertThat(run.status()).as(run.err()).isEqualTo(Replay.UNREACHABLE);
        assertThat(run.err()).contains("failed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"move-group", "shadow"})
    void shouldReportAnUnreachableBrokerWithinSeconds(String subcommand) throws IOException {
        String closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = "127.0.0.1:" + socket.getLocalPort();
        }
        long started = System.nanoTime();

        Pipeline.Run run = subcommand.equals("shadow")
                ? replay("shadow", "--bootstrap", closed, "--prefix", "shadow-unreachable")
                : replay("move-group", "--bootstrap", closed, "--group", "chat-central-postgres-sink",
                        "--to-timestamp", "2026-11-30T00:00:00Z", "--dry-run");

        assertThat(run.status()).as(run.err()).isEqualTo(Replay.UNREACHABLE);
        assertThat(run.err()).contains("broker");
        assertThat((System.nanoTime() - started) / 1_000_000_000).isLessThan(40);
    }
}

package dev.chatcentral.replay;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.TransactionException;

import dev.chatcentral.processor.sink.SinkRepository;
import dev.chatcentral.processor.sink.SinkValue;
import dev.chatcentral.schemas.topic.Topics;

/**
 * {@code rebuild-db}: the PostgreSQL record rebuilt from Kafka alone. Reads {@code chat.conversas} and then
 * {@code chat.mensagens} (read_committed, from their start to the ends they had when the tool started) and writes
 * them into an empty database migrated by the services' own Flyway migrations, through the sink's own reading
 * ({@link SinkValue}) and writing ({@link SinkRepository}), so what lands is what the live sink would have written.
 * Then, given the live database, compares the two table by table.
 */
final class RebuildDb implements Replay.Command {

    private static final String USAGE = """
            usage: bin/replay rebuild-db --bootstrap <host:port> --target-jdbc-url <jdbc:postgresql://...>
                                         [--compare-jdbc-url <jdbc:postgresql://...>] [--show <n>] [--batch-size <n>]
              Rebuilds the sink's tables (conversa, mensagem, conversa_assignment_audit) from chat.conversas and
              chat.mensagens, as they are when it starts, into the target database, which must be EMPTY (no table
              at all: it is migrated here); refuses any other. With --compare-jdbc-url, compares every row with the
              live database: counts per table and the first --show (default 20) differing keys.
              The user and password are DATABASE_USER and DATABASE_PASSWORD, or the URL's own ?user=&password=.
              --batch-size   records per transaction (default: the sink's, QUEUE_BATCH_SIZE)
            """ + Replay.EXIT_STATUS;

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public Set<String> options() {
        return Set.of("--bootstrap", "--target-jdbc-url", "--compare-jdbc-url", "--show", "--batch-size");
    }

    @Override
    public int run(Arguments arguments, PrintStream out) throws Arguments.Usage, ReplayFailure {
        String bootstrap = arguments.bootstrap();
        ServiceSettings settings = ServiceSettings.load();
        Database target = new Database(arguments.jdbcUrl("--target-jdbc-url", true), settings);
        String compareUrl = arguments.jdbcUrl("--compare-jdbc-url", false);
        Database live = compareUrl == null ? null : new Database(compareUrl, settings);
        int show = arguments.integer("--show", 20, 1, 10_000);
        int batchSize = arguments.integer("--batch-size", settings.processor().sink().batchSize(), 1, 100_000);
        if (live != null && live.withoutQuery().equals(target.withoutQuery())) {
            throw new Arguments.Usage("--target-jdbc-url and --compare-jdbc-url name the same database");
        }

        refuseNonEmpty(target);
        if (live != null) {
            try (Connection c = live.connect()) {
                c.isValid((int) Kafka.TIMEOUT.toSeconds());
            } catch (SQLException e) {
                throw ReplayFailure.unreachable("cannot reach the live database", e);
            }
        }
        Map<TopicPartition, Long> conversaEnds;
        Map<TopicPartition, Long> mensagemEnds;
        try (Admin admin = Kafka.admin(bootstrap)) {
            conversaEnds = Kafka.ends(admin, Kafka.partitions(admin, Topics.CONVERSAS.name()));
            mensagemEnds = Kafka.ends(admin, Kafka.partitions(admin, Topics.MENSAGENS.name()));
        }

        SingleConnectionDataSource dataSource = (SingleConnectionDataSource) target.dataSource();
        try {
            migrate(dataSource, target);
            SinkRepository repository = SinkRepository.on(dataSource);
            Counts counts = new Counts();
            // conversas first, so that each conversa's audit is walked from its oldest retained version
            write(bootstrap, conversaEnds, repository, batchSize, counts, out);
            write(bootstrap, mensagemEnds, repository, batchSize, counts, out);
            out.printf("rebuilt from %d records of %s and %s: %d tombstones skipped, %d records that can never "
                            + "be rows (the live sink dead-letters them), %d refused by PostgreSQL%n",
                    counts.read, Topics.CONVERSAS.name(), Topics.MENSAGENS.name(), counts.tombstones,
                    counts.unwritable, counts.refused);
        } finally {
            dataSource.destroy();
        }
        return live == null ? Replay.OK : compare(target, live, show, out);
    }

    private static void refuseNonEmpty(Database target) throws ReplayFailure {
        try (Connection c = target.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT n.nspname || '.' || c.relname FROM pg_class c "
                     + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') "
                     + "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' "
                     + "ORDER BY 1 LIMIT 5")) {
            List<String> found = new ArrayList<>();
            while (rs.next()) {
                found.add(rs.getString(1));
            }
            if (!found.isEmpty()) {
                throw ReplayFailure.refused("the target database " + target.withoutQuery() + " is not empty (it "
                        + "holds " + String.join(", ", found) + "); rebuild into a new, empty database");
            }
        } catch (SQLException e) {
            throw ReplayFailure.unreachable("cannot inspect the target database", e);
        }
    }

    /** The migrations every service runs (Flyway owns the schema), from the schemas jar. */
    private static void migrate(SingleConnectionDataSource dataSource, Database target) throws ReplayFailure {
        try {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        } catch (FlywayException e) {
            throw ReplayFailure.unreachable("cannot migrate " + target.withoutQuery(), e);
        }
    }

    private static final class Counts {
        long read;
        long tombstones;
        long unwritable;
        long refused;
    }

    private static void write(String bootstrap, Map<TopicPartition, Long> ends, SinkRepository repository,
                              int batchSize, Counts counts, PrintStream out) throws ReplayFailure {
        List<SinkValue> batch = new ArrayList<>(batchSize);
        ReplayFailure[] failed = new ReplayFailure[1];
        Kafka.read(bootstrap, new HashMap<>(), ends, (ConsumerRecord<String, byte[]> record) -> {
            if (failed[0] != null) {
                return;
            }
            counts.read++;
            SinkValue value = SinkValue.read(record.topic(), record.value());
            if (value.isTombstone()) {
                counts.tombstones++;
            } else if (value.problem() != null) {
                counts.unwritable++;
                out.printf("skipped %s-%d@%d: %s%n", record.topic(), record.partition(), record.offset(),
                        value.problem());
            } else {
                batch.add(value);
                if (batch.size() >= batchSize) {
                    failed[0] = flush(batch, repository, counts, out);
                }
            }
        });
        if (failed[0] == null) {
            failed[0] = flush(batch, repository, counts, out);
        }
        if (failed[0] != null) {
            throw failed[0];
        }
    }

    private static ReplayFailure flush(List<SinkValue> batch, SinkRepository repository, Counts counts,
                                       PrintStream out) {
        try {
            for (SinkRepository.Refused<SinkValue> refused : repository.writeFindingRefused(batch,
                    SinkValue::value)) {
                counts.refused++;
                out.println("refused by PostgreSQL: " + refused.item().value() + ": "
                        + refused.failure().getMessage());
            }
            batch.clear();
            return null;
        } catch (DataAccessException | TransactionException e) {
            return ReplayFailure.unreachable("PostgreSQL failed while writing the rebuilt rows", e);
        }
    }

    private static int compare(Database target, Database live, int show, PrintStream out) throws ReplayFailure {
        boolean equal = true;
        try (Connection rebuilt = target.connect(); Connection current = live.connect()) {
            out.printf("%-28s %12s %12s %14s %12s %10s%n", "table", "rebuilt", "live", "only rebuilt", "only live",
                    "differ");
            List<TableDiff.Result> results = new ArrayList<>();
            for (TableDiff.Table table : TableDiff.TABLES) {
                TableDiff.Result r = TableDiff.compare(table, rebuilt, current, show);
                results.add(r);
                out.printf("%-28s %12d %12d %14d %12d %10d%s%n", table.name(), r.rebuilt(), r.live(),
                        r.onlyRebuilt(), r.onlyLive(), r.changed(), table.informational() ? "  (informational)" : "");
                equal &= r.equal() || table.informational();
            }
            for (TableDiff.Result r : results) {
                r.first().forEach(out::println);
            }
        } catch (SQLException e) {
            throw ReplayFailure.unreachable("cannot compare the databases", e);
        }
        out.println(equal ? "EQUAL: the rebuilt record matches the live database"
                : "DIFFERENT: the rebuilt record differs from the live database");
        return equal ? Replay.OK : Replay.DIFFERENT;
    }
}

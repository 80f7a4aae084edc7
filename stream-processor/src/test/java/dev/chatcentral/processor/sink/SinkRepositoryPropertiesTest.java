package dev.chatcentral.processor.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.flywaydb.core.Flyway;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.processor.topology.HostileWebhook;
import dev.chatcentral.processor.topology.HostileWebhookDriver;
import dev.chatcentral.processor.topology.HostileWebhooks;
import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.ConversaStatus;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.conversa.MensagemStatus;
import dev.chatcentral.schemas.conversa.Reaction;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.testing.TestDatabase;

/**
 * The sink's writes on the real PostgreSQL. What the topology lets through of hostile webhooks, PostgreSQL keeps as
 * it is, in the batch of another empresa's mensagem. What it cannot keep, the sink tells before writing, or
 * PostgreSQL refuses with a data error: either way the record can be dead-lettered and the rest written. The
 * dead-lettering itself needs a broker: PostgresSinkIntegrationTest covers it.
 */
@AddLifecycleHook(HostileWebhookDriver.PerProperty.class)
class SinkRepositoryPropertiesTest {

    private static final Instant T0 = Instant.parse("2025-10-21T14:40:39Z");
    /** PostgreSQL keeps timestamps up to 294276 AD. */
    private static final long FIRST_REFUSED_SECOND = LocalDate.of(294_277, 1, 1).atStartOfDay()
            .toEpochSecond(ZoneOffset.UTC);
    private static final long LAST_OFFSET_DATE_TIME_SECOND = LocalDateTime.MAX.toEpochSecond(ZoneOffset.UTC);
    /** The JDBC driver passes on timestamps from 4713 BC; earlier ones it writes as -infinity. */
    private static final long FIRST_4713_BC_SECOND = LocalDate.of(-4_712, 1, 1).atStartOfDay()
            .toEpochSecond(ZoneOffset.UTC);

    private static TestDatabase database;
    private static SingleConnectionDataSource dataSource;
    private static JdbcTemplate jdbc;
    private static SinkRepository repository;

    private int tries;

    @BeforeContainer
    static void createDatabase() {
        database = TestDatabase.create();
        Flyway.configure().dataSource(database.jdbcUrl(), database.user(), "").locations("classpath:db/migration")
                .load().migrate();
        dataSource = new SingleConnectionDataSource(database.jdbcUrl(), database.user(), "", true);
        jdbc = new JdbcTemplate(dataSource);
        repository = new SinkRepository(jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
    }

    @AfterContainer
    static void dropDatabase() {
        dataSource.destroy();
        database.close();
    }

    @Property(tries = 60, edgeCases = EdgeCasesMode.NONE)
    void shouldKeepEverythingTheTopologyLetsThroughBesideAnotherEmpresasMensagem(
            @ForAll(supplier = HostileWebhooks.class) HostileWebhook webhook, HostileWebhookDriver driver) {
        HostileWebhookDriver.Try t = driver.run(webhook);

        // one batch, as the sink writes it: one value PostgreSQL refused would fail it whole
        repository.write(t.conversas(), t.mensagens());

        assertThat(jdbc.queryForObject("SELECT count(*) FROM mensagem WHERE empresa_id = ? AND key_id = ?",
                Long.class, HostileWebhookDriver.OTHER_EMPRESA, t.otherKeyId())).isOne();
        for (Mensagem m : latest(t.mensagens(), Mensagem::mensagemId,
                Comparator.comparingLong(Mensagem::revision).thenComparing(Mensagem::status))) {
            assertThat(jdbc.queryForMap("SELECT text, sender_name, key_id FROM mensagem WHERE id = ?::uuid",
                    m.mensagemId())).containsEntry("text", m.text()).containsEntry("sender_name", m.senderName())
                    .containsEntry("key_id", m.keyId());
        }
        for (Conversa c : latest(t.conversas(), Conversa::conversaId, Comparator.comparingLong(Conversa::version))) {
            assertThat(jdbc.queryForMap("SELECT contact_name, last_mensagem_preview, remote_jid FROM conversa "
                    + "WHERE id = ?::uuid", c.conversaId())).containsEntry("contact_name", c.contactName())
                    .containsEntry("last_mensagem_preview", c.lastMensagemPreview())
                    .containsEntry("remote_jid", c.remoteJid());
        }
        Statistics.collect(t.hostile().outcomes());
    }

    /**
     * The row each record ends as: the newest version of each conversa, the highest revision of each mensagem (the
     * furthest status among revisions 0).
     */
    private static <T> List<T> latest(List<T> records, Function<T, String> id, Comparator<T> order) {
        return List.copyOf(records.stream().collect(Collectors.toMap(id, Function.identity(),
                (a, b) -> order.compare(a, b) >= 0 ? a : b)).values());
    }

    /** A conversa or mensagem of one empresa holding one value PostgreSQL cannot keep as it is, and where. */
    record Unkeepable(String what, Object record) {

        @Override
        public String toString() {
            return what;
        }
    }

    @Provide
    Arbitrary<Unkeepable> unkeepableRecords() {
        Mensagem mensagem = new Mensagem("9b2f3c1e-0000-4000-8000-000000000001",
                "9b2f3c1e-0000-4000-8000-000000000002", "emp-a", "loja-01", "3A5F0B6C1D2E3F405162", false,
                "5511988887777@s.whatsapp.net", "Maria", "conversation", "Oi", MensagemStatus.DELIVERY_ACK, T0,
                T0.plusSeconds(1), List.of());
        Conversa conversa = new Conversa("9b2f3c1e-0000-4000-8000-000000000002", "emp-a", "loja-01",
                "5511988887777@s.whatsapp.net", "123456789012345@lid", "Maria", ConversaStatus.EM_ATENDIMENTO,
                "ana", 1, "Oi", T0, 2, T0, T0.plusSeconds(1));
        Arbitrary<String> withNul = Combinators.combine(Arbitraries.strings().ofMaxLength(20),
                        Arbitraries.integers().between(0, 20))
                .as((text, at) -> text.substring(0, Math.min(at, text.length())) + "\u0000"
                        + text.substring(Math.min(at, text.length())));
        // beyond PostgreSQL's last year, beyond what a java.time.OffsetDateTime holds, before 4713 BC
        Arbitrary<String> outOfRange = Arbitraries.oneOf(
                        Arbitraries.longs().between(FIRST_REFUSED_SECOND, LAST_OFFSET_DATE_TIME_SECOND),
                        Arbitraries.longs().between(LAST_OFFSET_DATE_TIME_SECOND + 1, Instant.MAX.getEpochSecond()),
                        Arbitraries.longs().between(Instant.MIN.getEpochSecond(), FIRST_4713_BC_SECOND - 1))
                .map(second -> Instant.ofEpochSecond(second).toString());
        return Arbitraries.oneOf(
                Combinators.combine(Arbitraries.of("empresaId", "instance", "keyId", "senderJid", "senderName",
                        "messageType", "text", "statusReason", "statusDetail", "originalText"), withNul)
                        .as((field, value) -> unkeepable(mensagem, field, value)),
                withNul.map(value -> unkeepable(mensagem, "sanitized", List.of(Mensagem.TEXT, value))),
                Combinators.combine(Arbitraries.of("reactorJid", "emoji"), withNul)
                        .as((field, value) -> unkeepable(mensagem, "reactions", List.of(reaction(field, value)))),
                Combinators.combine(Arbitraries.of("sentAt", "receivedAt", "retryAt", "editedAt", "deletedAt"),
                        outOfRange)
                        .as((field, value) -> unkeepable(mensagem, field, value)),
                Combinators.combine(Arbitraries.of("empresaId", "instance", "remoteJid", "remoteJidAlt",
                        "contactName", "atendenteId", "lastMensagemPreview"), withNul)
                        .as((field, value) -> unkeepable(conversa, field, value)),
                Combinators.combine(Arbitraries.of("lastMensagemAt", "createdAt", "updatedAt"), outOfRange)
                        .as((field, value) -> unkeepable(conversa, field, value)));
    }

    /** A reaction of the empresa's number with {@code value} in {@code field}. */
    private static Map<String, Object> reaction(String field, String value) {
        Map<String, Object> reaction = new HashMap<>(Map.of("reactorJid", Reaction.COMPANY, "fromMe", true,
                "emoji", "👍", "reactedAt", T0.toString()));
        reaction.put(field, value);
        return reaction;
    }

    private static Unkeepable unkeepable(Object record, String field, Object value) {
        ObjectNode node = Json.MAPPER.valueToTree(record);
        node.set(field, Json.MAPPER.valueToTree(value));
        Object changed = Json.MAPPER.treeToValue(node, record.getClass());
        return new Unkeepable(record.getClass().getSimpleName() + "." + field + " = "
                + Json.MAPPER.writeValueAsString(value), changed);
    }

    /**
     * The sink dead-letters such a record, and writes the rest of its batch, in one of two ways: it names the
     * problem before writing (reason invalid), or PostgreSQL refuses it with a data error, in the batch and alone,
     * which has the batch split until the record is found (reason database_refused). Any other failure would have
     * the batch retried for ever, as an outage; a write that succeeds would keep a value other than the record's.
     */
    @Property(tries = 40, edgeCases = EdgeCasesMode.NONE)
    void shouldFlagOrRefuseWithADataErrorEveryValuePostgresCannotKeep(@ForAll("unkeepableRecords") Unkeepable bad) {
        String id = UUID.nameUUIDFromBytes(("other-" + ++tries).getBytes(StandardCharsets.UTF_8)).toString();
        Conversa otherConversa = new Conversa(id, "emp-b", "loja-02", "5511977776666@s.whatsapp.net", null, "João",
                ConversaStatus.AGUARDANDO, null, 1, "Bom dia", T0, 1, T0, T0);
        Mensagem otherMensagem = new Mensagem(id, id, "emp-b", "loja-02", "B" + id, false,
                "5511977776666@s.whatsapp.net", "João", "conversation", "Bom dia", MensagemStatus.DELIVERY_ACK, T0,
                T0, List.of());

        String problem = SinkValue.problem(bad.record());
        if (problem == null) {
            assertRefusedForItsData(() -> write(bad, List.of(otherConversa), List.of(otherMensagem)));
            // all of the batch or none of it: the other empresa's rows wait for the split
            assertThat(jdbc.queryForObject("SELECT count(*) FROM mensagem WHERE id = ?::uuid", Long.class, id))
                    .isZero();
            assertRefusedForItsData(() -> write(bad, List.of(), List.of()));
        }
        repository.write(List.of(otherConversa), List.of(otherMensagem));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM mensagem WHERE id = ?::uuid", Long.class, id)).isOne();
        Statistics.collect(problem == null ? "database_refused" : "invalid");
    }

    private static void write(Unkeepable bad, List<Conversa> conversas, List<Mensagem> mensagens) {
        repository.write(bad.record() instanceof Conversa c ? concat(c, conversas) : conversas,
                bad.record() instanceof Mensagem m ? concat(m, mensagens) : mensagens);
    }

    private static <T> List<T> concat(T first, List<T> rest) {
        return Stream.concat(Stream.of(first), rest.stream()).toList();
    }

    /** A data exception (class 22) or constraint violation (23): what {@link SinkFailures} tells from an outage. */
    private static void assertRefusedForItsData(Runnable write) {
        Throwable failure = catchThrowable(write::run);
        assertThat(failure).isInstanceOf(DataAccessException.class);
        assertThat(SinkFailures.isDataError(failure)).as("a data error, SQLSTATE %s: %s",
                SinkFailures.sqlState(failure), failure).isTrue();
    }
}

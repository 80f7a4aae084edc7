package dev.chatcentral.gateway.settings;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.chatcentral.gateway.node.GatewayNode;
import dev.chatcentral.schemas.settings.EmpresaSettings;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.kafka.Sends;

/**
 * Writes an empresa's next settings to {@code chat.empresa.settings}. The next version is claimed first in
 * PostgreSQL ({@code empresa_settings_version}), whose row stays locked until Kafka acknowledged the record: of two
 * nodes writing one empresa's settings at once, the second finds the version taken and its caller is told the
 * settings changed, so versions on the topic grow by one per change in log order. A write Kafka did not acknowledge
 * releases its claim; one acknowledged whose claim could not be committed leaves the row behind the topic, which the
 * next claim (taken at the topic's version, not the row's) overtakes.
 */
@Component
public class SettingsWriter implements DisposableBean {

    /** Another change of the empresa's settings was made since the version the caller read. */
    public static final class StaleVersionException extends Exception {
        StaleVersionException(String message) {
            super(message);
        }
    }

    /** Kafka or PostgreSQL did not answer in time; nothing was changed, or the change will be read back later. */
    public static final class UnavailableException extends Exception {
        UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final KafkaProducer<String, EmpresaSettings> producer;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final SettingsProperties properties;
    private final Clock clock;

    public SettingsWriter(KafkaProperties kafka, GatewayNode node, SettingsProperties properties,
                          DataSource dataSource) {
        this.properties = properties;
        this.clock = Clock.systemUTC();
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        int timeout = (int) properties.timeout().toMillis();
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "gateway-settings-" + node.id());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
        this.producer = new KafkaProducer<>(config, Topics.EMPRESA_SETTINGS.keySerde().serializer(),
                Topics.EMPRESA_SETTINGS.valueSerde().serializer());
    }

    /**
     * Writes the empresa's settings at version {@code readVersion + 1}: each group as given, the whole record anew.
     *
     * @param readVersion the version of the settings the change was made to, as read from the topic
     * @param calendar    null for around the clock
     * @return the settings written, once every in-sync replica has them
     */
    public EmpresaSettings write(String empresaId, long readVersion, EmpresaSettings.Assignment assignment,
                                 EmpresaSettings.Sla sla, EmpresaSettings.Calendar calendar, String by)
            throws StaleVersionException, UnavailableException {
        EmpresaSettings next = new EmpresaSettings(empresaId, readVersion + 1, assignment, sla, calendar,
                Instant.now(clock), by);
        try {
            return transactions.execute(status -> {
                List<Long> claimed = jdbc.queryForList("""
                        INSERT INTO empresa_settings_version (empresa_id, version) VALUES (?, ?)
                        ON CONFLICT (empresa_id) DO UPDATE SET version = EXCLUDED.version
                        WHERE empresa_settings_version.version <= ?
                        RETURNING version""", Long.class, empresaId, next.version(), readVersion);
                if (claimed.isEmpty()) {
                    throw new Stale();
                }
                try {
                    Sends.send(producer, new ProducerRecord<>(Topics.EMPRESA_SETTINGS.name(), empresaId, next))
                            .get(properties.timeout().toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new NotWritten(e);
                } catch (ExecutionException | TimeoutException e) {
                    throw new NotWritten(e);
                }
                return next;
            });
        } catch (Stale e) {
            throw new StaleVersionException("the settings changed since version " + readVersion
                    + ": read them again and make the change to the new version");
        } catch (NotWritten e) {
            throw new UnavailableException("the settings could not be written now, try again", e.getCause());
        } catch (DataAccessException e) {
            throw new UnavailableException("the settings could not be written now, try again", e);
        }
    }

    /** Rolls the claim back: the version is someone else's. */
    private static final class Stale extends RuntimeException {
        Stale() {
            super(null, null, false, false);
        }
    }

    /** Rolls the claim back: Kafka did not acknowledge the record. */
    private static final class NotWritten extends RuntimeException {
        NotWritten(Throwable cause) {
            super(cause);
        }
    }

    @Override
    public void destroy() {
        producer.close();
    }
}

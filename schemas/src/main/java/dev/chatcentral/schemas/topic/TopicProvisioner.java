package dev.chatcentral.schemas.topic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the catalog's topics that do not exist yet, and refuses to start when an existing topic has another
 * partition count than the catalog says (that would silently move empresas between partitions), whether it existed
 * before or another service created it meanwhile with a count of its own. An existing topic
 * whose {@code max.message.bytes} differs from the catalog's is brought in line, since producers size their records
 * by the catalog. Every service runs it at startup; running it twice, or from several services at once, is harmless.
 */
public final class TopicProvisioner {

    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);
    private static final Duration METADATA_PROPAGATION = Duration.ofSeconds(15);

    private TopicProvisioner() {
    }

    /** Opens a short-lived admin client with {@code adminConfig} and provisions every topic of {@code catalog}. */
    public static void ensureCatalog(Map<String, Object> adminConfig, TopicCatalog catalog, short replicationFactor) {
        try (Admin admin = Admin.create(adminConfig)) {
            ensureTopics(admin, catalog, replicationFactor);
        }
    }

    public static void ensureTopics(Admin admin, TopicCatalog catalog, short replicationFactor) {
        try {
            checkPartitions(admin, catalog);
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = newTopics(catalog, replicationFactor).stream()
                    .filter(t -> !existing.contains(t.name()))
                    .toList();
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get();
                    log.info("created topic {}", entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            awaitKnown(admin, catalog.topics());
            // another program may have created a topic meanwhile, with its own count
            checkPartitions(admin, catalog);
            alignMaxMessageBytes(admin, catalog.topics());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while provisioning topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot provision topics: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** The topics as the broker should create them: the catalog's partitions and settings. */
    public static List<NewTopic> newTopics(TopicCatalog catalog, short replicationFactor) {
        return catalog.topics().stream()
                .map(t -> new NewTopic(t.name(), catalog.partitions(t), replicationFactor).configs(t.config()))
                .toList();
    }

    /**
     * Refuses topics that exist with another partition count than the catalog's: that would silently move
     * empresas between partitions. Topics that do not exist yet are left to be created.
     *
     * @throws PartitionCountMismatchException naming every topic whose count differs
     */
    public static void checkPartitions(Admin admin, TopicCatalog catalog)
            throws InterruptedException, ExecutionException {
        Set<String> existing = admin.listTopics().names().get();
        List<String> names = catalog.topics().stream().map(TopicSpec::name).filter(existing::contains).toList();
        Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get();
        List<PartitionCountMismatchException.Mismatch> mismatches = new ArrayList<>();
        for (TopicSpec<?, ?> spec : catalog.topics()) {
            TopicDescription description = described.get(spec.name());
            if (description != null && description.partitions().size() != catalog.partitions(spec)) {
                mismatches.add(new PartitionCountMismatchException.Mismatch(spec.name(),
                        description.partitions().size(), catalog.partitions(spec), spec.partitioning()));
            }
        }
        if (!mismatches.isEmpty()) {
            throw new PartitionCountMismatchException(mismatches);
        }
    }

    /**
     * Sets {@code max.message.bytes} where a topic made by an older version (or by hand) has another value. A
     * cluster that does not let services alter topics gets a warning naming the topic: producers would then have
     * records refused that the catalog allows.
     */
    public static void alignMaxMessageBytes(Admin admin, Collection<TopicSpec<?, ?>> topics)
            throws InterruptedException, ExecutionException {
        Map<ConfigResource, TopicSpec<?, ?>> resources = topics.stream().collect(Collectors.toMap(
                t -> new ConfigResource(ConfigResource.Type.TOPIC, t.name()), t -> t));
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources.keySet()).all().get();
        Map<ConfigResource, Collection<AlterConfigOp>> changes = new HashMap<>();
        configs.forEach((resource, config) -> {
            TopicSpec<?, ?> spec = resources.get(resource);
            ConfigEntry entry = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            String wanted = Integer.toString(spec.maxMessageBytes());
            if (entry == null || !wanted.equals(entry.value())) {
                changes.put(resource, List.of(new AlterConfigOp(
                        new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, wanted), AlterConfigOp.OpType.SET)));
            }
        });
        for (var change : admin.incrementalAlterConfigs(changes).values().entrySet()) {
            try {
                change.getValue().get();
                log.info("set {} of topic {} to {}", TopicConfig.MAX_MESSAGE_BYTES_CONFIG, change.getKey().name(),
                        resources.get(change.getKey()).maxMessageBytes());
            } catch (ExecutionException e) {
                log.warn("cannot set {} of topic {} to {} as the catalog says: {}",
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, change.getKey().name(),
                        resources.get(change.getKey()).maxMessageBytes(), e.getCause().getMessage());
            }
        }
    }

    /**
     * Waits briefly until the broker knows the topics just created: the controller has them at once, but a broker
     * learns of them only when it applies the new metadata, and until then answers that it hosts no such topic (a
     * Kafka Streams client subscribing then would stop for a missing source topic).
     */
    public static void awaitKnown(Admin admin, Collection<TopicSpec<?, ?>> topics)
            throws InterruptedException, ExecutionException {
        List<String> names = topics.stream().map(TopicSpec::name).collect(Collectors.toList());
        long deadline = System.nanoTime() + METADATA_PROPAGATION.toNanos();
        while (true) {
            try {
                admin.describeTopics(names).allTopicNames().get();
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }
}

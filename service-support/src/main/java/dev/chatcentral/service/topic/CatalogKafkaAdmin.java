package dev.chatcentral.service.topic;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.kafka.core.KafkaAdmin;

import dev.chatcentral.schemas.topic.TopicProvisioner;
import dev.chatcentral.schemas.topic.TopicSpec;
import dev.chatcentral.schemas.topic.Topics;

/**
 * spring-kafka's {@link KafkaAdmin}, told the catalog's topics ({@link Topics#ALL}) and held to the catalog's rules:
 * it refuses to start against a topic whose partition count differs (where spring-kafka would add partitions, moving
 * empresas between them), waits until the broker knows the topics it created, and brings {@code max.message.bytes}
 * in line. With topic creation off (clusters whose services may not create topics) it only checks.
 *
 * <p>It runs once every singleton exists and before any lifecycle bean starts (Kafka Streams, the readers, the
 * listener containers), so every client finds its topics.
 */
public class CatalogKafkaAdmin extends KafkaAdmin {

    private final Collection<TopicSpec<?, ?>> topics;
    private final short replicationFactor;
    private final boolean createTopics;

    public CatalogKafkaAdmin(Map<String, Object> config, TopicCatalogProperties catalog) {
        this(config, Topics.ALL, catalog);
    }

    CatalogKafkaAdmin(Map<String, Object> config, Collection<TopicSpec<?, ?>> topics, TopicCatalogProperties catalog) {
        super(config);
        this.topics = List.copyOf(topics);
        this.replicationFactor = catalog.replicationFactor();
        this.createTopics = catalog.createTopics();
        // a service without its topics cannot work: starting anyway would only fail later, less clearly
        setFatalIfBrokerNotAvailable(true);
        setAutoCreate(createTopics);
    }

    /** The catalog's topics, once the existing ones are known to have the catalog's partition counts. */
    @Override
    protected Collection<NewTopic> newTopics() {
        onAdmin(admin -> TopicProvisioner.checkPartitions(admin, topics));
        return TopicProvisioner.newTopics(topics, replicationFactor);
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (createTopics) {
            super.afterSingletonsInstantiated();
            onAdmin(admin -> {
                TopicProvisioner.awaitKnown(admin, topics);
                TopicProvisioner.alignMaxMessageBytes(admin, topics);
            });
        } else {
            onAdmin(admin -> TopicProvisioner.checkPartitions(admin, topics));
        }
    }

    private interface AdminWork {
        void run(Admin admin) throws InterruptedException, ExecutionException;
    }

    private void onAdmin(AdminWork work) {
        try (Admin admin = createAdmin()) {
            work.run(admin);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the topic catalog", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot check the topic catalog: " + e.getCause().getMessage(),
                    e.getCause());
        }
    }
}

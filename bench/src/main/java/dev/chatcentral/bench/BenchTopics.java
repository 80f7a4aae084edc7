package dev.chatcentral.bench;

import dev.chatcentral.schemas.topic.TopicCatalog;
import dev.chatcentral.schemas.topic.Topics;

/**
 * The topic catalog of a benchmark run: the services a harness starts, in its process or as processes of their own,
 * read {@code KAFKA_TOPIC_PARTITIONS} from the environment they share with the harness, and so does this.
 */
public final class BenchTopics {

    private BenchTopics() {
    }

    public static TopicCatalog catalog() {
        return Topics.catalog(TopicCatalog.partitionsFrom(System.getenv()));
    }
}

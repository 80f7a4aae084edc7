package dev.chatcentral.schemas.topic;

import java.util.List;
import java.util.Map;

/**
 * The topics of one deployment with their partition counts: every {@link TopicSpec.Partitioning#DEPLOYMENT} topic
 * has {@link #partitions} partitions, every {@link TopicSpec.Partitioning#SINGLE} one has one. The count is chosen
 * once, before the first start ({@value #PARTITIONS_ENV}), and every service of the deployment must use the same:
 * which partition holds an empresa, the Kafka Streams tasks and their state, and every stored position depend on it.
 *
 * @param partitions partitions of each spread topic, from 1 to {@value #MAX_PARTITIONS}
 * @param topics     the topics, {@link Topics#ALL} for a service
 */
public record TopicCatalog(int partitions, List<TopicSpec<?, ?>> topics) {

    /** The environment variable every service, {@code bin/stack} and the benchmarks read the count from. */
    public static final String PARTITIONS_ENV = "KAFKA_TOPIC_PARTITIONS";
    /** The count when none is set, which every deployment made before the setting existed has. */
    public static final int DEFAULT_PARTITIONS = 12;
    /**
     * The largest count accepted, to catch a typo before it creates topics that can never shrink: with the dozen
     * spread topics, the processor's 18 state store changelogs and a replication factor of 3, a thousand partitions
     * per topic are some ninety thousand replicas, far past what Kafka advises for a cluster of a few brokers, and
     * a thousand Kafka Streams tasks with their state stores.
     */
    public static final int MAX_PARTITIONS = 1000;
    private static final int SHOWN_CHARACTERS = 20;

    public TopicCatalog {
        requireValid(partitions);
        topics = List.copyOf(topics);
    }

    /** The partition count of {@code topic} in this deployment. */
    public int partitions(TopicSpec<?, ?> topic) {
        return topic.partitioning() == TopicSpec.Partitioning.SINGLE ? 1 : partitions;
    }

    /**
     * Checks a count given to a service.
     *
     * @throws IllegalArgumentException naming {@value #PARTITIONS_ENV} and the bounds when it is out of them
     */
    public static int requireValid(int partitions) {
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            throw new IllegalArgumentException(PARTITIONS_ENV + " must be a whole number from 1 to " + MAX_PARTITIONS
                    + ", was " + partitions);
        }
        return partitions;
    }

    /** A value as an error message quotes it: short, and without control characters. */
    private static String shown(String value) {
        String printable = value.codePoints().limit(SHOWN_CHARACTERS + 1)
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return printable.codePointCount(0, printable.length()) > SHOWN_CHARACTERS
                ? printable.substring(0, printable.offsetByCodePoints(0, SHOWN_CHARACTERS)) + "..." : printable;
    }

    /**
     * The count set in {@code env} ({@value #PARTITIONS_ENV}), or {@value #DEFAULT_PARTITIONS} where it is unset or
     * empty, for the programs that start services without Spring's configuration (the local stack, the benchmarks).
     *
     * @throws IllegalArgumentException when it is not a whole number in bounds
     */
    public static int partitionsFrom(Map<String, String> env) {
        String value = env.get(PARTITIONS_ENV);
        if (value == null || value.isBlank()) {
            return DEFAULT_PARTITIONS;
        }
        try {
            return requireValid(Integer.parseInt(value.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PARTITIONS_ENV + " must be a whole number from 1 to " + MAX_PARTITIONS
                    + ", was \"" + shown(value) + "\"", e);
        }
    }
}

package dev.chatcentral.service.topic;

import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.chatcentral.schemas.topic.PartitionCountMismatchException;
import dev.chatcentral.schemas.topic.TopicCatalog;
import dev.chatcentral.schemas.topic.TopicSpec;

/**
 * Prints a start refused for topics of another partition count as one line per topic and what to do, instead of a
 * stack trace: most often a service given another {@code KAFKA_TOPIC_PARTITIONS} than the one the topics were
 * created with.
 */
class PartitionCountFailureAnalyzer extends AbstractFailureAnalyzer<PartitionCountMismatchException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, PartitionCountMismatchException cause) {
        String description = "The topics on the brokers have other partition counts than this service's "
                + "configuration:\n" + cause.mismatches().stream().map(m -> "  " + m).collect(Collectors.joining("\n"));
        return new FailureAnalysis(description, action(cause), cause);
    }

    private static String action(PartitionCountMismatchException cause) {
        Set<Integer> existing = cause.mismatches().stream()
                .filter(m -> m.partitioning() == TopicSpec.Partitioning.DEPLOYMENT)
                .map(PartitionCountMismatchException.Mismatch::actual)
                .collect(Collectors.toSet());
        boolean onlySetting = cause.mismatches().stream()
                .allMatch(m -> m.partitioning() == TopicSpec.Partitioning.DEPLOYMENT);
        String migration = "A deployment's partition count cannot change once its topics exist, except by the "
                + "migration docs/operations.md (\"Partitions\") describes.";
        if (onlySetting && existing.size() == 1) {
            return "Set " + TopicCatalog.PARTITIONS_ENV + "=" + existing.iterator().next() + " on every service of "
                    + "this deployment: the count its topics were created with. " + migration;
        }
        return "These topics were not all made by chat-central's services with one " + TopicCatalog.PARTITIONS_ENV
                + " (created by hand, or by services with different settings): every service must have the same "
                + "setting, and each topic the count the catalog gives it. " + migration;
    }
}

package dev.chatcentral.schemas.topic;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Existing topics whose partition count differs from the catalog's: a service that went on would look for an
 * empresa in another partition than the one its records are in, so it refuses to start instead.
 */
public class PartitionCountMismatchException extends IllegalStateException {

    /**
     * One topic that differs.
     *
     * @param actual       the partitions it has on the brokers
     * @param expected     the partitions the catalog gives it
     * @param partitioning whether the expected count is the deployment's setting or the topic's own
     */
    public record Mismatch(String topic, int actual, int expected, TopicSpec.Partitioning partitioning) {

        @Override
        public String toString() {
            return "topic " + topic + " has " + actual + " partitions but "
                    + (partitioning == TopicSpec.Partitioning.DEPLOYMENT
                    ? TopicCatalog.PARTITIONS_ENV + " is " + expected
                    : "the catalog gives it " + expected);
        }
    }

    private final List<Mismatch> mismatches;

    PartitionCountMismatchException(List<Mismatch> mismatches) {
        super(mismatches.stream().map(Mismatch::toString).collect(Collectors.joining("; "))
                + "; partition counts never change after creation");
        this.mismatches = List.copyOf(mismatches);
    }

    public List<Mismatch> mismatches() {
        return mismatches;
    }
}

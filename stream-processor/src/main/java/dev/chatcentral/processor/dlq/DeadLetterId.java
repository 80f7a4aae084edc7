package dev.chatcentral.processor.dlq;

import dev.chatcentral.schemas.topic.Topics;

/** A DLQ record's id, {@code chat.dlq-<partition>-<offset>}, as shown to operators. */
public record DeadLetterId(int partition, long offset) {

    private static final String PREFIX = Topics.DLQ.name() + "-";

    /** The id {@code id} names, in a DLQ of {@code partitions} partitions. */
    public static DeadLetterId parse(String id, int partitions) {
        if (id == null || !id.startsWith(PREFIX)) {
            throw new IllegalArgumentException("record id must look like " + PREFIX + "<partition>-<offset>: " + id);
        }
        String[] parts = id.substring(PREFIX.length()).split("-");
        try {
            if (parts.length == 2) {
                int partition = Integer.parseInt(parts[0]);
                long offset = Long.parseLong(parts[1]);
                if (partition >= 0 && partition < partitions && offset >= 0) {
                    return new DeadLetterId(partition, offset);
                }
            }
        } catch (NumberFormatException e) {
            // reported below like any other malformed id
        }
        throw new IllegalArgumentException("record id must look like " + PREFIX + "<partition>-<offset> with a "
                + "partition below " + partitions + ": " + id);
    }

    @Override
    public String toString() {
        return PREFIX + partition + "-" + offset;
    }
}

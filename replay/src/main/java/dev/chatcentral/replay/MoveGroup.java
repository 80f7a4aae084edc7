package dev.chatcentral.replay;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.UnknownMemberIdException;

/**
 * {@code move-group}: moves one of the pipeline's consumer groups to a point in time, the committed offset of each
 * partition it has one for set to the first record at or after that time (the end, where there is none). A group
 * with members would overwrite the offsets at its next commit, and Kafka refuses to alter them anyway: the tool
 * refuses first, and says who is still in.
 */
final class MoveGroup implements Replay.Command {

    private static final String USAGE = """
            usage: bin/replay move-group --bootstrap <host:port> --group <group id> --to-timestamp <ISO-8601>
                                         [--dry-run]
              Moves the consumer group's committed offsets to the first record at or after the time (the end of a
              partition that has none), on every partition it has committed. Only while the group has no active
              member (stop its service first), and only the project's groups:
                %s
              --dry-run   print the planned offset of each partition, change nothing
            """ + Replay.EXIT_STATUS;

    @Override
    public String usage() {
        return USAGE.formatted(String.join(", ", new TreeSet<>(ServiceSettings.load().groupIds())));
    }

    @Override
    public Set<String> options() {
        return Set.of("--bootstrap", "--group", "--to-timestamp");
    }

    @Override
    public Set<String> flags() {
        return Set.of("--dry-run");
    }

    @Override
    public int run(Arguments arguments, PrintStream out) throws Arguments.Usage, ReplayFailure {
        String bootstrap = arguments.bootstrap();
        String group = arguments.required("--group", "one of the project's consumer groups");
        Instant to = arguments.instant("--to-timestamp", true);
        boolean dryRun = arguments.flag("--dry-run");
        Set<String> known = ServiceSettings.load().groupIds();
        if (!known.contains(group)) {
            throw ReplayFailure.refused("--group " + Arguments.printable(group) + " is not a group of this project "
                    + "(known: " + String.join(", ", new TreeSet<>(known)) + ")");
        }
        try (Admin admin = Kafka.admin(bootstrap)) {
            refuseActive(admin, group);
            Map<TopicPartition, OffsetAndMetadata> committed = Kafka.await(
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(), "read the group's offsets");
            committed.values().removeIf(Objects::isNull);
            if (committed.isEmpty()) {
                throw ReplayFailure.refused("group " + group + " has committed no offsets: nothing to move");
            }
            List<TopicPartition> partitions = new ArrayList<>(committed.keySet());
            partitions.sort(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
            Map<TopicPartition, Long> planned = Kafka.offsetsAt(admin, partitions, to.toEpochMilli());
            out.printf("%s group %s to %s%n", dryRun ? "planned move of" : "moving", group, to);
            out.printf("%-40s %9s %12s %12s%n", "topic", "partition", "committed", "planned");
            for (TopicPartition partition : partitions) {
                out.printf("%-40s %9d %12d %12d%n", partition.topic(), partition.partition(),
                        committed.get(partition).offset(), planned.get(partition));
            }
            if (dryRun) {
                out.println("dry run: nothing changed");
                return Replay.OK;
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            planned.forEach((partition, offset) -> offsets.put(partition, new OffsetAndMetadata(offset)));
            try {
                Kafka.await(admin.alterConsumerGroupOffsets(group, offsets).all(), "move the group's offsets");
            } catch (ReplayFailure e) {
                // a member joined between the check and the move
                if (e.getCause() instanceof GroupNotEmptyException
                        || e.getCause() instanceof UnknownMemberIdException) {
                    throw ReplayFailure.refused("group " + group + " got an active member meanwhile; nothing moved");
                }
                throw e;
            }
            out.println("moved " + offsets.size() + " partitions");
            return Replay.OK;
        }
    }

    private static void refuseActive(Admin admin, String group) throws ReplayFailure {
        ConsumerGroupDescription description;
        try {
            description = Kafka.await(admin.describeConsumerGroups(List.of(group)).describedGroups().get(group),
                    "describe group " + group);
        } catch (ReplayFailure e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                throw ReplayFailure.refused("group " + group + " does not exist on this cluster: nothing to move");
            }
            throw e;
        }
        if (!description.members().isEmpty()) {
            List<String> members = description.members().stream()
                    .map(m -> m.clientId() + "@" + m.host()).sorted().toList();
            throw ReplayFailure.refused("group " + group + " is active (" + description.groupState() + ", "
                    + members.size() + " members: " + String.join(", ", members.subList(0, Math.min(5,
                    members.size()))) + "); stop its service, then move it");
        }
    }
}

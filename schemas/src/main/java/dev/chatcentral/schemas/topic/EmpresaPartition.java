package dev.chatcentral.schemas.topic;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.utils.Utils;

/**
 * The partition an empresa's records land in, computed exactly as Kafka's default partitioner does for a keyed
 * record. The gateway uses it to read only the partitions of the empresas its clients belong to.
 */
public final class EmpresaPartition {

    private EmpresaPartition() {
    }

    public static int of(String empresaId, int partitions) {
        return Utils.toPositive(Utils.murmur2(empresaId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}

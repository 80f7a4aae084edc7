package dev.chatcentral.schemas.settings;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How one empresa runs its customer service, as kept in the compacted {@code chat.empresa.settings} (key =
 * empresaId, the deployment's partition count, so the conversa topology reads an empresa's settings in the task of
 * its conversas). The gateway's settings API writes a whole new record at each change; readers keep the one with
 * the highest {@code version}. Later groups of settings (SLA targets, a business-hours calendar) arrive as new
 * properties beside {@code assignment}, which readers that do not know them ignore.
 *
 * @param version    grows by one at each change of the empresa's settings; 0 for the defaults nobody wrote
 * @param assignment how waiting conversas are handed to atendentes
 * @param updatedAt  when the change was made; null for the defaults
 * @param updatedBy  the userId of the admin who made it; null for the defaults
 */
public record EmpresaSettings(String empresaId, long version, Assignment assignment, Instant updatedAt,
                              String updatedBy) {

    public EmpresaSettings {
        Objects.requireNonNull(assignment, "assignment");
    }

    /** The settings of an empresa that never wrote any: nothing is assigned automatically. */
    public static EmpresaSettings defaults(String empresaId) {
        return new EmpresaSettings(empresaId, 0, Assignment.OFF, null, null);
    }

    /**
     * @param mode                one of {@link #MODES}; a reader treats a mode it does not know as {@link #OFF_MODE}
     * @param defaultCapacity     how many open conversas an atendente may hold before automatic assignment passes
     *                            them by, 1 to {@link #MAX_CAPACITY}
     * @param capacities          per-atendente capacity by userId (0 to {@link #MAX_CAPACITY}: 0 takes the
     *                            atendente out of automatic assignment), at most {@link #MAX_CAPACITY_OVERRIDES}
     * @param offlineGraceSeconds how long an atendente may be offline before their conversas return to the queue,
     *                            0 to {@link #MAX_OFFLINE_GRACE_SECONDS}
     */
    public record Assignment(String mode, int defaultCapacity, Map<String, Integer> capacities,
                             int offlineGraceSeconds) {

        public static final String OFF_MODE = "off";
        public static final String ROUND_ROBIN = "round_robin";
        public static final String LEAST_LOADED = "least_loaded";
        public static final List<String> MODES = List.of(OFF_MODE, ROUND_ROBIN, LEAST_LOADED);

        public static final int MAX_CAPACITY = 100;
        public static final int MAX_CAPACITY_OVERRIDES = 1000;
        public static final int MAX_OFFLINE_GRACE_SECONDS = 24 * 60 * 60;
        public static final int DEFAULT_CAPACITY = 5;
        public static final int DEFAULT_OFFLINE_GRACE_SECONDS = 120;

        public static final Assignment OFF =
                new Assignment(OFF_MODE, DEFAULT_CAPACITY, Map.of(), DEFAULT_OFFLINE_GRACE_SECONDS);

        public Assignment {
            capacities = Map.copyOf(capacities);
        }

        /** How many open conversas {@code atendenteId} may hold. */
        public int capacityOf(String atendenteId) {
            return capacities.getOrDefault(atendenteId, defaultCapacity);
        }

        /** Whether conversas are handed out automatically: a known mode other than {@link #OFF_MODE}. */
        public boolean automatic() {
            return ROUND_ROBIN.equals(mode) || LEAST_LOADED.equals(mode);
        }
    }
}

package dev.chatcentral.processor.dlq;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * {@code chatcentral_processor_dead_letters_total{stage,reason,empresa}}: records given up on, by the stage that gave
 * up, why, and whose they were, so an operator sees at once whether one tenant sends something broken or all do.
 * Empresa ids come from keys that the ingest and the gateway checked; past a bound they are counted as
 * {@code other}, so the series stay bounded whatever arrives.
 */
@Component
public class DeadLetterMetrics implements DeadLetterListener {

    static final int MAX_EMPRESA_TAGS = 1000;
    private static final String UNKNOWN = "unknown";
    private static final String OTHER = "other";

    private final MeterRegistry registry;
    private final Set<String> tagged = ConcurrentHashMap.newKeySet();

    public DeadLetterMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void deadLettered(DeadLetterStage stage, DeadLetterReason reason, String empresaId) {
        Counter.builder("chatcentral.processor.dead.letters")
                .description("Records sent to chat.dlq, by stage, reason and empresa")
                .tag("stage", stage.code())
                .tag("reason", reason.code())
                .tag("empresa", empresaTag(empresaId))
                .register(registry)
                .increment();
    }

    private String empresaTag(String empresaId) {
        if (empresaId == null || empresaId.isBlank()) {
            return UNKNOWN;
        }
        if (tagged.contains(empresaId)) {
            return empresaId;
        }
        if (tagged.size() >= MAX_EMPRESA_TAGS) {
            return OTHER;
        }
        tagged.add(empresaId);
        return empresaId;
    }
}

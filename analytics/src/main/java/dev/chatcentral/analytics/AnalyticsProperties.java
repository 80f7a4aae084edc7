package dev.chatcentral.analytics;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

import dev.chatcentral.analytics.topology.SlaTargets;

/**
 * Settings of the analytics application (defaults in {@code analytics.yml}, beside their environment variables).
 *
 * @param applicationId    its Kafka Streams application.id, apart from the pipeline's
 * @param stateDir         where its state stores live
 * @param numStreamThreads stream threads of this instance
 * @param commitInterval   how often its transaction commits; figures are read only once committed
 * @param publishInterval  how often (wall clock) each empresa's figures are written while they change or someone
 *                         waits
 * @param grace            how long after its end a window still takes late events
 * @param maxClockSkew     how far ahead of this application's clock an event time may be before it is dropped
 * @param dedupeRetention  how long a mensagemId is remembered, so that its later revisions are not counted again
 * @param sla              the targets breaches are counted against
 */
@ConfigurationProperties("chatcentral.analytics")
public record AnalyticsProperties(
        String applicationId,
        Path stateDir,
        int numStreamThreads,
        Duration commitInterval,
        Duration publishInterval,
        Duration grace,
        Duration maxClockSkew,
        Duration dedupeRetention,
        Sla sla) {

    public AnalyticsProperties {
        positive(commitInterval, "commit-interval");
        positive(publishInterval, "publish-interval");
        positive(dedupeRetention, "dedupe-retention");
        if (grace.isNegative() || maxClockSkew.isNegative()) {
            throw new IllegalArgumentException("chatcentral.analytics.grace and max-clock-skew must not be negative");
        }
    }

    /**
     * @param firstAssignment the default target from a conversa's creation (or reopening) to its first atendente
     * @param firstResponse   the default target from a customer's first mensagem to the first reply
     * @param empresas        per empresaId, targets that replace the defaults (either may be left out)
     */
    public record Sla(Duration firstAssignment, Duration firstResponse, Map<String, EmpresaSla> empresas) {

        public Sla {
            positive(firstAssignment, "sla.first-assignment");
            positive(firstResponse, "sla.first-response");
            empresas = empresas == null ? Map.of() : Map.copyOf(empresas);
        }

        public SlaTargets targets() {
            SlaTargets.Targets defaults = new SlaTargets.Targets(firstAssignment, firstResponse);
            Map<String, SlaTargets.Targets> overrides = new HashMap<>();
            empresas.forEach((empresaId, o) -> overrides.put(empresaId, new SlaTargets.Targets(
                    o.firstAssignment() == null ? firstAssignment : o.firstAssignment(),
                    o.firstResponse() == null ? firstResponse : o.firstResponse())));
            return new SlaTargets(defaults, overrides);
        }
    }

    /** One empresa's targets; a target left out is the default. */
    public record EmpresaSla(Duration firstAssignment, Duration firstResponse) {

        public EmpresaSla {
            if (firstAssignment != null) {
                positive(firstAssignment, "sla.empresas.*.first-assignment");
            }
            if (firstResponse != null) {
                positive(firstResponse, "sla.empresas.*.first-response");
            }
        }
    }

    private static void positive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("chatcentral.analytics." + name + " must be positive");
        }
    }
}

package dev.chatcentral.analytics.topology;

import java.time.Duration;
import java.util.Map;

/** The service targets breaches are counted against: defaults, and the empresas that have their own. */
public record SlaTargets(Targets defaults, Map<String, Targets> empresas) {

    public SlaTargets {
        empresas = Map.copyOf(empresas);
    }

    /**
     * @param firstAssignment creation (or reopening) to first atendente
     * @param firstResponse   the customer's first mensagem to the first reply
     */
    public record Targets(Duration firstAssignment, Duration firstResponse) {
    }

    public Targets of(String empresaId) {
        return empresas.getOrDefault(empresaId, defaults);
    }
}

package dev.chatcentral.simulator;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the simulator. Targets come as indexed properties or environment variables, e.g.
 * {@code CHATCENTRAL_SIMULATOR_TARGETS_0_EMPRESAID}, {@code ..._0_INSTANCE}, {@code ..._0_SECRET}.
 *
 * @param ingestUrl           base URL of the ingest; webhooks go to {@code <ingestUrl>/webhooks/evolution/<empresaId>}
 * @param targets             the empresas to send demo traffic for, with their instance and webhook secret
 * @param rate                customer messages per second, per empresa
 * @param enabled             whether demo traffic is generated at all
 * @param byEvents            append the event to the URL ({@code /messages-upsert}), as Evolution's byEvents does
 * @param customersPerEmpresa how many distinct customers write to each empresa
 * @param maxAttempts         posts of one webhook before it is dropped (Evolution: 10)
 * @param initialBackoff      wait after the first failed post, doubled after each further one (Evolution: 5 s)
 * @param requestTimeout      how long one post may take (Evolution: 30 s)
 */
@ConfigurationProperties("chatcentral.simulator")
public record SimulatorProperties(
        URI ingestUrl,
        @DefaultValue List<Target> targets,
        double rate,
        boolean enabled,
        @DefaultValue("false") boolean byEvents,
        @DefaultValue("5") int customersPerEmpresa,
        @DefaultValue("5") int maxAttempts,
        @DefaultValue("500ms") Duration initialBackoff,
        @DefaultValue("10s") Duration requestTimeout) {

    public SimulatorProperties {
        if (!(rate > 0)) {
            throw new IllegalArgumentException("chatcentral.simulator.rate must be > 0 messages per second, was "
                    + rate);
        }
        if (customersPerEmpresa < 1) {
            throw new IllegalArgumentException("chatcentral.simulator.customers-per-empresa must be at least 1, was "
                    + customersPerEmpresa);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("chatcentral.simulator.max-attempts must be at least 1, was "
                    + maxAttempts);
        }
        targets = List.copyOf(targets);
    }

    /** One empresa to simulate: its id in chat-central, its Evolution instance, and its webhook secret. */
    public record Target(String empresaId, String instance, String secret) {

        public Target {
            if (isBlank(empresaId) || isBlank(instance) || isBlank(secret)) {
                throw new IllegalArgumentException(
                        "every chatcentral.simulator.targets entry needs empresa-id, instance and secret");
            }
        }

        private static boolean isBlank(String value) {
            return value == null || value.isBlank();
        }
    }
}

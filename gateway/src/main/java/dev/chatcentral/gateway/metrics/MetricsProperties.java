package dev.chatcentral.gateway.metrics;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the queue figures the console draws.
 *
 * @param refreshInterval how often this node writes its own figures to {@code chat.metrics} and samples the online
 *                        atendentes of the empresas being watched (env METRICS_REFRESH_INTERVAL)
 * @param history         how far back the figures go: what a node reads from {@code chat.metrics} when it starts
 *                        and keeps in memory (env METRICS_HISTORY; {@code chat.metrics} keeps two hours)
 * @param maxNodes        nodes whose figures are kept; past it the one heard from least recently is forgotten, so
 *                        a deployment that keeps making up node ids cannot grow the history without bound
 * @param maxEmpresas     empresas whose online atendentes are sampled; past it the one asked for least recently
 *                        is forgotten
 */
@ConfigurationProperties("chatcentral.gateway.metrics")
public record MetricsProperties(Duration refreshInterval, Duration history, int maxNodes, int maxEmpresas) {

    public MetricsProperties {
        if (refreshInterval == null || refreshInterval.isNegative() || refreshInterval.isZero()) {
            throw new IllegalArgumentException("chatcentral.gateway.metrics.refresh-interval must be positive, was "
                    + refreshInterval);
        }
        if (history == null || history.compareTo(refreshInterval) < 0) {
            throw new IllegalArgumentException("chatcentral.gateway.metrics.history must be at least the refresh "
                    + "interval, was " + history);
        }
        if (maxNodes < 1 || maxEmpresas < 1) {
            throw new IllegalArgumentException("chatcentral.gateway.metrics.max-nodes and max-empresas must be "
                    + "positive");
        }
    }

    /** How many samples of one series the history holds. */
    int slots() {
        return (int) Math.ceil((double) history.toMillis() / refreshInterval.toMillis());
    }
}

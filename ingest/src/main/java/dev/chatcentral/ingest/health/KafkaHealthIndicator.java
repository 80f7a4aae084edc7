package dev.chatcentral.ingest.health;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component {@code kafka}, part of the readiness group: the ingest can only accept a
 * webhook when the broker can acknowledge it, so a load balancer should stop sending webhooks here while the broker
 * does not answer. The answer is cached briefly so that frequent probes do not load the broker.
 */
@Component("kafka")
public class KafkaHealthIndicator implements HealthIndicator, DisposableBean {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final Duration CACHE = Duration.ofSeconds(2);

    private final Admin admin;
    private volatile Health last;
    private volatile long lastAtNanos;

    public KafkaHealthIndicator(KafkaProperties kafka) {
        Map<String, Object> config = kafka.buildAdminProperties();
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        this.admin = Admin.create(config);
    }

    @Override
    public Health health() {
        Health cached = last;
        if (cached != null && System.nanoTime() - lastAtNanos < CACHE.toNanos()) {
            return cached;
        }
        Health health;
        try {
            int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
                    .nodes().get(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS).size();
            health = Health.up().withDetail("brokers", nodes).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            health = Health.down().withDetail("error", "interrupted").build();
        } catch (Exception e) {
            health = Health.down().withDetail("error", "broker did not answer within " + TIMEOUT.toMillis()
                    + " ms: " + e.getMessage()).build();
        }
        last = health;
        lastAtNanos = System.nanoTime();
        return health;
    }

    @Override
    public void destroy() {
        admin.close(Duration.ofSeconds(2));
    }
}

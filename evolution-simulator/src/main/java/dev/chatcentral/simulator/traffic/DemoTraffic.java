package dev.chatcentral.simulator.traffic;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.simulator.SimulatorProperties;
import dev.chatcentral.simulator.SimulatorProperties.Target;
import dev.chatcentral.simulator.instance.EmpresaWebhooks;
import dev.chatcentral.simulator.instance.MessageStore;
import dev.chatcentral.simulator.webhook.EvolutionPayloads;

/**
 * Demo traffic: for every target empresa, at the configured rate, a random customer types (presence.update
 * composing) and then sends the next line of their conversation (messages.upsert), posted to the ingest like
 * Evolution would. Starts once the application is ready so health checks see it up first.
 */
@Component
class DemoTraffic {

    private static final Logger log = LoggerFactory.getLogger(DemoTraffic.class);
    /** Share of customer texts sent in the older extendedTextMessage form, which the ingest must also accept. */
    private static final double EXTENDED_TEXT_SHARE = 0.125;

    private final SimulatorProperties properties;
    private final EmpresaWebhooks webhooks;
    private final MessageStore store;
    private final TaskScheduler scheduler;

    DemoTraffic(SimulatorProperties properties, EmpresaWebhooks webhooks, MessageStore store,
                TaskScheduler scheduler) {
        this.properties = properties;
        this.webhooks = webhooks;
        this.store = store;
        this.scheduler = scheduler;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        if (!properties.enabled()) {
            log.info("demo traffic disabled (chatcentral.simulator.enabled=false)");
            return;
        }
        if (properties.targets().isEmpty()) {
            log.info("demo traffic idle: no chatcentral.simulator.targets configured");
            return;
        }
        Duration period = Duration.ofNanos(Math.max(1, Math.round(1_000_000_000d / properties.rate())));
        for (Target target : properties.targets()) {
            DemoCustomers customers = new DemoCustomers(target.empresaId(), properties.customersPerEmpresa());
            scheduler.scheduleAtFixedRate(() -> tick(target, customers), period);
            log.info("demo traffic for empresa {} (instance {}): {} customers, one message every {} ms to {}",
                    target.empresaId(), target.instance(), customers.customers().size(), period.toMillis(),
                    properties.ingestUrl());
        }
    }

    private void tick(Target target, DemoCustomers customers) {
        // an exception escaping a periodic task would cancel it for good
        try {
            DemoCustomers.Line line = customers.next();
            String phone = line.customer().phone();
            String keyId = EvolutionPayloads.newKeyId();
            long now = Instant.now().getEpochSecond();
            ObjectNode message = ThreadLocalRandom.current().nextDouble() < EXTENDED_TEXT_SHARE
                    ? EvolutionPayloads.customerExtendedText(target.instance(), phone, line.customer().name(),
                            line.text(), keyId, now)
                    : EvolutionPayloads.customerText(target.instance(), phone, line.customer().name(), line.text(),
                            keyId, now);
            store.add(target.instance(), (ObjectNode) message.get("data"));
            // a silent instance posts nothing: the typing and the message are lost together
            webhooks.post(target.instance(), EvolutionPayloads.presence(target.instance(), phone, "composing"))
                    .ifPresent(typing -> typing.thenAccept(typed -> webhooks.post(target.instance(), message)
                            .ifPresent(posted -> posted.thenAccept(delivery -> {
                                if (delivery.accepted()) {
                                    log.info("{} -> {}: {} \"{}\"", line.customer().name(), target.empresaId(),
                                            keyId, line.text());
                                }
                            }))));
        } catch (RuntimeException e) {
            log.error("cannot generate demo traffic for empresa {}: {}", target.empresaId(), e.toString());
        }
    }
}

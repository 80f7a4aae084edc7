package dev.chatcentral.gateway.settings;

import java.util.concurrent.CompletableFuture;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.chatcentral.gateway.delivery.DeliveryProperties;
import dev.chatcentral.gateway.node.GatewayNode;
import dev.chatcentral.schemas.settings.EmpresaSettings;
import dev.chatcentral.schemas.topic.TopicCatalog;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.kafka.LatestPerEmpresa;

/**
 * The latest {@link EmpresaSettings} of each empresa this node was asked about, read from the compacted
 * {@code chat.empresa.settings} ({@link LatestPerEmpresa}): {@link #current} answers only once the empresa's
 * partition is read up to the end it had when asked, so a change any node acknowledged before the call is in the
 * answer, whichever node wrote it. Writers claim each version in PostgreSQL first, so log order is version order.
 */
@Component
public class EmpresaSettingsCache implements SmartLifecycle {

    private final LatestPerEmpresa<EmpresaSettings> latest;

    public EmpresaSettingsCache(KafkaProperties kafka, DeliveryProperties delivery, SettingsProperties properties,
                                TopicCatalog catalog, GatewayNode node) {
        this.latest = new LatestPerEmpresa<>(Topics.EMPRESA_SETTINGS, catalog.partitions(Topics.EMPRESA_SETTINGS),
                kafka.buildConsumerProperties(), "gateway-settings-" + node.id(), "chat-empresa-settings-reader",
                delivery.pollTimeout(), properties.timeout(), EmpresaSettings::empresaId, settings -> true);
    }

    /**
     * The empresa's settings as of now, {@link EmpresaSettings#defaults} when none were written; completes
     * exceptionally after the settings timeout when the topic cannot be read.
     */
    public CompletableFuture<EmpresaSettings> current(String empresaId) {
        return latest.current(empresaId, EmpresaSettings::defaults);
    }

    @Override
    public void start() {
        latest.start();
    }

    @Override
    public void stop() {
        latest.stop();
    }

    @Override
    public boolean isRunning() {
        return latest.isRunning();
    }

    @Override
    public int getPhase() {
        return WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 1;
    }
}

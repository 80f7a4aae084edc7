package dev.chatcentral.simulator;

import java.net.http.HttpClient;
import java.time.Duration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.chatcentral.simulator.webhook.WebhookSender;

@Configuration(proxyBeanMethods = false)
class SimulatorConfiguration {

    @Bean
    WebhookSender webhookSender(SimulatorProperties properties) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return new WebhookSender(http, properties.maxAttempts(), properties.initialBackoff(),
                properties.requestTimeout());
    }
}

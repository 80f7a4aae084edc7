package dev.chatcentral.processor.streams;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import dev.chatcentral.processor.topology.WebhookOutcome;

/** Counts what became of each webhook ({@code chatcentral_processor_webhooks_total{outcome=...}}). */
@Component
public class WebhookOutcomeCounter implements Consumer<WebhookOutcome> {

    private final Map<WebhookOutcome, Counter> counters = new EnumMap<>(WebhookOutcome.class);

    public WebhookOutcomeCounter(MeterRegistry registry) {
        for (WebhookOutcome outcome : WebhookOutcome.values()) {
            counters.put(outcome, Counter.builder("chatcentral.processor.webhooks")
                    .description("Records of chat.webhooks by what became of them")
                    .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                    .register(registry));
        }
    }

    @Override
    public void accept(WebhookOutcome outcome) {
        counters.get(outcome).increment();
    }
}

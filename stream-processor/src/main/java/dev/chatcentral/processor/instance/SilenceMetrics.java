package dev.chatcentral.processor.instance;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * The silent WhatsApp numbers as metrics: how many are silent now on this node's tasks, and how often each went
 * silent (alert on the gauge; the counter says which number).
 */
@Component
public class SilenceMetrics implements InstanceSilence.Listener {

    private final Set<String> silent = ConcurrentHashMap.newKeySet();
    private final MeterRegistry meters;

    public SilenceMetrics(MeterRegistry meters) {
        this.meters = meters;
        Gauge.builder("chatcentral.instances.silent", silent, Set::size)
                .description("WhatsApp numbers that say they are connected and have sent no webhook for far longer "
                        + "than their usual gap")
                .register(meters);
    }

    @Override
    public void changed(String empresaId, String instance, boolean isSilent) {
        String key = empresaId + "|" + instance;
        if (isSilent) {
            silent.add(key);
            Counter.builder("chatcentral.instance.silences")
                    .description("Times a WhatsApp number went silent")
                    .tag("instance", instance)
                    .register(meters)
                    .increment();
        } else {
            silent.remove(key);
        }
    }
}

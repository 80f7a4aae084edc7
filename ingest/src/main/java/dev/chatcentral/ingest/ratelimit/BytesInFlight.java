package dev.chatcentral.ingest.ratelimit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import dev.chatcentral.ingest.IngestProperties;

/**
 * Bounds the webhook bytes the ingest holds at once (read, parsed, waiting for the broker's acknowledgement), per
 * empresa and in total. Requests per second alone do not bound memory: a few empresas sending 16 MiB media webhooks
 * could fill the heap and take the node down for every tenant. A request takes its bytes before its body is read
 * (by its Content-Length, else as it reads), and gives them back when it is answered.
 */
@Component
public class BytesInFlight {

    /** Which bound a request would cross. */
    public enum Refusal {
        /** The empresa holds its share already: the others are unaffected (429). */
        EMPRESA,
        /** The node holds all it may: it is overloaded, whoever asks (503). */
        TOTAL
    }

    private final long maxTotal;
    private final long maxPerEmpresa;
    private final AtomicLong total = new AtomicLong();
    private final Map<String, AtomicLong> perEmpresa = new ConcurrentHashMap<>();

    public BytesInFlight(IngestProperties properties, MeterRegistry registry) {
        this.maxTotal = properties.maxBytesInFlight().toBytes();
        this.maxPerEmpresa = properties.maxBytesInFlightPerEmpresa().toBytes();
        Gauge.builder("chatcentral.ingest.bytes.in.flight", total, AtomicLong::get)
                .description("Webhook bytes held until answered, all empresas")
                .baseUnit("bytes")
                .register(registry);
    }

    /** A new request's claim, holding nothing yet. */
    public Claim claim(String empresaId) {
        return new Claim(perEmpresa.computeIfAbsent(empresaId, id -> new AtomicLong()));
    }

    /** The bytes one request holds; closing it gives them all back, once. */
    public final class Claim implements AutoCloseable {

        private final AtomicLong empresa;
        private long held;
        private boolean closed;

        private Claim(AtomicLong empresa) {
            this.empresa = empresa;
        }

        /** Takes {@code bytes} more, or nothing and says which bound that would cross. */
        public synchronized Refusal add(long bytes) {
            if (empresa.addAndGet(bytes) > maxPerEmpresa) {
                empresa.addAndGet(-bytes);
                return Refusal.EMPRESA;
            }
            if (total.addAndGet(bytes) > maxTotal) {
                total.addAndGet(-bytes);
                empresa.addAndGet(-bytes);
                return Refusal.TOTAL;
            }
            held += bytes;
            return null;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                empresa.addAndGet(-held);
                total.addAndGet(-held);
                held = 0;
            }
        }
    }
}

package dev.chatcentral.analytics.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.chatcentral.schemas.metrics.ServiceMetrics;
import dev.chatcentral.schemas.metrics.ServiceMetrics.AtendenteFigures;
import dev.chatcentral.schemas.metrics.ServiceMetrics.AtendenteLoad;
import dev.chatcentral.schemas.metrics.ServiceMetrics.Figures;
import dev.chatcentral.schemas.topic.Topics;

/**
 * Keyed by empresaId: adds each {@link Fact} to the empresa's windows (one minute and one hour, tumbling, by event
 * time), keeps where each of its conversas stands, and every publish interval (wall clock) counts the targets that
 * passed while a customer still waited and writes a {@link ServiceMetrics} for each empresa that changed, has
 * someone waiting or entered a new minute.
 */
final class EmpresaAggregator implements Processor<String, Fact, String, ServiceMetrics> {

    private static final List<String> SIZES = List.of(ServiceMetrics.MINUTE, ServiceMetrics.HOUR);
    private static final StringSerializer PREFIX = new StringSerializer();
    /** The {@code schema-version} header the sink's serializer adds, generously. */
    private static final int HEADER_BYTES = 64;

    private final AnalyticsSettings settings;
    private ProcessorContext<String, ServiceMetrics> context;
    private KeyValueStore<String, EmpresaState> empresas;
    private KeyValueStore<String, TrackedView> views;
    private KeyValueStore<String, Figures> windows;

    EmpresaAggregator(AnalyticsSettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, ServiceMetrics> context) {
        this.context = context;
        this.empresas = context.getStateStore(AnalyticsTopology.EMPRESA_STORE);
        this.views = context.getStateStore(AnalyticsTopology.VIEW_STORE);
        this.windows = context.getStateStore(AnalyticsTopology.WINDOW_STORE);
        context.schedule(settings.publishInterval(), PunctuationType.WALL_CLOCK_TIME, this::publish);
    }

    @Override
    public void process(Record<String, Fact> record) {
        Fact fact = record.value();
        if (fact == null || fact.empresaId() == null || fact.conversaId() == null || fact.view() == null) {
            return;
        }
        String empresaId = fact.empresaId();
        EmpresaState state = empresas.get(empresaId);
        long streamTime = state == null ? Long.MIN_VALUE : state.streamTimeMs();
        SlaTargets.Targets targets = settings.sla().of(empresaId);
        String viewKey = StoreKeys.scoped(empresaId) + fact.conversaId();
        TrackedView old = views.get(viewKey);
        boolean assignBreached = old != null && old.assignBreached()
                && Objects.equals(old.view().assignDue(), fact.view().assignDue());
        boolean responseBreached = old != null && old.responseBreached()
                && Objects.equals(old.view().responseDue(), fact.view().responseDue());
        String responseBreachedBy = responseBreached ? old.responseBreachedBy() : null;
        for (Fact.Event event : fact.events()) {
            if (event == null || event.kind() == null || event.at() == null) {
                continue;
            }
            long at = event.at().toEpochMilli();
            switch (event.kind()) {
                case ASSIGNED -> {
                    add(empresaId, at, event.atendenteId(), Tally.assigned(event.ms()), streamTime);
                    boolean counted = old != null && old.assignBreached()
                            && Objects.equals(old.view().assignDue(), event.since());
                    settle(empresaId, event, targets.firstAssignment().toMillis(), counted, null, streamTime);
                }
                case FIRST_RESPONSE -> {
                    add(empresaId, at, event.atendenteId(), Tally.firstResponse(event.ms()), streamTime);
                    boolean counted = old != null && old.responseBreached()
                            && Objects.equals(old.view().responseDue(), event.since());
                    settle(empresaId, event, targets.firstResponse().toMillis(), counted,
                            counted ? old.responseBreachedBy() : event.atendenteId(), streamTime);
                }
                case RESPONSE_ATTRIBUTED -> addFor(empresaId, at, event.atendenteId(),
                        Tally.firstResponse(event.ms()), streamTime);
                case CLOSED -> add(empresaId, at, event.atendenteId(), Tally.closed(event.ms()), streamTime);
                case MENSAGEM_IN, MENSAGEM_OUT -> add(empresaId, at, event.atendenteId(),
                        Tally.mensagem(event.kind() == Fact.Kind.MENSAGEM_OUT), streamTime);
            }
            streamTime = Math.max(streamTime, at);
        }
        if (fact.view().isEmpty()) {
            views.delete(viewKey);
        } else {
            views.put(viewKey, new TrackedView(fact.view(), assignBreached, responseBreached, responseBreachedBy));
        }
        empresas.put(empresaId, new EmpresaState(streamTime, true,
                state == null ? Long.MIN_VALUE : state.lastMinuteStart()));
    }

    /**
     * A first assignment or response whose target is {@code targetMs}: a breach is counted in the window in which
     * the target passed, unless the wall-clock check counted it already; one counted while this application lagged
     * behind, for a conversa that turns out to have met its target, is taken back.
     */
    private void settle(String empresaId, Fact.Event event, long targetMs, boolean counted, String atendenteId,
                        long streamTime) {
        if (event.since() == null) {
            return;
        }
        long due = event.since().toEpochMilli() + targetMs;
        boolean breached = event.ms() > targetMs;
        if (breached && !counted) {
            add(empresaId, due, atendenteId, Tally.breaches(1), streamTime);
        } else if (!breached && counted) {
            add(empresaId, due, atendenteId, Tally.breaches(-1), streamTime);
        }
    }

    /** Adds to the empresa's windows of {@code atMs}, and the atendente's when there is one. */
    private void add(String empresaId, long atMs, String atendenteId, Figures delta, long streamTime) {
        for (String size : SIZES) {
            long start = StoreKeys.windowStart(size, atMs);
            if (closed(size, start, streamTime)) {
                settings.listener().late(size);
                continue;
            }
            merge(StoreKeys.empresaFigures(empresaId, size, start), delta);
            if (atendenteId != null) {
                merge(StoreKeys.atendenteFigures(empresaId, size, start, atendenteId), delta);
            }
        }
    }

    /** Adds to the atendente's windows alone: the empresa's counted it already. */
    private void addFor(String empresaId, long atMs, String atendenteId, Figures delta, long streamTime) {
        if (atendenteId == null) {
            return;
        }
        for (String size : SIZES) {
            long start = StoreKeys.windowStart(size, atMs);
            if (closed(size, start, streamTime)) {
                settings.listener().late(size);
                continue;
            }
            merge(StoreKeys.atendenteFigures(empresaId, size, start, atendenteId), delta);
        }
    }

    private boolean closed(String size, long start, long streamTime) {
        return start + StoreKeys.length(size) + settings.grace().toMillis() <= streamTime;
    }

    private void merge(String key, Figures delta) {
        Figures current = windows.get(key);
        windows.put(key, current == null ? delta : Tally.add(current, delta));
    }

    private void publish(long now) {
        List<KeyValue<String, EmpresaState>> all = new ArrayList<>();
        try (KeyValueIterator<String, EmpresaState> it = empresas.all()) {
            it.forEachRemaining(all::add);
        }
        for (KeyValue<String, EmpresaState> entry : all) {
            publish(entry.key, entry.value, now);
        }
    }

    private void publish(String empresaId, EmpresaState state, long now) {
        SlaTargets.Targets targets = settings.sla().of(empresaId);
        List<KeyValue<String, TrackedView>> tracked = new ArrayList<>();
        try (KeyValueIterator<String, TrackedView> it = views.prefixScan(StoreKeys.scoped(empresaId), PREFIX)) {
            it.forEachRemaining(tracked::add);
        }
        boolean changed = state.changed();
        int waiting = 0;
        long longestWait = 0;
        boolean awaiting = false;
        Map<String, long[]> loads = new TreeMap<>();
        for (KeyValue<String, TrackedView> entry : tracked) {
            TrackedView tv = entry.value;
            Fact.View view = tv.view();
            boolean assignBreached = tv.assignBreached();
            boolean responseBreached = tv.responseBreached();
            String responseBreachedBy = tv.responseBreachedBy();
            // a target passed while the customer still waits: counted now, in the window in which it passed
            if (view.assignDue() != null && !assignBreached
                    && now >= view.assignDue().toEpochMilli() + targets.firstAssignment().toMillis()) {
                add(empresaId, view.assignDue().toEpochMilli() + targets.firstAssignment().toMillis(), null,
                        Tally.breaches(1), state.streamTimeMs());
                assignBreached = true;
            }
            if (view.responseDue() != null && !responseBreached
                    && now >= view.responseDue().toEpochMilli() + targets.firstResponse().toMillis()) {
                add(empresaId, view.responseDue().toEpochMilli() + targets.firstResponse().toMillis(),
                        view.atendenteId(), Tally.breaches(1), state.streamTimeMs());
                responseBreached = true;
                responseBreachedBy = view.atendenteId();
            }
            if (assignBreached != tv.assignBreached() || responseBreached != tv.responseBreached()) {
                views.put(entry.key, new TrackedView(view, assignBreached, responseBreached, responseBreachedBy));
                changed = true;
            }
            if (view.waitingSince() != null) {
                waiting++;
                longestWait = Math.max(longestWait, now - view.waitingSince().toEpochMilli());
            }
            if (view.atendenteId() != null) {
                long[] load = loads.computeIfAbsent(view.atendenteId(), id -> new long[3]);
                load[0]++;
                if (view.awaitingSince() != null) {
                    awaiting = true;
                    load[1]++;
                    load[2] = Math.max(load[2], now - view.awaitingSince().toEpochMilli());
                }
            }
        }
        boolean anyWindow = purge(empresaId, state.streamTimeMs(), now);
        long minuteStart = StoreKeys.windowStart(ServiceMetrics.MINUTE, now);
        if (changed || waiting > 0 || awaiting || minuteStart != state.lastMinuteStart()) {
            ServiceMetrics metrics = new ServiceMetrics(empresaId, Instant.ofEpochMilli(now), waiting,
                    Math.max(0, longestWait), List.of(window(empresaId, ServiceMetrics.MINUTE, now),
                    window(empresaId, ServiceMetrics.HOUR, now)), loads(loads));
            metrics = fitted(metrics);
            context.forward(new Record<>(empresaId, metrics, now));
            settings.listener().published(metrics);
        }
        if (tracked.isEmpty() && !anyWindow) {
            // nothing left to show: the empresa is forgotten until its next fact
            empresas.delete(empresaId);
        } else {
            empresas.put(empresaId, new EmpresaState(state.streamTimeMs(), false, minuteStart));
        }
    }

    /**
     * The snapshot as it fits the topic: an empresa with thousands of atendentes would make a record the producer
     * refuses, which fails the transaction of every empresa of the task; it loses its per-atendente details instead.
     */
    private ServiceMetrics fitted(ServiceMetrics metrics) {
        byte[] key = PREFIX.serialize(Topics.SERVICE_METRICS.name(), metrics.empresaId());
        byte[] value = Topics.SERVICE_METRICS.valueSerde().serializer().serialize(Topics.SERVICE_METRICS.name(),
                metrics);
        if (key.length + value.length + HEADER_BYTES <= settings.maxRecordBytes()) {
            return metrics;
        }
        settings.listener().trimmed(metrics.empresaId());
        List<ServiceMetrics.Window> windows = metrics.windows().stream()
                .map(w -> new ServiceMetrics.Window(w.size(), w.start(), w.end(), w.empresa(), List.of())).toList();
        return new ServiceMetrics(metrics.empresaId(), metrics.ts(), metrics.waiting(), metrics.longestWaitMs(),
                windows, List.of());
    }

    private static List<AtendenteLoad> loads(Map<String, long[]> loads) {
        List<AtendenteLoad> result = new ArrayList<>(loads.size());
        loads.forEach((id, load) -> result.add(new AtendenteLoad(id, (int) load[0], (int) load[1],
                Math.max(0, load[2]))));
        return result;
    }

    private ServiceMetrics.Window window(String empresaId, String size, long now) {
        long start = StoreKeys.windowStart(size, now);
        Figures empresa = windows.get(StoreKeys.empresaFigures(empresaId, size, start));
        List<AtendenteFigures> byAtendente = new ArrayList<>();
        String prefix = StoreKeys.window(empresaId, size, start) + StoreKeys.ATENDENTE;
        try (KeyValueIterator<String, Figures> it = windows.prefixScan(prefix, PREFIX)) {
            it.forEachRemaining(kv -> byAtendente.add(
                    new AtendenteFigures(kv.key.substring(prefix.length()), kv.value)));
        }
        return new ServiceMetrics.Window(size, Instant.ofEpochMilli(start),
                Instant.ofEpochMilli(start + StoreKeys.length(size)), empresa == null ? Figures.NONE : empresa,
                byAtendente);
    }

    /**
     * Drops the empresa's windows that closed (their end plus the grace behind its stream time) and are no longer
     * shown (their end behind the wall clock).
     *
     * @return whether any window is left
     */
    private boolean purge(String empresaId, long streamTime, long now) {
        String scope = StoreKeys.scoped(empresaId);
        List<String> expired = new ArrayList<>();
        boolean left = false;
        try (KeyValueIterator<String, Figures> it = windows.prefixScan(scope, PREFIX)) {
            while (it.hasNext()) {
                String key = it.next().key;
                String[] parts = key.substring(scope.length()).split("\\|", 3);
                long start = Long.parseLong(parts[1]);
                if (closed(parts[0], start, streamTime) && start + StoreKeys.length(parts[0]) <= now) {
                    expired.add(key);
                } else {
                    left = true;
                }
            }
        }
        expired.forEach(windows::delete);
        return left;
    }
}

package dev.chatcentral.gateway.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * How many atendentes were online in each watched empresa, one count per refresh interval over the last hour.
 * Presence keeps only the current state, so this node samples it itself, for the empresas whose queue figures were
 * asked for within the span: the trend starts when an empresa is first watched on this node.
 *
 * <p>Thread-safe: the sampler adds, request threads watch and read.
 */
final class OnlineHistory {

    private record Watched(Deque<OnlineCount> points, Instant askedAt) {
    }

    private final Duration span;
    private final int maxEmpresas;
    /** In the order last asked for, so the empresa asked for least recently goes first. */
    private final LinkedHashMap<String, Watched> byEmpresa = new LinkedHashMap<>();

    OnlineHistory(Duration span, int maxEmpresas) {
        this.span = span;
        this.maxEmpresas = maxEmpresas;
    }

    /** Starts or keeps sampling the empresa, and returns its counts so far, oldest first. */
    synchronized List<OnlineCount> watch(String empresaId, Instant now) {
        Watched watched = byEmpresa.remove(empresaId);
        Deque<OnlineCount> points = watched == null ? new ArrayDeque<>() : watched.points();
        byEmpresa.put(empresaId, new Watched(points, now));
        if (byEmpresa.size() > maxEmpresas) {
            byEmpresa.remove(byEmpresa.keySet().iterator().next());
        }
        return new ArrayList<>(points);
    }

    /** The empresas to sample now; those nobody asked for within the span are forgotten. */
    synchronized Set<String> watched(Instant now) {
        byEmpresa.values().removeIf(w -> w.askedAt().isBefore(now.minus(span)));
        return Set.copyOf(byEmpresa.keySet());
    }

    synchronized void record(String empresaId, OnlineCount point) {
        Watched watched = byEmpresa.get(empresaId);
        if (watched == null) {
            return;
        }
        Deque<OnlineCount> points = watched.points();
        points.addLast(point);
        while (points.peekFirst().at().isBefore(point.at().minus(span))) {
            points.removeFirst();
        }
    }
}

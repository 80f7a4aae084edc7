package dev.chatcentral.gateway.delivery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resumes waiting for a replay thread, handed out fairly. A session holds one place at most, however many of
 * its subscribes with {@code since} wait: those that arrive while it waits or runs are run together, in one read of
 * its partition, at its next turn. Turns go round-robin across empresas, and at most {@code perEmpresa} sessions of
 * one empresa wait at once, so one tenant's reconnecting clients cannot push another tenant's resume back.
 */
final class ReplayQueue {

    enum Admission {
        /** The session took a place: a turn must be scheduled for it. */
        QUEUED,
        /** The session already waits or runs: the replay joins its next turn. */
        JOINED,
        /** The empresa has no place left. */
        REFUSED
    }

    private final int perEmpresa;
    /** Empresa -> its sessions waiting for a turn; empresas in the order of their next turn. */
    private final LinkedHashMap<String, ArrayDeque<ClientSession>> waiting = new LinkedHashMap<>();
    /** Session -> its replays not started yet; present from its place in the queue to the end of its last turn. */
    private final Map<ClientSession, List<Replay>> pending = new HashMap<>();

    ReplayQueue(int perEmpresa) {
        this.perEmpresa = perEmpresa;
    }

    synchronized Admission offer(Replay replay) {
        ClientSession session = replay.session;
        List<Replay> replays = pending.get(session);
        if (replays != null) {
            // a channel subscribed anew cancels its earlier subscription: at most one replay per channel stays
            replays.removeIf(ReplayQueue::abandoned);
            replays.add(replay);
            return Admission.JOINED;
        }
        ArrayDeque<ClientSession> sessions = waiting.get(empresaOf(session));
        if (sessions != null && sessions.size() >= perEmpresa) {
            return Admission.REFUSED;
        }
        pending.put(session, new ArrayList<>(List.of(replay)));
        enqueue(session);
        return Admission.QUEUED;
    }

    /** The session whose turn it is, with the replays it runs now; one turn was scheduled per place taken. */
    synchronized Turn next() {
        Iterator<Map.Entry<String, ArrayDeque<ClientSession>>> empresas = waiting.entrySet().iterator();
        Map.Entry<String, ArrayDeque<ClientSession>> first = empresas.next();
        ClientSession session = first.getValue().poll();
        empresas.remove();
        if (!first.getValue().isEmpty()) {
            waiting.put(first.getKey(), first.getValue());
        }
        List<Replay> replays = pending.put(session, new ArrayList<>());
        replays.removeIf(ReplayQueue::abandoned);
        return new Turn(session, replays);
    }

    /**
     * The session's turn is over. True when replays joined meanwhile: the session is back in the queue (a place it
     * already had, so not refused) and another turn must be scheduled.
     */
    synchronized boolean finished(ClientSession session) {
        if (pending.get(session).isEmpty()) {
            pending.remove(session);
            return false;
        }
        enqueue(session);
        return true;
    }

    private void enqueue(ClientSession session) {
        waiting.computeIfAbsent(empresaOf(session), empresa -> new ArrayDeque<>()).add(session);
    }

    private static String empresaOf(ClientSession session) {
        return session.agent().empresaId();
    }

    /** Every channel of the replay was unsubscribed or subscribed anew since: nobody waits for it. */
    private static boolean abandoned(Replay replay) {
        return replay.subscriptions.values().stream().allMatch(subscription -> subscription.cancelled);
    }

    record Turn(ClientSession session, List<Replay> replays) {
    }
}

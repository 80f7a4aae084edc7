package dev.chatcentral.processor.assignment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.chatcentral.processor.command.CommandRules;
import dev.chatcentral.processor.conversa.Conversas;
import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.ConversaStatus;
import dev.chatcentral.schemas.presence.PresenceSnapshot;
import dev.chatcentral.schemas.presence.PresenceStatus;
import dev.chatcentral.schemas.settings.EmpresaSettings;

/**
 * What automatic assignment knows of each empresa in this task (docs/assignment.md): its settings, who is online
 * and with which status, how many open conversas each atendente holds, and its conversas waiting in arrival order.
 * The queue and the loads follow every change of a conversa ({@link Conversas.Listener}), whoever made it (a webhook,
 * an atendente's command, automatic assignment), so a manual assign or transfer counts against capacity like an
 * automatic one. They are kept whatever the mode, so an empresa that switches assignment on has its backlog handed
 * out in arrival order at once.
 *
 * <p>An empresa is marked for a drain whenever a change may let a waiting conversa be assigned: a conversa starts
 * waiting, an atendente's load drops, presence or the settings change. {@link #next} then names the oldest waiting
 * conversa and the atendente to take it; {@link #expired} names the atendentes offline past their empresa's grace,
 * whose conversas go back to the queue. Keys start with the empresa's id behind its length, so one empresa's prefix
 * never matches another's, whatever its id holds.
 */
public final class AssignmentBook implements Conversas.Listener {

    private static final StringSerializer PREFIX = new StringSerializer();
    private static final String NEXT_SEQUENCE = "n";
    private static final String ROUND_ROBIN_CURSOR = "r";
    private static final String QUEUE = "q|";
    private static final String QUEUED = "c|";
    /** offline|empresa|userId → since when (wall clock) an atendente is offline; no empresa key starts with it. */
    private static final String OFFLINE = "o|";
    /** held|empresa|userId|conversaId → the conversas each atendente holds; no empresa key starts with it. */
    private static final String HELD = "h|";
    /** Set once the book has taken in the conversas the task held before it existed; no empresa key looks like it. */
    private static final String CAUGHT_UP = "caught-up";

    /** The conversa to hand out and who takes it. */
    public record Decision(String conversaId, String atendenteId) {
    }

    /** An atendente offline past the empresa's grace, and the conversas they hold, to go back to the queue. */
    public record Expired(String empresaId, String atendenteId, List<String> conversaIds) {
    }

    private final KeyValueStore<String, EmpresaSettings> settings;
    private final KeyValueStore<String, String> online;
    private final KeyValueStore<String, String> queue;
    private final KeyValueStore<String, Integer> loads;
    private final Set<String> marked = new LinkedHashSet<>();

    /**
     * @param settings empresaId → its latest settings
     * @param online   empresa|userId → the status of each online atendente
     * @param queue    empresa|q|sequence → conversaId in arrival order, empresa|c|conversaId → its sequence, per
     *                 empresa the next sequence and the round robin's last atendente, the conversas each atendente
     *                 holds, and since when each atendente who went offline is
     * @param loads    empresa|userId → the open conversas the atendente holds
     */
    public AssignmentBook(KeyValueStore<String, EmpresaSettings> settings, KeyValueStore<String, String> online,
                          KeyValueStore<String, String> queue, KeyValueStore<String, Integer> loads) {
        this.settings = settings;
        this.online = online;
        this.queue = queue;
        this.loads = loads;
    }

    /**
     * Once per task: takes in the conversas kept before this book existed (a task that ran a version without
     * automatic assignment), so the loads they hold count and those waiting are queued, by when they last changed,
     * which for a waiting conversa is when it started waiting. Nothing after that needs it: every later change
     * reaches {@link #changed}.
     */
    public void catchUp(KeyValueStore<String, Conversa> conversas) {
        if (queue.get(CAUGHT_UP) != null) {
            return;
        }
        List<Conversa> waiting = new ArrayList<>();
        try (KeyValueIterator<String, Conversa> all = conversas.all()) {
            while (all.hasNext()) {
                Conversa conversa = all.next().value;
                if (waiting(conversa)) {
                    waiting.add(conversa);
                } else if (holder(conversa) != null) {
                    addLoad(prefix(conversa.empresaId()), conversa.atendenteId(), 1);
                    queue.put(held(prefix(conversa.empresaId()), conversa.atendenteId()) + conversa.conversaId(),
                            conversa.conversaId());
                }
            }
        }
        waiting.sort(Comparator.comparing(Conversa::updatedAt, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(Conversa::conversaId));
        for (Conversa conversa : waiting) {
            enqueue(prefix(conversa.empresaId()), conversa.conversaId());
            marked.add(conversa.empresaId());
        }
        queue.put(CAUGHT_UP, "true");
    }

    @Override
    public void changed(Conversa before, Conversa after) {
        String empresa = prefix(after.empresaId());
        String heldBefore = holder(before);
        String heldAfter = holder(after);
        if (!Objects.equals(heldBefore, heldAfter)) {
            if (heldBefore != null) {
                addLoad(empresa, heldBefore, -1);
                queue.delete(held(empresa, heldBefore) + after.conversaId());
                marked.add(after.empresaId());
            }
            if (heldAfter != null) {
                addLoad(empresa, heldAfter, 1);
                queue.put(held(empresa, heldAfter) + after.conversaId(), after.conversaId());
            }
        }
        boolean waitedBefore = waiting(before);
        boolean waitsNow = waiting(after);
        if (waitsNow && !waitedBefore) {
            enqueue(empresa, after.conversaId());
            marked.add(after.empresaId());
        } else if (waitedBefore && !waitsNow) {
            dequeue(empresa, after.conversaId());
        }
    }

    /**
     * The empresa's new settings, unless older than those kept (a reader keeps the highest version; equal versions
     * are taken in log order).
     */
    public void settingsChanged(String empresaId, EmpresaSettings next) {
        EmpresaSettings kept = settings.get(empresaId);
        if (next == null) {
            settings.delete(empresaId);
        } else if (kept == null || next.version() >= kept.version()) {
            settings.put(empresaId, next);
        } else {
            return;
        }
        marked.add(empresaId);
    }

    /**
     * The empresa's latest presence snapshot: who is online now, with their status. Who was online and is not any
     * more is offline from {@code nowMillis} (wall clock) until they come back.
     */
    public void presenceChanged(String empresaId, PresenceSnapshot snapshot, long nowMillis) {
        String empresa = prefix(empresaId);
        Map<String, String> now = new HashMap<>();
        for (PresenceSnapshot.OnlineUser user : snapshot.online()) {
            // a supervisor or admin watching the console is online too, and takes no conversas
            if (user != null && CommandRules.validUserId(user.userId()) && user.takesConversas()) {
                now.put(user.userId(), PresenceStatus.ALL.contains(user.status()) ? user.status()
                        : PresenceStatus.AUSENTE);
            }
        }
        List<String> gone = new ArrayList<>();
        try (KeyValueIterator<String, String> kept = online.prefixScan(empresa, PREFIX)) {
            while (kept.hasNext()) {
                KeyValue<String, String> entry = kept.next();
                String userId = entry.key.substring(empresa.length());
                String status = now.remove(userId);
                if (status == null) {
                    gone.add(entry.key);
                } else if (!status.equals(entry.value)) {
                    online.put(entry.key, status);
                }
            }
        }
        for (String key : gone) {
            online.delete(key);
            queue.put(OFFLINE + key, Long.toString(nowMillis));
        }
        now.forEach((userId, status) -> online.put(empresa + userId, status));
        for (PresenceSnapshot.OnlineUser user : snapshot.online()) {
            if (user != null && CommandRules.validUserId(user.userId())) {
                queue.delete(OFFLINE + empresa + user.userId());
            }
        }
        marked.add(empresaId);
    }

    /**
     * The atendentes offline for longer than their empresa's grace at {@code nowMillis}, with the conversas they hold,
     * now forgotten as offline. An empresa whose assignment is off keeps its atendentes' conversas: their entries
     * are forgotten too.
     */
    public List<Expired> expired(long nowMillis) {
        List<String> keys = new ArrayList<>();
        List<Expired> expired = new ArrayList<>();
        try (KeyValueIterator<String, String> offline = queue.prefixScan(OFFLINE, PREFIX)) {
            while (offline.hasNext()) {
                KeyValue<String, String> entry = offline.next();
                String rest = entry.key.substring(OFFLINE.length());
                int colon = rest.indexOf(':');
                int length = Integer.parseInt(rest.substring(0, colon));
                String empresaId = rest.substring(colon + 1, colon + 1 + length);
                String atendenteId = rest.substring(colon + 2 + length);
                EmpresaSettings.Assignment assignment = settings(empresaId).assignment();
                boolean due = nowMillis - Long.parseLong(entry.value) >= assignment.offlineGraceSeconds() * 1000L;
                if (!assignment.automatic() || due) {
                    keys.add(entry.key);
                }
                if (assignment.automatic() && due) {
                    expired.add(new Expired(empresaId, atendenteId, heldBy(prefix(empresaId), atendenteId)));
                }
            }
        }
        keys.forEach(queue::delete);
        return expired;
    }

    private List<String> heldBy(String empresa, String atendenteId) {
        List<String> conversaIds = new ArrayList<>();
        try (KeyValueIterator<String, String> held = queue.prefixScan(held(empresa, atendenteId), PREFIX)) {
            held.forEachRemaining(entry -> conversaIds.add(entry.value));
        }
        return conversaIds;
    }

    /** The prefix of the conversas an atendente holds: their id behind its length, as the empresa's. */
    private static String held(String empresa, String atendenteId) {
        return HELD + empresa + atendenteId.length() + ":" + atendenteId + "|";
    }

    /** The empresas marked for a drain since the last call, now unmarked. */
    public List<String> takeMarked() {
        List<String> taken = List.copyOf(marked);
        marked.clear();
        return taken;
    }

    /** The settings the empresa's conversas are assigned by: the defaults (off) when it wrote none. */
    public EmpresaSettings settings(String empresaId) {
        EmpresaSettings kept = settings.get(empresaId);
        return kept != null ? kept : EmpresaSettings.defaults(empresaId);
    }

    /**
     * The oldest waiting conversa of the empresa and the atendente to take it, or null when assignment is off, none
     * waits or nobody online and {@code disponivel} is below capacity. Queue entries of conversas that stopped
     * waiting without this book seeing it are dropped on the way ({@code conversas} tells).
     *
     * @param conversas the empresa's conversas, by id
     */
    public Decision next(String empresaId, Function<String, Conversa> conversas) {
        EmpresaSettings.Assignment assignment = settings(empresaId).assignment();
        if (!assignment.automatic()) {
            return null;
        }
        String empresa = prefix(empresaId);
        String conversaId = head(empresa, empresaId, conversas);
        if (conversaId == null) {
            return null;
        }
        String atendenteId = choose(empresa, assignment);
        return atendenteId == null ? null : new Decision(conversaId, atendenteId);
    }

    /** Remembers who the round robin handed the last conversa to. */
    public void handedTo(String empresaId, String atendenteId) {
        queue.put(prefix(empresaId) + ROUND_ROBIN_CURSOR, atendenteId);
    }

    /** The open conversas {@code atendenteId} holds in the empresa. */
    public int load(String empresaId, String atendenteId) {
        return loadAt(prefix(empresaId), atendenteId);
    }

    /** The empresa's waiting conversas, oldest first. */
    public List<String> waiting(String empresaId) {
        List<String> waiting = new ArrayList<>();
        try (KeyValueIterator<String, String> entries = queue.prefixScan(prefix(empresaId) + QUEUE, PREFIX)) {
            entries.forEachRemaining(entry -> waiting.add(entry.value));
        }
        return waiting;
    }

    private String head(String empresa, String empresaId, Function<String, Conversa> conversas) {
        List<String> stale = new ArrayList<>();
        String head = null;
        try (KeyValueIterator<String, String> entries = queue.prefixScan(empresa + QUEUE, PREFIX)) {
            while (head == null && entries.hasNext()) {
                KeyValue<String, String> entry = entries.next();
                Conversa conversa = conversas.apply(entry.value);
                if (conversa != null && empresaId.equals(conversa.empresaId()) && waiting(conversa)) {
                    head = entry.value;
                } else {
                    stale.add(entry.value);
                }
            }
        }
        stale.forEach(conversaId -> dequeue(empresa, conversaId));
        return head;
    }

    /**
     * The atendente to take the next conversa: online, {@code disponivel} and below capacity; by the round robin,
     * the first such after the last one served (in userId order); least loaded, the one holding the fewest, ties
     * going round in the same order.
     */
    private String choose(String empresa, EmpresaSettings.Assignment assignment) {
        String last = queue.get(empresa + ROUND_ROBIN_CURSOR);
        List<String> after = new ArrayList<>();
        List<String> before = new ArrayList<>();
        try (KeyValueIterator<String, String> users = online.prefixScan(empresa, PREFIX)) {
            while (users.hasNext()) {
                KeyValue<String, String> user = users.next();
                String userId = user.key.substring(empresa.length());
                if (PresenceStatus.DISPONIVEL.equals(user.value)
                        && loadAt(empresa, userId) < assignment.capacityOf(userId)) {
                    (last == null || userId.compareTo(last) > 0 ? after : before).add(userId);
                }
            }
        }
        List<String> rotation = new ArrayList<>(after.stream().sorted().toList());
        rotation.addAll(before.stream().sorted().toList());
        if (rotation.isEmpty()) {
            return null;
        }
        if (!EmpresaSettings.Assignment.LEAST_LOADED.equals(assignment.mode())) {
            return rotation.get(0);
        }
        String least = rotation.get(0);
        for (String userId : rotation) {
            if (loadAt(empresa, userId) < loadAt(empresa, least)) {
                least = userId;
            }
        }
        return least;
    }

    private int loadAt(String empresa, String userId) {
        Integer load = loads.get(empresa + userId);
        return load == null ? 0 : load;
    }

    private void addLoad(String empresa, String userId, int delta) {
        int next = Math.max(0, loadAt(empresa, userId) + delta);
        if (next == 0) {
            loads.delete(empresa + userId);
        } else {
            loads.put(empresa + userId, next);
        }
    }

    private void enqueue(String empresa, String conversaId) {
        if (queue.get(empresa + QUEUED + conversaId) != null) {
            return;
        }
        String counter = queue.get(empresa + NEXT_SEQUENCE);
        long sequence = counter == null ? 0 : Long.parseLong(counter);
        String position = String.format("%019d", sequence);
        queue.put(empresa + QUEUE + position, conversaId);
        queue.put(empresa + QUEUED + conversaId, position);
        queue.put(empresa + NEXT_SEQUENCE, Long.toString(sequence + 1));
    }

    private void dequeue(String empresa, String conversaId) {
        String position = queue.get(empresa + QUEUED + conversaId);
        if (position != null) {
            queue.delete(empresa + QUEUE + position);
            queue.delete(empresa + QUEUED + conversaId);
        }
    }

    /** Who holds the conversa: its atendente while it is open, else nobody. */
    private static String holder(Conversa conversa) {
        return conversa != null && conversa.status() != ConversaStatus.ENCERRADA ? conversa.atendenteId() : null;
    }

    private static boolean waiting(Conversa conversa) {
        return conversa != null && conversa.status() == ConversaStatus.AGUARDANDO && conversa.atendenteId() == null;
    }

    /** The empresa's key prefix: its id behind its length, so that no other empresa's keys start with it. */
    private static String prefix(String empresaId) {
        return empresaId.length() + ":" + empresaId + "|";
    }
}

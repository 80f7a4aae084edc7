package dev.chatcentral.system;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import tools.jackson.databind.JsonNode;

/**
 * An empresa's conversas as a supervisor following its {@code empresa:} channel saw them change, replayed in
 * position order (the order the conversa topology made the changes): who held what at every step, the queue of
 * waiting conversas in the order they started waiting, and each hand-out from it. Every rule automatic assignment
 * must keep is checked at each step, so a breach that lasted one event is caught even if a later one undid it.
 */
final class AssignmentLedger {

    /** A conversa handed from the queue to an atendente, at the position of the event that showed it. */
    record Assignment(String conversaId, String atendenteId, long position) {
    }

    /** A conversa taken from its atendente back to the queue (not closed). */
    record Returned(String conversaId, String fromAtendenteId, long position) {
    }

    private record State(long version, String status, String atendenteId) {

        boolean waiting() {
            return "aguardando".equals(status) && atendenteId == null;
        }

        /** Who holds it: its atendente while it is open (docs/assignment.md). */
        String holder() {
            return "encerrada".equals(status) ? null : atendenteId;
        }
    }

    private final List<String> arrivals = new ArrayList<>();
    private final Map<String, State> states = new HashMap<>();
    private final LinkedHashSet<String> queue = new LinkedHashSet<>();
    private final Map<String, LinkedHashSet<String>> held = new LinkedHashMap<>();
    private final List<Assignment> assignments = new ArrayList<>();
    private final List<Returned> returns = new ArrayList<>();
    private final Map<String, Integer> maxLoads = new HashMap<>();
    private final List<String> violations = new ArrayList<>();

    /**
     * @param frames          every frame a supervisor's session received
     * @param empresaId       the empresa whose channel is replayed
     * @param defaultCapacity the empresa's capacity per atendente
     * @param capacities      the capacities of the atendentes that have their own
     */
    static AssignmentLedger of(List<JsonNode> frames, String empresaId, int defaultCapacity,
                               Map<String, Integer> capacities) {
        AssignmentLedger ledger = new AssignmentLedger();
        String channel = "empresa:" + empresaId;
        Set<String> seen = new HashSet<>();
        frames.stream()
                .filter(f -> channel.equals(f.path("channel").asString()) && f.path("position").isIntegralNumber()
                        && f.path("data").path("conversa").isObject() && seen.add(f.path("id").asString()))
                .sorted(Comparator.comparingLong(f -> f.path("position").asLong()))
                .forEach(f -> ledger.apply(f, empresaId, defaultCapacity, capacities));
        return ledger;
    }

    private void apply(JsonNode frame, String empresaId, int defaultCapacity, Map<String, Integer> capacities) {
        long position = frame.path("position").asLong();
        JsonNode conversa = frame.path("data").path("conversa");
        String conversaId = conversa.path("conversaId").asString();
        if (!empresaId.equals(conversa.path("empresaId").asString())) {
            violations.add("@" + position + ": conversa " + conversaId + " of another empresa on " + empresaId
                    + "'s channel");
            return;
        }
        JsonNode atendente = conversa.path("atendenteId");
        State next = new State(conversa.path("version").asLong(), conversa.path("status").asString(),
                atendente.isString() ? atendente.asString() : null);
        State before = states.get(conversaId);
        if (before != null && next.version() <= before.version()) {
            // another event of a version already applied (a transfer and its conversation_updated, say)
            return;
        }
        states.put(conversaId, next);
        if (before == null) {
            arrivals.add(conversaId);
        }
        boolean waitedBefore = before != null && before.waiting();
        String heldBefore = before == null ? null : before.holder();
        String heldNow = next.holder();

        if (heldNow != null && !heldNow.equals(heldBefore)) {
            if (heldBefore != null) {
                violations.add("@" + position + ": conversa " + conversaId + " went from " + heldBefore + " to "
                        + heldNow + " without passing through the queue");
            } else if (!waitedBefore) {
                violations.add("@" + position + ": conversa " + conversaId + " given to " + heldNow
                        + " though it was not waiting");
            } else {
                String head = queue.iterator().next();
                if (!head.equals(conversaId)) {
                    violations.add("@" + position + ": conversa " + conversaId + " handed out while " + head
                            + " had waited longer (queue " + queue + ")");
                }
                assignments.add(new Assignment(conversaId, heldNow, position));
            }
        }
        if (heldBefore != null && !heldBefore.equals(heldNow)) {
            held.get(heldBefore).remove(conversaId);
            if (next.waiting()) {
                returns.add(new Returned(conversaId, heldBefore, position));
            }
        }
        if (heldNow != null && !heldNow.equals(heldBefore)) {
            LinkedHashSet<String> theirs = held.computeIfAbsent(heldNow, k -> new LinkedHashSet<>());
            theirs.add(conversaId);
            int capacity = capacities.getOrDefault(heldNow, defaultCapacity);
            maxLoads.merge(heldNow, theirs.size(), Math::max);
            if (theirs.size() > capacity) {
                violations.add("@" + position + ": " + heldNow + " holds " + theirs.size() + " open conversas "
                        + theirs + ", over their capacity of " + capacity);
            }
        }
        if (next.waiting() && !waitedBefore) {
            queue.add(conversaId);
        } else if (waitedBefore && !next.waiting()) {
            queue.remove(conversaId);
        }
    }

    /** Every conversa of the empresa, in the order it first appeared. */
    List<String> arrivals() {
        return List.copyOf(arrivals);
    }

    /** The conversas waiting now, longest waiting first. */
    List<String> waiting() {
        return List.copyOf(queue);
    }

    /** The open conversas the atendente holds now, in the order they got them. */
    List<String> heldBy(String atendenteId) {
        return List.copyOf(held.getOrDefault(atendenteId, new LinkedHashSet<>()));
    }

    List<Assignment> assignments() {
        return List.copyOf(assignments);
    }

    /** The conversas handed to {@code atendenteId} from the queue, in order (one may come back twice). */
    List<String> assignedTo(String atendenteId) {
        return assignments.stream().filter(a -> a.atendenteId().equals(atendenteId))
                .map(Assignment::conversaId).toList();
    }

    /** The atendentes a conversa was handed to from the queue, in order. */
    List<String> assigneesOf(String conversaId) {
        return assignments.stream().filter(a -> a.conversaId().equals(conversaId))
                .map(Assignment::atendenteId).toList();
    }

    List<Returned> returns() {
        return List.copyOf(returns);
    }

    /** The most open conversas each atendente ever held at once. */
    Map<String, Integer> maxLoads() {
        return Map.copyOf(maxLoads);
    }

    /** The conversa's status and atendente as the latest event told them, e.g. {@code em_atendimento/ana}. */
    String stateOf(String conversaId) {
        State state = states.get(conversaId);
        return state == null ? null : state.status() + "/" + Objects.requireNonNullElse(state.atendenteId(), "-");
    }

    /** Every broken rule, with the position where it broke. */
    List<String> violations() {
        return List.copyOf(violations);
    }

    @Override
    public String toString() {
        Map<String, List<String>> holding = new LinkedHashMap<>();
        held.forEach((atendente, theirs) -> holding.put(atendente, List.copyOf(theirs)));
        return "arrivals=" + arrivals.size() + " assignments=" + assignments + " returns=" + returns + " waiting="
                + queue + " held=" + holding + " violations=" + violations;
    }
}

package dev.chatcentral.gateway.delivery;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.chatcentral.gateway.auth.Agent;

/**
 * The places this node gives its sessions: at most so many in all, per empresa, and per user of an empresa, so one
 * tenant (or one user's tabs) cannot take the node from the others. One lock: a place is taken on each count or on
 * none, and taking one is a few map operations, rare next to the frames a session carries.
 */
final class SessionPlaces {

    private final int perNode;
    private final int perEmpresa;
    private final int perUser;
    private int taken;
    private final Map<String, Integer> byEmpresa = new HashMap<>();
    /** User ids are not scoped across empresas, so a user is counted within its empresa. */
    private final Map<User, Integer> byUser = new HashMap<>();

    SessionPlaces(SessionProperties limits) {
        this.perNode = limits.maxConnections();
        this.perEmpresa = limits.maxConnectionsPerEmpresa();
        this.perUser = limits.maxConnectionsPerUser();
    }

    /** Takes a place for the agent's new session; the refusal when a limit is reached. */
    synchronized Optional<ConnectionRefusal> take(Agent agent) {
        User user = new User(agent.empresaId(), agent.userId());
        if (taken >= perNode) {
            return Optional.of(ConnectionRefusal.nodeFull(perNode));
        }
        if (byUser.getOrDefault(user, 0) >= perUser) {
            return Optional.of(ConnectionRefusal.userFull(perUser));
        }
        if (byEmpresa.getOrDefault(agent.empresaId(), 0) >= perEmpresa) {
            return Optional.of(ConnectionRefusal.empresaFull(perEmpresa));
        }
        taken++;
        byUser.merge(user, 1, Integer::sum);
        byEmpresa.merge(agent.empresaId(), 1, Integer::sum);
        return Optional.empty();
    }

    /** Gives back a place taken for the agent; a count that reaches zero is dropped, so the maps hold who is here. */
    synchronized void giveBack(Agent agent) {
        taken--;
        byUser.computeIfPresent(new User(agent.empresaId(), agent.userId()), SessionPlaces::decrement);
        byEmpresa.computeIfPresent(agent.empresaId(), SessionPlaces::decrement);
    }

    private static Integer decrement(Object key, Integer count) {
        return count > 1 ? count - 1 : null;
    }

    private record User(String empresaId, String userId) {
    }
}

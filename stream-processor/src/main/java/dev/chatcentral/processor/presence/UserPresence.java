package dev.chatcentral.processor.presence;

import java.time.Instant;
import java.util.List;

/**
 * A user who is online, in the users store under {@code empresa|user}. A user with no open session stays here,
 * still online, until {@code graceUntil}: a reload or reconnect before then keeps them online without an event.
 *
 * @param since      when they came online
 * @param graceUntil wall-clock millis at which they go offline unless a session opens; null while one is open
 * @param roles      as their latest session's opening named them, null when it named none
 */
public record UserPresence(String empresaId, String userId, String name, String status, Instant since,
                           Long graceUntil, List<String> roles) {

    UserPresence withName(String newName) {
        return new UserPresence(empresaId, userId, newName, status, since, graceUntil, roles);
    }

    UserPresence withStatus(String newStatus) {
        return new UserPresence(empresaId, userId, name, newStatus, since, graceUntil, roles);
    }

    UserPresence withGraceUntil(Long deadline) {
        return new UserPresence(empresaId, userId, name, status, since, deadline, roles);
    }

    UserPresence withRoles(List<String> newRoles) {
        return new UserPresence(empresaId, userId, name, status, since, graceUntil, newRoles);
    }
}

package dev.chatcentral.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.chatcentral.gateway.auth.Agent;
import dev.chatcentral.gateway.auth.Role;

class ReplayQueueTest {

    private final ReplayQueue queue = new ReplayQueue(2);

    @Test
    void shouldGiveTurnsRoundRobinAcrossEmpresas() {
        ClientSession a1 = session("emp-a");
        ClientSession a2 = session("emp-a");
        ClientSession b1 = session("emp-b");
        ClientSession c1 = session("emp-c");
        for (ClientSession session : List.of(a1, a2, b1, c1)) {
            assertThat(queue.offer(replay(session, "empresa:x"))).isEqualTo(ReplayQueue.Admission.QUEUED);
        }

        List<ClientSession> turns = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ReplayQueue.Turn turn = queue.next();
            turns.add(turn.session());
            assertThat(queue.finished(turn.session())).isFalse();
        }

        assertThat(turns).containsExactly(a1, b1, c1, a2);
    }

    @Test
    void shouldRunResumesThatArriveWhileTheSessionWaitsOrRunsInItsNextTurn() {
        ClientSession session = session("emp-a");
        Replay first = replay(session, "empresa:emp-a");
        Replay second = replay(session, "presence:emp-a");
        Replay third = replay(session, "atendente:u-1");

        assertThat(queue.offer(first)).isEqualTo(ReplayQueue.Admission.QUEUED);
        assertThat(queue.offer(second)).isEqualTo(ReplayQueue.Admission.JOINED);
        assertThat(queue.next().replays()).containsExactly(first, second);
        assertThat(queue.offer(third)).isEqualTo(ReplayQueue.Admission.JOINED);
        assertThat(queue.finished(session)).isTrue();
        assertThat(queue.next().replays()).containsExactly(third);
        assertThat(queue.finished(session)).isFalse();

        assertThat(queue.offer(replay(session, "empresa:emp-a"))).isEqualTo(ReplayQueue.Admission.QUEUED);
    }

    @Test
    void shouldRefuseSessionsBeyondTheEmpresasLimitOnly() {
        ClientSession a1 = session("emp-a");
        queue.offer(replay(a1, "empresa:emp-a"));
        queue.offer(replay(session("emp-a"), "empresa:emp-a"));

        assertThat(queue.offer(replay(session("emp-a"), "empresa:emp-a"))).isEqualTo(ReplayQueue.Admission.REFUSED);
        assertThat(queue.offer(replay(session("emp-b"), "empresa:emp-b"))).isEqualTo(ReplayQueue.Admission.QUEUED);
        assertThat(queue.offer(replay(a1, "presence:emp-a"))).isEqualTo(ReplayQueue.Admission.JOINED);
        // a session whose turn came leaves the empresa's waiting room
        queue.next();
        assertThat(queue.offer(replay(session("emp-a"), "empresa:emp-a"))).isEqualTo(ReplayQueue.Admission.QUEUED);
    }

    @Test
    void shouldDropReplaysWhoseChannelsWereSubscribedAnew() {
        ClientSession session = session("emp-a");
        Replay replaced = replay(session, "empresa:emp-a");
        queue.offer(replaced);
        for (int i = 0; i < 100; i++) {
            replaced.subscriptions.values().forEach(subscription -> subscription.cancelled = true);
            replaced = replay(session, "empresa:emp-a");
            queue.offer(replaced);
        }

        assertThat(queue.next().replays()).containsExactly(replaced);
    }

    private static ClientSession session(String empresaId) {
        return new ClientSession(Transport.WEBSOCKET, new Agent("u-1", empresaId, Set.of(Role.ATENDENTE), null,
                Instant.now().plusSeconds(600)), null, null, 1024, null);
    }

    private static Replay replay(ClientSession session, String channel) {
        Replay replay = new Replay(session, 0, 10L, 20, null);
        replay.subscriptions.put(channel, new Subscription(session, channel, 10, replay));
        return replay;
    }
}

package dev.chatcentral.localstack.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class RestartPolicyTest {

    private static final Instant T0 = Instant.parse("2026-01-10T12:00:00Z");
    private static final Duration QUICK = Duration.ofSeconds(3);

    @Test
    void shouldDoubleTheDelayAfterEachQuickDeathUpToThirtySeconds() {
        RestartPolicy policy = new RestartPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(1),
                100, Duration.ofMinutes(5));

        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            delays.add(policy.afterDeath(T0.plusSeconds(10L * i), QUICK).orElseThrow());
        }

        assertThat(delays).extracting(Duration::toSeconds).containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L);
    }

    @Test
    void shouldStartOverAtOneSecondAfterAStableRun() {
        RestartPolicy policy = RestartPolicy.standard();
        policy.afterDeath(T0, QUICK);
        policy.afterDeath(T0.plusSeconds(5), QUICK);
        assertThat(policy.afterDeath(T0.plusSeconds(15), QUICK)).contains(Duration.ofSeconds(4));

        Optional<Duration> afterStableRun = policy.afterDeath(T0.plusSeconds(90), Duration.ofSeconds(70));

        assertThat(afterStableRun).contains(Duration.ofSeconds(1));
    }

    @Test
    void shouldLeaveAChildStoppedAtItsFifthDeathWithinFiveMinutes() {
        RestartPolicy policy = RestartPolicy.standard();
        for (int i = 0; i < 4; i++) {
            assertThat(policy.afterDeath(T0.plusSeconds(30L * i), QUICK)).isPresent();
        }

        assertThat(policy.afterDeath(T0.plusSeconds(130), Duration.ofSeconds(70))).isEmpty();
        assertThat(policy.recentDeaths()).isEqualTo(5);
    }

    @Test
    void shouldForgetDeathsOlderThanTheWindow() {
        RestartPolicy policy = RestartPolicy.standard();
        for (int i = 0; i < 4; i++) {
            policy.afterDeath(T0.plusSeconds(60L * i), Duration.ofSeconds(50));
        }

        Optional<Duration> fifth = policy.afterDeath(T0.plusSeconds(300), Duration.ofSeconds(50));

        assertThat(fifth).isPresent();
        assertThat(policy.recentDeaths()).isEqualTo(4);
    }
}

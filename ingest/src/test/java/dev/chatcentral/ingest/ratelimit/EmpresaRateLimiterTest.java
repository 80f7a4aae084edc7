package dev.chatcentral.ingest.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.chatcentral.ingest.IngestProperties;

class EmpresaRateLimiterTest {

    private final AtomicLong now = new AtomicLong(5_000_000_000L);

    @Test
    void shouldRefuseTheWebhookPastTheLimitAndGrantAgainInTheNextSecond() {
        EmpresaRateLimiter limiter = new EmpresaRateLimiter(3, now::get);

        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryAcquire("emp-a")).isTrue();
        }
        assertThat(limiter.tryAcquire("emp-a")).isFalse();
        now.addAndGet(999_999_999L);
        assertThat(limiter.tryAcquire("emp-a")).as("still the same second").isFalse();
        now.addAndGet(1L);
        assertThat(limiter.tryAcquire("emp-a")).isTrue();
    }

    @Test
    void shouldKeepEachEmpresasBudgetItsOwn() {
        EmpresaRateLimiter limiter = new EmpresaRateLimiter(1, now::get);

        assertThat(limiter.tryAcquire("emp-a")).isTrue();
        assertThat(limiter.tryAcquire("emp-a")).isFalse();
        assertThat(limiter.tryAcquire("emp-b")).as("the next tenant's webhook").isTrue();
    }

    @Test
    void shouldStartAFreshBudgetAfterSecondsWithoutWebhooks() {
        EmpresaRateLimiter limiter = new EmpresaRateLimiter(2, now::get);
        limiter.tryAcquire("emp-a");
        limiter.tryAcquire("emp-a");

        now.addAndGet(3_600_000_000_000L);

        assertThat(limiter.tryAcquire("emp-a")).isTrue();
        assertThat(limiter.tryAcquire("emp-a")).isTrue();
        assertThat(limiter.tryAcquire("emp-a")).isFalse();
    }

    @Test
    void shouldGrantExactlyTheLimitToManyThreadsRacingForOneEmpresa() throws Exception {
        EmpresaRateLimiter limiter = new EmpresaRateLimiter(10_000, now::get);
        AtomicInteger granted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 2_000; i++) {
                    if (limiter.tryAcquire("emp-a")) {
                        granted.incrementAndGet();
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(granted).hasValue(10_000);
    }

    @Test
    void shouldRefuseALimitOutsideOneToTenMillionNamingTheVariable() {
        for (int hostile : new int[] {0, -1, 10_000_001, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            assertThatThrownBy(() -> new IngestProperties.RateLimit(hostile))
                    .as("limit %d", hostile)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("INGEST_RATE_LIMIT_PER_EMPRESA")
                    .hasMessageContaining(Integer.toString(hostile));
        }
        assertThat(new IngestProperties.RateLimit(10_000_000).requestsPerSecond()).isEqualTo(10_000_000);
        assertThat(new IngestProperties.RateLimit(1).requestsPerSecond()).isEqualTo(1);
    }
}

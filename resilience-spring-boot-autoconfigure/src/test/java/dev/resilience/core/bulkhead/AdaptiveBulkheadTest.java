package dev.resilience.core.bulkhead;

import dev.resilience.core.AsyncCall;
import dev.resilience.core.BulkheadFullException;
import dev.resilience.core.Call;
import dev.resilience.core.ManualTicker;
import dev.resilience.core.RateLimitExceededException;
import dev.resilience.core.TimeoutExceededException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The adaptive bulkhead on a manual ticker: exact refusals at the limit, and Netflix's algorithms moving the limit
 * from the round-trip times the ticker gives (Gradient2: one sample at a steady latency, when at least half the
 * limit is in flight, adds 0.8; AIMD: a drop multiplies by 0.9, a sample at half the limit in flight adds 1).
 */
class AdaptiveBulkheadTest {

    private static final Duration FAST = Duration.ofMillis(10);
    private static final Duration SLOW = Duration.ofMillis(50);

    private final ManualTicker ticker = new ManualTicker();

    private AdaptiveBulkhead bulkhead(BulkheadConfig.LimitAlgorithm algorithm, int initial, int min, int max) {
        return new AdaptiveBulkhead("partner", BulkheadConfig.builder().type(BulkheadConfig.Type.ADAPTIVE)
                .limitAlgorithm(algorithm).initialLimit(initial).minLimit(min).maxLimit(max).build(), ticker);
    }

    /** Lets in as many calls as the limit admits (at most {@code calls}), waits {@code rtt}, ends them all answered. */
    private int round(AdaptiveBulkhead bulkhead, int calls, Duration rtt) {
        List<AdaptiveBulkhead.Permit> permits = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            AdaptiveBulkhead.Permit permit = bulkhead.tryAcquirePermission();
            if (permit != null) {
                permits.add(permit);
            }
        }
        ticker.advance(rtt);
        permits.forEach(AdaptiveBulkhead.Permit::onSuccess);
        return permits.size();
    }

    @Test
    void letsInExactlyTheLimitAndRefusesTheNextAtOnce() throws Throwable {
        AdaptiveBulkhead bulkhead = bulkhead(BulkheadConfig.LimitAlgorithm.GRADIENT2, 3, 1, 10);
        CountingListener listener = new CountingListener();
        bulkhead.addListener(listener);
        List<AdaptiveBulkhead.Permit> permits = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            permits.add(bulkhead.acquirePermission());
        }
        assertThat(bulkhead.getAvailableConcurrentCalls()).isZero();

        Call<Object> call = bulkhead.decorate(context -> "never");
        assertThatThrownBy(() -> call.invoke(null)).isInstanceOf(BulkheadFullException.class)
                .hasMessageContaining("'partner'").hasMessageContaining("adaptive limit");
        assertThat(bulkhead.tryAcquirePermission()).isNull();
        assertThat(bulkhead.getMetrics()).isEqualTo(new BulkheadMetrics(3, 2, 0, 3));

        permits.get(0).onIgnore();
        permits.get(0).onSuccess(); // a second end does nothing
        assertThat(call.invoke(null)).isEqualTo("never");
        assertThat(bulkhead.getAdaptiveMetrics()).isEqualTo(new AdaptiveBulkheadMetrics(4, 2, 1, 3, 3, 2, 0, 1));
        assertThat(listener.permitted).hasValue(4);
        assertThat(listener.rejected).hasValue(2);
        assertThat(listener.finished).hasValue(2);
    }

    @Test
    void gradient2RaisesTheLimitWhileBusyAtASteadyLatency() {
        AdaptiveBulkhead bulkhead = bulkhead(BulkheadConfig.LimitAlgorithm.GRADIENT2, 20, 1, 200);

        assertThat(round(bulkhead, 25, FAST)).isEqualTo(20);

        // the calls that started with 10 to 20 in flight (at least half the limit) each add 0.8: 20 + 11 × 0.8
        assertThat(bulkhead.getLimit()).isEqualTo(28);
    }

    @Test
    void gradient2HoldsTheLimitWhenFewerThanHalfOfItAreInFlight() {
        AdaptiveBulkhead bulkhead = bulkhead(BulkheadConfig.LimitAlgorithm.GRADIENT2, 20, 1, 200);
        for (int i = 0; i < 50; i++) {
            round(bulkhead, 9, i % 2 == 0 ? FAST : SLOW);
        }
        assertThat(bulkhead.getLimit()).isEqualTo(20);
    }

    @Test
    void gradient2LowersTheLimitWhenTheLatencyGrowsAndRaisesItAgainWhenItFalls() {
        AdaptiveBulkhead bulkhead = bulkhead(BulkheadConfig.LimitAlgorithm.GRADIENT2, 20, 1, 200);
        for (int i = 0; i < 10; i++) {
            round(bulkhead, 200, FAST);
        }
        int healthy = bulkhead.getLimit();
        assertThat(healthy).isGreaterThan(60);

        round(bulkhead, 200, SLOW.multipliedBy(4));
        int slowed = bulkhead.getLimit();
        assertThat(slowed).isLessThan(healthy / 2);

        for (int i = 0; i < 10; i++) {
            round(bulkhead, 200, FAST);
        }
        assertThat(bulkhead.getLimit()).isGreaterThan(slowed * 2);
    }

    @Test
    void theLimitStaysBetweenMinAndMaxWhateverTheLatency() {
        for (BulkheadConfig.LimitAlgorithm algorithm : BulkheadConfig.LimitAlgorithm.values()) {
            AdaptiveBulkhead bulkhead = bulkhead(algorithm, 10, 5, 30);
            List<Integer> limits = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                round(bulkhead, 40, FAST);
                limits.add(bulkhead.getLimit());
            }
            assertThat(limits).as("%s while fast", algorithm).allSatisfy(l -> assertThat(l).isBetween(5, 30))
                    .contains(30);
            // ever slower calls, each a drop: Gradient2 follows the latency's growth (it takes no notice of drops),
            // Vegas and AIMD the drops
            for (int i = 0; i < 30; i++) {
                List<AdaptiveBulkhead.Permit> permits = new ArrayList<>();
                AdaptiveBulkhead.Permit permit;
                while ((permit = bulkhead.tryAcquirePermission()) != null) {
                    permits.add(permit);
                }
                assertThat(permits).as("%s admits exactly its limit", algorithm).hasSize(bulkhead.getLimit());
                ticker.advance(FAST.multipliedBy(1L << i));
                permits.forEach(AdaptiveBulkhead.Permit::onDropped);
                limits.add(bulkhead.getLimit());
            }
            assertThat(limits).as("%s while timing out", algorithm).allSatisfy(l -> assertThat(l).isBetween(5, 30));
            // Gradient2 never goes below twice its queue size (4, Netflix's default) of its own: 0.5 × L + 4 = L
            assertThat(bulkhead.getLimit()).as(algorithm.name())
                    .isEqualTo(algorithm == BulkheadConfig.LimitAlgorithm.GRADIENT2 ? 8 : 5);
        }
    }

    @Test
    void aimdTakesOneTenthOffOnADropAndAddsOneOnASampleAtHalfTheLimit() {
        AdaptiveBulkhead bulkhead = bulkhead(BulkheadConfig.LimitAlgorithm.AIMD, 10, 1, 200);

        bulkhead.acquirePermission().onDropped();
        assertThat(bulkhead.getLimit()).isEqualTo(9);
        bulkhead.acquirePermission().onDropped();
        assertThat(bulkhead.getLimit()).isEqualTo(8); // 8.1, rounded down

        bulkhead.acquirePermission().onSuccess(); // 1 in flight: less than half of 8, no change
        assertThat(bulkhead.getLimit()).isEqualTo(8);
        List<AdaptiveBulkhead.Permit> permits = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            permits.add(bulkhead.acquirePermission());
        }
        ticker.advance(FAST);
        permits.get(3).onSuccess(); // started with 4 in flight: half of 8
        assertThat(bulkhead.getLimit()).isEqualTo(9);
        permits.get(0).onIgnore(); // no sample
        assertThat(bulkhead.getLimit()).isEqualTo(9);
    }

    @Test
    void vegasIsHeldAtMinLimitFromBelow() {
        AdaptiveBulkhead bulkhead = bulkhead(BulkheadConfig.LimitAlgorithm.VEGAS, 10, 4, 50);
        for (int i = 0; i < 100; i++) {
            bulkhead.acquirePermission().onDropped();
        }
        assertThat(bulkhead.getLimit()).isEqualTo(4);
        assertThat(bulkhead.getAdaptiveMetrics().droppedCalls()).isEqualTo(100);
    }

    @Test
    void aSynchronousCallSamplesAnAnswerDropsATimeoutAndIgnoresOtherFailures() throws Throwable {
        AdaptiveBulkhead bulkhead = bulkhead(BulkheadConfig.LimitAlgorithm.AIMD, 10, 1, 200);
        Call<Object> answers = bulkhead.decorate(context -> "ok");
        Call<Object> timesOut = bulkhead.decorate(context -> {
            throw new SocketTimeoutException("read timed out");
        });
        Call<Object> fails = bulkhead.decorate(context -> {
            throw new IOException("connection refused");
        });
        Call<Object> backPressure = bulkhead.decorate(context -> {
            throw new RateLimitExceededException("inner", Duration.ofSeconds(1));
        });

        assertThat(answers.invoke(null)).isEqualTo("ok");
        assertThatThrownBy(() -> fails.invoke(null)).hasMessage("connection refused");
        assertThatThrownBy(() -> backPressure.invoke(null)).isInstanceOf(RateLimitExceededException.class);
        assertThat(bulkhead.getLimit()).isEqualTo(10);
        assertThatThrownBy(() -> timesOut.invoke(null)).isInstanceOf(SocketTimeoutException.class);
        assertThat(bulkhead.getLimit()).isEqualTo(9);

        Thread.currentThread().interrupt(); // as a synchronous @Timeout interrupts the caller at its deadline
        try {
            assertThat(answers.invoke(null)).isEqualTo("ok");
        } finally {
            assertThat(Thread.interrupted()).isTrue();
        }
        assertThat(bulkhead.getLimit()).isEqualTo(8);
        assertThat(bulkhead.getAdaptiveMetrics()).extracting(AdaptiveBulkheadMetrics::inFlightCalls,
                AdaptiveBulkheadMetrics::droppedCalls, AdaptiveBulkheadMetrics::ignoredCalls).containsExactly(0, 2L, 2L);
    }

    @Test
    void anAsynchronousCallHoldsItsPlaceUntilItsStageCompletesAndIsADropWhenGivenUpFromOutside() throws Throwable {
        AdaptiveBulkhead bulkhead = bulkhead(BulkheadConfig.LimitAlgorithm.AIMD, 2, 1, 200);
        CompletableFuture<Object> first = new CompletableFuture<>();
        CompletableFuture<Object> second = new CompletableFuture<>();
        List<CompletableFuture<Object>> stages = new ArrayList<>(List.of(first, second));
        AsyncCall<Object> call = bulkhead.decorateAsync(context -> stages.remove(0));

        CompletionStage<Object> one = call.invoke(null);
        CompletionStage<Object> two = call.invoke(null);
        assertThat(bulkhead.getInFlightCalls()).isEqualTo(2);
        assertThat(call.invoke(null).toCompletableFuture()).isCompletedExceptionally();

        ticker.advance(FAST);
        first.complete("answer");
        assertThat(one.toCompletableFuture()).isCompletedWithValue("answer");
        assertThat(bulkhead.getLimit()).as("started with 1 of 2 in flight: +1").isEqualTo(3);

        // a timeout around the bulkhead gives the call up: a drop, and the place is free again at once
        two.toCompletableFuture().completeExceptionally(new TimeoutExceededException("partner", FAST));
        assertThat(bulkhead.getInFlightCalls()).isZero();
        assertThat(bulkhead.getLimit()).isEqualTo(2); // 3 × 0.9, rounded down
        assertThat(second).as("abandoned, not cancelled").isNotDone();
        second.complete("late");
        assertThat(bulkhead.getAdaptiveMetrics().droppedCalls()).isEqualTo(1);

        assertThat(bulkhead.decorateAsync(context -> CompletableFuture.completedFuture("cached")).invoke(null)
                .toCompletableFuture()).isCompletedWithValue("cached");
        assertThat(bulkhead.decorateAsync(context -> null).invoke(null).toCompletableFuture())
                .isCompletedExceptionally();
        assertThat(bulkhead.getInFlightCalls()).isZero();
        assertThat(bulkhead.getAdaptiveMetrics().ignoredCalls()).isEqualTo(1);
    }

    @Test
    void aNonAdaptiveConfigIsRefused() {
        assertThatThrownBy(() -> new AdaptiveBulkhead("partner", BulkheadConfig.ofDefaults(), ticker))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SEMAPHORE");
    }
}

package dev.resilience.core.retry;

import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.ManualTicker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The budget's token bucket alone, on a manual clock: exact numbers. */
class RetryBudgetTest {

    private final ManualTicker ticker = new ManualTicker();

    private RetryBudget budget(double ratio, int minRetriesPerSecond) {
        return new RetryBudget(new RetryConfig.Budget(ratio, minRetriesPerSecond), ticker);
    }

    private static int drain(RetryBudget budget) {
        int granted = 0;
        while (budget.tryAcquire()) {
            granted++;
        }
        return granted;
    }

    private static void deposit(RetryBudget budget, int calls) {
        for (int i = 0; i < calls; i++) {
            budget.deposit();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 9, 10, 11, 19, 20, 99, 100, 101, 555, 999, 1000})
    void afterNCallsExactlyFloorOfNTimesTheRatioPlusTheReserveAreAllowed(int calls) {
        RetryBudget budget = budget(0.1, 10);
        deposit(budget, calls);

        assertThat(drain(budget)).isEqualTo(calls / 10 + 10);
        assertThat(budget.tryAcquire()).isFalse();
    }

    @Test
    void aRatioIsExactToTheMillionth() {
        RetryBudget budget = budget(0.25, 0);
        deposit(budget, 7);
        assertThat(drain(budget)).isEqualTo(1);
        assertThat(budget.availableRetries()).isEqualTo(0.75);
        budget.deposit();
        assertThat(drain(budget)).isEqualTo(1);
        assertThat(budget.availableRetries()).isZero();
    }

    @Test
    void withoutCallsOrReserveNothingIsAllowed() {
        assertThat(budget(0.1, 0).tryAcquire()).isFalse();
    }

    @Test
    void theReserveIsFullAtCreationAndRefillsAtItsRate() {
        RetryBudget budget = budget(0.1, 10);
        assertThat(drain(budget)).isEqualTo(10);

        // one every 100 ms
        ticker.advance(Duration.ofMillis(99));
        assertThat(budget.tryAcquire()).isFalse();
        ticker.advance(Duration.ofMillis(1));
        assertThat(budget.tryAcquire()).isTrue();
        assertThat(budget.tryAcquire()).isFalse();

        ticker.advance(Duration.ofMillis(350));
        assertThat(budget.availableRetries()).isEqualTo(3);
        assertThat(drain(budget)).isEqualTo(3);
        // the half interval left over is kept
        ticker.advance(Duration.ofMillis(50));
        assertThat(drain(budget)).isEqualTo(1);
    }

    @Test
    void aLongQuietPeriodBanksOneSecondOfTheReserveAtMost() {
        RetryBudget budget = budget(0.1, 10);
        drain(budget);

        ticker.advance(Duration.ofHours(5));

        assertThat(budget.availableRetries()).isEqualTo(10);
        assertThat(drain(budget)).isEqualTo(10);
    }

    @Test
    void theDepositsAreCappedAtWhatAThousandCallsDeposit() {
        RetryBudget budget = budget(0.1, 0);
        deposit(budget, 1_000_000);

        assertThat(budget.availableRetries()).isEqualTo(100);
        assertThat(drain(budget)).isEqualTo(100);

        // below the cap again, deposits count again
        deposit(budget, 30);
        assertThat(drain(budget)).isEqualTo(3);
    }

    @Test
    void aReserveThatDoesNotDivideASecondRoundsItsIntervalUp() {
        RetryBudget budget = budget(0.1, 3);
        drain(budget);

        ticker.advance(Duration.ofNanos(333_333_333));
        assertThat(budget.tryAcquire()).isFalse();
        ticker.advance(Duration.ofNanos(1));
        assertThat(budget.tryAcquire()).isTrue();
    }

    @Test
    void theReserveWorksAnywhereInTheTickersRange() {
        ManualTicker nearTheEnd = new ManualTicker();
        nearTheEnd.advance(Duration.ofNanos(Long.MAX_VALUE - 1_000_000_000L - 50_000_000L));
        RetryBudget budget = new RetryBudget(new RetryConfig.Budget(0.5, 10), nearTheEnd);
        assertThat(drain(budget)).isEqualTo(10);

        // the ticker wraps past Long.MAX_VALUE
        nearTheEnd.advance(Duration.ofMillis(200));
        assertThat(drain(budget)).isEqualTo(2);
    }

    @Test
    void manyThreadsNeverOverdrawAndNothingIsLost() throws Exception {
        // no reserve and below the cap: every granted retry is one retry's worth of deposits taken
        RetryBudget budget = budget(0.1, 0);
        int threads = 8;
        int callsPerThread = 1_200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> grants = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                grants.add(pool.submit(() -> {
                    start.await();
                    int granted = 0;
                    for (int i = 0; i < callsPerThread; i++) {
                        budget.deposit();
                        if (budget.tryAcquire()) {
                            granted++;
                        }
                        assertThat(budget.depositedUnits()).isNotNegative();
                    }
                    return granted;
                }));
            }
            start.countDown();
            int granted = 0;
            for (Future<Integer> grant : grants) {
                granted += grant.get(30, TimeUnit.SECONDS);
            }
            long deposited = (long) threads * callsPerThread * 100_000L;
            assertThat(granted * RetryBudget.UNITS_PER_RETRY + budget.depositedUnits()).isEqualTo(deposited);
            assertThat(budget.depositedUnits()).isBetween(0L, RetryBudget.UNITS_PER_RETRY - 1);
            assertThat(granted).isEqualTo(threads * callsPerThread / 10);
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void manyThreadsShareTheReserveExactly() throws Exception {
        RetryBudget budget = budget(0.1, 1000);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> grants = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                grants.add(pool.submit(() -> {
                    start.await();
                    int granted = 0;
                    for (int i = 0; i < 500; i++) {
                        if (budget.tryAcquire()) {
                            granted++;
                        }
                    }
                    return granted;
                }));
            }
            start.countDown();
            int granted = 0;
            for (Future<Integer> grant : grants) {
                granted += grant.get(30, TimeUnit.SECONDS);
            }
            assertThat(granted).isEqualTo(1000);
            assertThat(budget.availableRetries()).isZero();
        }
        finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -0.1, 0.0009, 1.0001, 2, Double.NaN, Double.POSITIVE_INFINITY})
    void aRatioOutsideItsRangeIsRefusedNamingTheKey(double ratio) {
        assertThatThrownBy(() -> new RetryConfig.Budget(ratio, 10))
                .isInstanceOfSatisfying(InvalidConfigException.class,
                        ex -> assertThat(ex.getKey()).isEqualTo("budget.ratio"));
    }

    @Test
    void theRangeOfTheRatioIncludesItsEnds() {
        assertThat(new RetryConfig.Budget(0.001, 0).ratio()).isEqualTo(0.001);
        assertThat(new RetryConfig.Budget(1, 0).ratio()).isEqualTo(1);
        RetryBudget smallest = budget(0.001, 0);
        deposit(smallest, 5_000);
        assertThat(drain(smallest)).isEqualTo(1);
    }

    @Test
    void aNegativeReserveIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> new RetryConfig.Budget(0.1, -1))
                .isInstanceOfSatisfying(InvalidConfigException.class,
                        ex -> assertThat(ex.getKey()).isEqualTo("budget.min-retries-per-second"));
    }
}

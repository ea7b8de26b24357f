package dev.resilience.core.retry;

import dev.resilience.core.ManualScheduler;
import dev.resilience.core.ManualTicker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.function.DoubleSupplier;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryBackoffTest {

    private static final long MS = 1_000_000L;
    private static final double JUST_BELOW_ONE = Math.nextDown(1.0);

    private static Retry retry(RetryConfig.Builder config, DoubleSupplier random) {
        return new Retry("backoff", config.build(), new ManualScheduler(new ManualTicker()), new RecordingSleeper(),
                random);
    }

    private static Retry retry(RetryConfig.Builder config) {
        return retry(config, () -> {
            throw new AssertionError("no random number expected");
        });
    }

    private static long[] waits(Retry retry, int retries) {
        return IntStream.rangeClosed(1, retries).mapToLong(retry::waitNanosBeforeRetry).toArray();
    }

    @Test
    void fixedWaitIsTheSameBeforeEveryRetry() {
        Retry retry = retry(RetryConfig.builder().waitDuration(Duration.ofMillis(100)));

        assertThat(waits(retry, 4)).containsExactly(100 * MS, 100 * MS, 100 * MS, 100 * MS);
    }

    @Test
    void defaultWaitIsHalfASecond() {
        assertThat(retry(RetryConfig.builder()).waitNanosBeforeRetry(1)).isEqualTo(500 * MS);
    }

    @Test
    void exponentialWaitMultipliesByResilience4jsDefaultFromTheSecondRetryOnRoundingEachStepDownToTheMillisecond() {
        Retry retry = retry(RetryConfig.builder().waitDuration(Duration.ofMillis(100)).enableExponentialBackoff(true));

        // 100 × 1.5 = 150, × 1.5 = 225, × 1.5 = 337.5 → 337, × 1.5 = 505.5 → 505, as Resilience4j computes them
        assertThat(waits(retry, 5)).containsExactly(100 * MS, 150 * MS, 225 * MS, 337 * MS, 505 * MS);
    }

    @Test
    void exponentialWaitUsesTheConfiguredMultiplier() {
        Retry retry = retry(RetryConfig.builder().waitDuration(Duration.ofMillis(100)).enableExponentialBackoff(true)
                .exponentialBackoffMultiplier(2));

        assertThat(waits(retry, 3)).containsExactly(100 * MS, 200 * MS, 400 * MS);
    }

    @Test
    void aMultiplierBelowOneShrinksTheWaits() {
        Retry retry = retry(RetryConfig.builder().waitDuration(Duration.ofMillis(100)).enableExponentialBackoff(true)
                .exponentialBackoffMultiplier(0.5));

        assertThat(waits(retry, 4)).containsExactly(100 * MS, 50 * MS, 25 * MS, 12 * MS);
    }

    @Test
    void aSubMillisecondWaitIsMultipliedInNanosecondsNotTruncated() {
        Retry retry = retry(RetryConfig.builder().waitDuration(Duration.ofNanos(1_500_001)).enableExponentialBackoff(true)
                .exponentialBackoffMultiplier(1.5));

        assertThat(waits(retry, 3)).containsExactly(1_500_001L, 2_250_001L, 3_375_001L);
    }

    @Test
    void exponentialWaitIsCappedByTheMaxWait() {
        Retry retry = retry(RetryConfig.builder().waitDuration(Duration.ofMillis(100)).enableExponentialBackoff(true)
                .exponentialMaxWaitDuration(Duration.ofMillis(300)));

        assertThat(waits(retry, 5)).containsExactly(100 * MS, 150 * MS, 225 * MS, 300 * MS, 300 * MS);
    }

    @Test
    void maxWaitDoesNotApplyWithoutExponentialBackoff() {
        Retry retry = retry(RetryConfig.builder().waitDuration(Duration.ofMillis(500))
                .exponentialMaxWaitDuration(Duration.ofMillis(300)));

        assertThat(retry.waitNanosBeforeRetry(3)).isEqualTo(500 * MS);
    }

    @Test
    void randomizedWaitAtZeroIsTheLowerBound() {
        Retry retry = retry(RetryConfig.builder().waitDuration(Duration.ofMillis(100)).enableRandomizedWait(true)
                .randomizedWaitFactor(0.5), () -> 0.0);

        assertThat(waits(retry, 3)).containsExactly(50 * MS, 50 * MS, 50 * MS);
    }

    @Test
    void randomizedWaitJustBelowOneReachesTheUpperBound() {
        Retry retry = retry(RetryConfig.builder().waitDuration(Duration.ofMillis(100)).enableRandomizedWait(true)
                .randomizedWaitFactor(0.5), () -> JUST_BELOW_ONE);

        assertThat(retry.waitNanosBeforeRetry(1)).isBetween(150 * MS - 1, 150 * MS);
    }

    @Test
    void randomizedWaitIsUniformBetweenTheBounds() {
        Retry half = retry(RetryConfig.builder().waitDuration(Duration.ofMillis(100)).enableRandomizedWait(true)
                .randomizedWaitFactor(0.5), () -> 0.5);
        Retry quarter = retry(RetryConfig.builder().waitDuration(Duration.ofMillis(100)).enableRandomizedWait(true)
                .randomizedWaitFactor(0.2), () -> 0.25);

        assertThat(half.waitNanosBeforeRetry(1)).isEqualTo(100 * MS);
        // [80ms, 120ms], a quarter of the way
        assertThat(quarter.waitNanosBeforeRetry(1)).isEqualTo(90 * MS);
    }

    @Test
    void randomizationAppliesAfterTheExponentialWait() {
        RetryConfig.Builder config = RetryConfig.builder().waitDuration(Duration.ofMillis(100))
                .enableExponentialBackoff(true).exponentialBackoffMultiplier(2).enableRandomizedWait(true)
                .randomizedWaitFactor(0.5);

        assertThat(waits(retry(config, () -> 0.0), 3)).containsExactly(50 * MS, 100 * MS, 200 * MS);
        assertThat(waits(retry(config, () -> 0.25), 3)).containsExactly(75 * MS, 150 * MS, 300 * MS);
        assertThat(retry(config, () -> JUST_BELOW_ONE).waitNanosBeforeRetry(3)).isBetween(600 * MS - 1, 600 * MS);
    }

    @Test
    void theCapAppliesAfterRandomizationSoARandomizedWaitNeverExceedsIt() {
        RetryConfig.Builder config = RetryConfig.builder().waitDuration(Duration.ofMillis(100))
                .enableExponentialBackoff(true).exponentialBackoffMultiplier(2)
                .exponentialMaxWaitDuration(Duration.ofMillis(300)).enableRandomizedWait(true).randomizedWaitFactor(0.5);

        // as in Resilience4j: 1600ms randomized (800ms to 2400ms), then capped
        assertThat(retry(config, () -> 0.0).waitNanosBeforeRetry(5)).isEqualTo(300 * MS);
        assertThat(retry(config, () -> JUST_BELOW_ONE).waitNanosBeforeRetry(2)).isEqualTo(300 * MS);
        assertThat(retry(config, () -> 0.0).waitNanosBeforeRetry(2)).isEqualTo(100 * MS);
    }

    @Test
    void hugeWaitsSaturateInsteadOfOverflowing() {
        Retry exponential = retry(RetryConfig.builder().waitDuration(Duration.ofMillis(100))
                .enableExponentialBackoff(true));
        Retry exponentialRandomized = retry(RetryConfig.builder().waitDuration(Duration.ofMillis(100))
                .enableExponentialBackoff(true).enableRandomizedWait(true), () -> JUST_BELOW_ONE);
        Retry tooLongForNanos = retry(RetryConfig.builder().waitDuration(Duration.ofDays(1_000_000)));

        assertThat(exponential.waitNanosBeforeRetry(Integer.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(exponentialRandomized.waitNanosBeforeRetry(Integer.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(tooLongForNanos.waitNanosBeforeRetry(1)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void zeroWaitStaysZero() {
        Retry retry = retry(RetryConfig.builder().waitDuration(Duration.ZERO).enableExponentialBackoff(true)
                .enableRandomizedWait(true), () -> 0.9);

        assertThat(retry.waitNanosBeforeRetry(Integer.MAX_VALUE)).isZero();
    }

    @Test
    void retryNumberStartsAtOne() {
        Retry retry = retry(RetryConfig.builder());

        assertThatThrownBy(() -> retry.waitNanosBeforeRetry(0)).isInstanceOf(IllegalArgumentException.class);
    }
}

package dev.resilience.core;

import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.circuitbreaker.LocalCircuitBreaker;
import dev.resilience.core.retry.Retry;
import dev.resilience.core.retry.RetryConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A rate limiter out of permits is this application's own back-pressure, like a full bulkhead: a breaker does not
 * record it and a retry does not retry it, unless its settings name the class explicitly.
 */
class RateLimitBackPressureTest {

    private static final RateLimitExceededException REFUSED = new RateLimitExceededException("partner", Duration.ZERO);

    private final ManualScheduler scheduler = new ManualScheduler(new ManualTicker());

    @Test
    void aRateLimitRejectionIsBackPressureUnlessNamed() {
        assertThat(Failures.isUnlistedBackPressure(RateLimitExceededException.class, List.of())).isTrue();
        assertThat(Failures.isUnlistedBackPressure(RateLimitExceededException.class,
                List.of(Exception.class, Throwable.class, ResilienceException.class))).isTrue();
        assertThat(Failures.isUnlistedBackPressure(RateLimitExceededException.class,
                List.of(RateLimitExceededException.class))).isFalse();
        assertThat(Failures.isUnlistedBackPressure(RateLimitExceededException.class,
                List.of(BulkheadFullException.class))).as("naming the other rejection is not enough").isTrue();
        assertThat(Failures.isUnlistedBackPressure(BulkheadFullException.class,
                List.of(RateLimitExceededException.class))).isTrue();
        assertThat(Failures.isUnlistedBackPressure(IllegalStateException.class, List.of())).isFalse();
    }

    @Test
    void retryDoesNotRetryARateLimitRejectionUnlessNamed() {
        AtomicInteger attempts = new AtomicInteger();
        Call<Object> refused = context -> {
            attempts.incrementAndGet();
            throw REFUSED;
        };
        RetryConfig.Builder config = RetryConfig.builder().maxAttempts(3).waitDuration(Duration.ofMillis(1));

        Retry byDefault = new Retry("r", config.build(), scheduler, nanos -> { }, () -> 0);
        assertThat(catchThrowable(() -> byDefault.decorate(refused).invoke(null))).isSameAs(REFUSED);
        assertThat(attempts).hasValue(1);

        Retry named = new Retry("r", config.retryExceptions(List.of(RateLimitExceededException.class)).build(),
                scheduler, nanos -> { }, () -> 0);
        assertThat(catchThrowable(() -> named.decorate(refused).invoke(null))).isSameAs(REFUSED);
        assertThat(attempts).hasValue(4);
    }

    @Test
    void aBreakerDoesNotRecordARateLimitRejectionUnlessNamed() {
        CircuitBreakerConfig.Builder config = CircuitBreakerConfig.builder().slidingWindowSize(2)
                .minimumNumberOfCalls(2);
        Call<Object> refused = context -> {
            throw REFUSED;
        };

        LocalCircuitBreaker byDefault = new LocalCircuitBreaker("cb", config.build(), Ticker.system(), scheduler);
        catchThrowable(() -> byDefault.decorate(refused).invoke(null));
        assertThat(byDefault.getMetrics().bufferedCalls()).isZero();

        LocalCircuitBreaker named = new LocalCircuitBreaker("cb",
                config.recordExceptions(List.of(RateLimitExceededException.class)).build(), Ticker.system(), scheduler);
        catchThrowable(() -> named.decorate(refused).invoke(null));
        assertThat(named.getMetrics().failedCalls()).isEqualTo(1);
    }
}

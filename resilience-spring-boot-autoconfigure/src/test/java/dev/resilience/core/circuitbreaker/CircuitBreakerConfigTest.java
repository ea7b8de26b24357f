package dev.resilience.core.circuitbreaker;

import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.TestSchedulers;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The range checks of the circuit breaker config that bound what a breaker allocates. */
class CircuitBreakerConfigTest {

    @Test
    void aTimeWindowHoldsAtMostOneDayOfSeconds() {
        CircuitBreakerConfig.Builder timeBased = CircuitBreakerConfig.builder()
                .slidingWindowType(SlidingWindowType.TIME_BASED);

        assertThat(timeBased.slidingWindowSize(86_400).build()
                .slidingWindowSize()).isEqualTo(86_400);
        assertThatThrownBy(() -> timeBased.slidingWindowSize(86_401).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("sliding-window-size must be at most 86400 (seconds: one day) for a TIME_BASED window,"
                        + " was 86401")
                .satisfies(ex -> {
                    InvalidConfigException invalid = (InvalidConfigException) ex;
                    assertThat(invalid.getKey()).isEqualTo("sliding-window-size");
                    assertThat(invalid.getValue()).isEqualTo(86_401);
                    assertThat(invalid.getReason())
                            .isEqualTo("must be at most 86400 (seconds: one day) for a TIME_BASED window");
                });
        assertThatThrownBy(() -> timeBased.slidingWindowSize(Integer.MAX_VALUE).build())
                .isInstanceOf(InvalidConfigException.class);
    }

    @Test
    void aTimeWindowOfOneDayIsBuilt() {
        CircuitBreakerConfig config = CircuitBreakerConfig.builder().slidingWindowType(SlidingWindowType.TIME_BASED)
                .slidingWindowSize(86_400).build();

        CircuitBreaker breaker = CircuitBreaker.of("day", config, () -> 0L, TestSchedulers.never());
        assertThat(breaker.getMetrics().bufferedCalls()).isZero();
    }
}

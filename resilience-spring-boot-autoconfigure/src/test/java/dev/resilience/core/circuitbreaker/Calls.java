package dev.resilience.core.circuitbreaker;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Drives a breaker through its manual API: each helper asks for a permission and reports an outcome. */
final class Calls {

    private Calls() {
    }

    static void succeed(CircuitBreaker breaker) {
        succeed(breaker, Duration.ZERO);
    }

    static void succeed(CircuitBreaker breaker, Duration duration) {
        assertThat(breaker.tryAcquirePermission()).as("permission in %s", breaker.getState()).isTrue();
        breaker.onSuccess(duration.toNanos());
    }

    static void fail(CircuitBreaker breaker) {
        fail(breaker, Duration.ZERO);
    }

    static void fail(CircuitBreaker breaker, Duration duration) {
        assertThat(breaker.tryAcquirePermission()).as("permission in %s", breaker.getState()).isTrue();
        breaker.onError(duration.toNanos(), new IllegalStateException("boom"));
    }

    static void succeed(CircuitBreaker breaker, int times) {
        for (int i = 0; i < times; i++) {
            succeed(breaker);
        }
    }

    static void fail(CircuitBreaker breaker, int times) {
        for (int i = 0; i < times; i++) {
            fail(breaker);
        }
    }
}

package dev.resilience.integration;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Fallback;
import dev.resilience.annotation.Retry;
import dev.resilience.annotation.Timeout;
import dev.resilience.core.CircuitBreakerOpenException;
import dev.resilience.core.ManualTicker;
import dev.resilience.core.Ticker;
import dev.resilience.core.TimeoutExceededException;
import dev.resilience.core.bulkhead.BulkheadMetrics;
import dev.resilience.core.bulkhead.BulkheadRegistry;
import dev.resilience.core.circuitbreaker.CircuitBreaker.State;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.retry.RetryMetrics;
import dev.resilience.core.retry.RetryRegistry;
import dev.resilience.core.timeout.TimeoutMetrics;
import dev.resilience.core.timeout.TimeoutRegistry;
import dev.resilience.integration.Probe.Step;
import dev.resilience.integration.Support.Held;
import dev.resilience.integration.Support.Mode;
import dev.resilience.integration.Support.Outcome;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * All five annotations on one method, with the real policies, synchronous and asynchronous:
 * {@code Fallback → Retry → CircuitBreaker → Timeout → Bulkhead → method}. Settings as in
 * {@link AnnotationPairsTest}: 3 attempts without wait, a breaker opening after 2 calls at 50% failures, a timeout
 * of 200ms, a bulkhead of 1 call without wait.
 */
class FullStackTest {

    private final ApplicationContextRunner runner = Support.runner()
            .withBean(Ticker.class, ManualTicker::new)
            .withBean(Probe.class, Probe::new)
            .withBean(Stack.class)
            .withPropertyValues(
                    "resilience.retry.configs.default.max-attempts=3",
                    "resilience.retry.configs.default.wait-duration=0",
                    "resilience.circuitbreaker.configs.default.sliding-window-size=2",
                    "resilience.circuitbreaker.configs.default.minimum-number-of-calls=2",
                    "resilience.circuitbreaker.configs.default.failure-rate-threshold=50",
                    "resilience.timeout.configs.default.timeout-duration=200ms",
                    "resilience.bulkhead.configs.default.max-concurrent-calls=1",
                    "resilience.bulkhead.configs.default.max-wait-duration=0",
                    "resilience.retry.instances.stack.ignore-exceptions=java.lang.IllegalArgumentException",
                    "resilience.circuitbreaker.instances.stack.ignore-exceptions=java.lang.IllegalArgumentException",
                    "resilience.circuitbreaker.instances.recovering.failure-rate-threshold=100");

    @ParameterizedTest
    @EnumSource(Mode.class)
    void retryThreeTimesAroundABreakerThatOpensAfterTwoFailuresEndsInTheFallbackWithTheRejection(Mode mode) {
        runner.run(context -> {
            Stack stack = context.getBean(Stack.class);
            Probe probe = context.getBean(Probe.class).otherwise(Step.FAIL);

            Outcome outcome = mode.call(() -> stack.example("a"), () -> stack.exampleAsync("a"));

            // attempts 1 and 2 reach the method and open the breaker; attempt 3 is rejected, not retried, and
            // the rejection is what the fallback gets
            assertThat(outcome.value()).isEqualTo("fallback a: CircuitBreakerOpenException");
            assertThat(probe.calls).hasValue(2);
            assertThat(probe.fallbackGot).singleElement().isInstanceOf(CircuitBreakerOpenException.class)
                    .extracting(failure -> ((CircuitBreakerOpenException) failure).getName()).isEqualTo("example");
            assertThat(breakers(context).get("example").getState()).isEqualTo(State.OPEN);
            // the rejection is not retried, so the call counts as Resilience4j counts it: failed without retry
            assertThat(context.getBean(RetryRegistry.class).get("example").getMetrics())
                    .isEqualTo(new RetryMetrics(0, 0, 0, 1));
        });
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void everyAttemptTimesOutOnItsOwnThenTheFallbackGetsTheTimeout(Mode mode) {
        runner.run(context -> {
            Stack stack = context.getBean(Stack.class);
            Probe probe = context.getBean(Probe.class).otherwise(Step.HANG);

            Outcome outcome = mode.call(() -> stack.timeouts("a"), () -> stack.timeoutsAsync("a"));

            assertThat(outcome.value()).isEqualTo("fallback a: TimeoutExceededException");
            assertThat(probe.calls).hasValue(3);
            assertThat(probe.fallbackGot).singleElement().isInstanceOf(TimeoutExceededException.class)
                    .extracting(failure -> ((TimeoutExceededException) failure).getName()).isEqualTo("timeouts");
            assertThat(context.getBean(TimeoutRegistry.class).get("timeouts").getMetrics())
                    .isEqualTo(new TimeoutMetrics(0, 0, 3));
            assertThat(probe.interruptedOnEntry).containsExactly(false, false, false);
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
        });
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aMethodThatThrowsInsteadOfFailingItsFutureIsRetriedAndAnsweredAlike(Mode mode) {
        runner.run(context -> {
            Stack stack = context.getBean(Stack.class);
            Probe probe = context.getBean(Probe.class).otherwise(Step.THROW);

            Outcome outcome = mode.call(() -> stack.timeouts("a"), () -> stack.timeoutsAsync("a"));

            assertThat(outcome.value()).isEqualTo("fallback a: Boom");
            assertThat(probe.calls).hasValue(3);
            assertThat(probe.fallbackGot).singleElement().isSameAs(probe.lastThrown());
            assertThat(context.getBean(TimeoutRegistry.class).get("timeouts").getMetrics())
                    .isEqualTo(new TimeoutMetrics(0, 3, 0));
        });
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aFailingMethodThroughAllFive(Mode mode) {
        runner.run(context -> {
            Stack stack = context.getBean(Stack.class);
            Probe probe = context.getBean(Probe.class).otherwise(Step.FAIL);

            Outcome outcome = mode.call(() -> stack.all("a"), () -> stack.allAsync("a"));

            assertThat(outcome.value()).isEqualTo("fallback a: CircuitBreakerOpenException");
            assertThat(probe.calls).hasValue(2);
            assertThat(breakers(context).get("stack").getState()).isEqualTo(State.OPEN);
            assertThat(breakers(context).get("stack").getMetrics().notPermittedCalls()).isEqualTo(1);
            // the two failures went through the timeout and the bulkhead; the rejection never reached them
            assertThat(context.getBean(TimeoutRegistry.class).get("stack").getMetrics())
                    .isEqualTo(new TimeoutMetrics(0, 2, 0));
            assertThat(context.getBean(BulkheadRegistry.class).get("stack").getMetrics())
                    .isEqualTo(new BulkheadMetrics(2, 0, 1, 1));
            if (mode == Mode.SYNC) {
                assertThat(probe.threads).containsOnly(Thread.currentThread());
            }
        });
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aTimedOutAttemptIsRetriedCountedByTheBreakerAndGivesItsPermitBack(Mode mode) {
        runner.run(context -> {
            Stack stack = context.getBean(Stack.class);
            Probe probe = context.getBean(Probe.class).plan(Step.HANG, Step.SUCCEED);

            Outcome outcome = mode.call(() -> stack.recovering("a"), () -> stack.recoveringAsync("a"));

            assertThat(outcome.value()).isEqualTo("a");
            assertThat(probe.calls).hasValue(2);
            assertThat(probe.interruptedOnEntry).containsExactly(false, false);
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
            assertThat(context.getBean(TimeoutRegistry.class).get("recovering").getMetrics())
                    .isEqualTo(new TimeoutMetrics(1, 0, 1));
            assertThat(breakers(context).get("recovering").getMetrics().failedCalls()).isEqualTo(1);
            assertThat(breakers(context).get("recovering").getMetrics().successfulCalls()).isEqualTo(1);
            assertThat(context.getBean(BulkheadRegistry.class).get("recovering").getMetrics())
                    .isEqualTo(new BulkheadMetrics(2, 0, 1, 1));
            assertThat(context.getBean(RetryRegistry.class).get("recovering").getMetrics())
                    .isEqualTo(new RetryMetrics(0, 1, 0, 0));
            assertThat(probe.fallbackGot).isEmpty();
        });
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aFullBulkheadIsNeitherRetriedNorRecordedByTheBreakerAndTheFallbackGetsIt(Mode mode) {
        runner.run(context -> {
            Stack stack = context.getBean(Stack.class);
            Probe probe = context.getBean(Probe.class).plan(Step.HANG);
            Held held = mode.hold(probe, () -> stack.holdBulkhead("held"), () -> stack.holdBulkheadAsync("held"));

            Outcome outcome = mode.call(() -> stack.all("a"), () -> stack.allAsync("a"));

            // the full bulkhead is our own back-pressure: one attempt, the breaker records nothing and stays CLOSED
            assertThat(outcome.value()).isEqualTo("fallback a: BulkheadFullException");
            assertThat(probe.calls).hasValue(1);
            assertThat(context.getBean(BulkheadRegistry.class).get("stack").getMetrics().rejectedCalls()).isEqualTo(1);
            assertThat(context.getBean(TimeoutRegistry.class).get("stack").getMetrics())
                    .isEqualTo(new TimeoutMetrics(0, 1, 0));
            assertThat(context.getBean(RetryRegistry.class).get("stack").getMetrics())
                    .isEqualTo(new RetryMetrics(0, 0, 0, 1));
            assertThat(breakers(context).get("stack").getState()).isEqualTo(State.CLOSED);
            assertThat(breakers(context).get("stack").getMetrics().bufferedCalls()).isZero();
            held.release(probe, "held");
        });
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anIgnoredExceptionPassesEveryLayerUnchanged(Mode mode) {
        runner.run(context -> {
            Stack stack = context.getBean(Stack.class);
            Probe probe = context.getBean(Probe.class).otherwise(Step.REFUSE);

            Outcome outcome = mode.call(() -> stack.all("a"), () -> stack.allAsync("a"));

            assertThat(outcome.failure()).isInstanceOf(IllegalArgumentException.class).isSameAs(probe.lastThrown());
            assertThat(outcome.raw()).isSameAs(probe.lastThrown());
            assertThat(probe.calls).hasValue(1);
            assertThat(probe.fallbackGot).isEmpty();
            assertThat(breakers(context).get("stack").getMetrics().bufferedCalls()).isZero();
            assertThat(context.getBean(BulkheadRegistry.class).get("stack").getAvailableConcurrentCalls()).isEqualTo(1);
        });
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aSuccessfulCallPassesEveryLayerOnce(Mode mode) {
        runner.run(context -> {
            Stack stack = context.getBean(Stack.class);
            Probe probe = context.getBean(Probe.class);

            assertThat(mode.call(() -> stack.all("a"), () -> stack.allAsync("a")).value()).isEqualTo("a");

            assertThat(probe.calls).hasValue(1);
            assertThat(context.getBean(RetryRegistry.class).get("stack").getMetrics())
                    .isEqualTo(new RetryMetrics(1, 0, 0, 0));
            assertThat(breakers(context).get("stack").getMetrics().successfulCalls()).isEqualTo(1);
            assertThat(context.getBean(TimeoutRegistry.class).get("stack").getMetrics())
                    .isEqualTo(new TimeoutMetrics(1, 0, 0));
            assertThat(context.getBean(BulkheadRegistry.class).get("stack").getMetrics())
                    .isEqualTo(new BulkheadMetrics(1, 0, 1, 1));
        });
    }

    private static CircuitBreakerRegistry breakers(ApplicationContext context) {
        return context.getBean(CircuitBreakerRegistry.class);
    }

    /** The annotations are written in the reverse of the contract's order: the order on the page never matters. */
    static class Stack {

        private final Probe probe;

        Stack(Probe probe) {
            this.probe = probe;
        }

        @CircuitBreaker("example")
        @Retry("example")
        @Fallback("fallback")
        public String example(String label) {
            return probe.sync(label);
        }

        @CircuitBreaker("example")
        @Retry("example")
        @Fallback("fallbackAsync")
        public CompletableFuture<String> exampleAsync(String label) {
            return probe.async(label);
        }

        @Fallback("fallback")
        @Retry("timeouts")
        @Timeout("timeouts")
        public String timeouts(String label) {
            return probe.sync(label);
        }

        @Fallback("fallbackAsync")
        @Retry("timeouts")
        @Timeout("timeouts")
        public CompletableFuture<String> timeoutsAsync(String label) {
            return probe.async(label);
        }

        @Bulkhead("stack")
        @Timeout("stack")
        @CircuitBreaker("stack")
        @Retry("stack")
        @Fallback(value = "fallback", skipOn = IllegalArgumentException.class)
        public String all(String label) {
            return probe.sync(label);
        }

        @Bulkhead("stack")
        @Timeout("stack")
        @CircuitBreaker("stack")
        @Retry("stack")
        @Fallback(value = "fallbackAsync", skipOn = IllegalArgumentException.class)
        public CompletableFuture<String> allAsync(String label) {
            return probe.async(label);
        }

        @Bulkhead("stack")
        public String holdBulkhead(String label) {
            return probe.sync(label);
        }

        @Bulkhead("stack")
        public CompletableFuture<String> holdBulkheadAsync(String label) {
            return probe.async(label);
        }

        @Bulkhead("recovering")
        @Timeout("recovering")
        @CircuitBreaker("recovering")
        @Retry("recovering")
        @Fallback("fallback")
        public String recovering(String label) {
            return probe.sync(label);
        }

        @Bulkhead("recovering")
        @Timeout("recovering")
        @CircuitBreaker("recovering")
        @Retry("recovering")
        @Fallback("fallbackAsync")
        public CompletableFuture<String> recoveringAsync(String label) {
            return probe.async(label);
        }

        String fallback(String label, Throwable failure) {
            return probe.fallback(label, failure);
        }

        CompletableFuture<String> fallbackAsync(String label, Throwable failure) {
            return probe.fallbackAsync(label, failure);
        }
    }
}

package dev.resilience.integration;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Fallback;
import dev.resilience.annotation.Retry;
import dev.resilience.annotation.Timeout;
import dev.resilience.core.BulkheadFullException;
import dev.resilience.core.CircuitBreakerOpenException;
import dev.resilience.core.ManualTicker;
import dev.resilience.core.Ticker;
import dev.resilience.core.TimeoutExceededException;
import dev.resilience.core.bulkhead.BulkheadRegistry;
import dev.resilience.core.circuitbreaker.CircuitBreaker.State;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.retry.RetryRegistry;
import dev.resilience.core.timeout.TimeoutRegistry;
import dev.resilience.integration.Probe.Boom;
import dev.resilience.integration.Probe.Step;
import dev.resilience.integration.Support.Held;
import dev.resilience.integration.Support.Mode;
import dev.resilience.integration.Support.Outcome;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every pair of annotations on one method, with the real policies of the auto-configuration, synchronous and
 * asynchronous. Each test shows, by behaviour alone, which of the two policies is the outer one:
 * {@code Fallback → Retry → CircuitBreaker → Timeout → Bulkhead → method}.
 *
 * <p>Settings: retries 3 attempts without wait; a breaker of a count window of 2, deciding from 2 calls, opening
 * at 50% failures; a timeout of 200ms (it fires only where the method hangs); a bulkhead of 1 call without wait.
 */
class AnnotationPairsTest {

    private final ApplicationContextRunner runner = Support.runner()
            .withBean(Ticker.class, ManualTicker::new)
            .withBean(Probe.class, Probe::new)
            .withBean(Pairs.class)
            .withPropertyValues(
                    "resilience.retry.configs.default.max-attempts=3",
                    "resilience.retry.configs.default.wait-duration=0",
                    "resilience.circuitbreaker.configs.default.sliding-window-size=2",
                    "resilience.circuitbreaker.configs.default.minimum-number-of-calls=2",
                    "resilience.circuitbreaker.configs.default.failure-rate-threshold=50",
                    "resilience.timeout.configs.default.timeout-duration=200ms",
                    "resilience.bulkhead.configs.default.max-concurrent-calls=1",
                    "resilience.bulkhead.configs.default.max-wait-duration=0",
                    "resilience.bulkhead.instances.tb.max-wait-duration=30s",
                    "resilience.retry.instances.rb-listed.retry-exceptions="
                            + "dev.resilience.core.BulkheadFullException,java.lang.RuntimeException",
                    "resilience.circuitbreaker.instances.cbb-listed.record-exceptions="
                            + "dev.resilience.core.BulkheadFullException",
                    "resilience.retry.instances.rcb-open.max-attempts=4",
                    "resilience.retry.instances.rcb-open.retry-on-circuit-breaker-open=true",
                    "resilience.retry.instances.ignoring.ignore-exceptions=java.lang.IllegalArgumentException",
                    "resilience.circuitbreaker.instances.ignoring.ignore-exceptions=java.lang.IllegalArgumentException");

    // ------------------------------------------------------------------ Fallback outside the others

    @ParameterizedTest
    @EnumSource(Mode.class)
    void fallbackAnswersOnceTheRetriesAreExhaustedWithTheLastException(Mode mode) {
        runner.run(context -> {
            Pairs pairs = context.getBean(Pairs.class);
            Probe probe = context.getBean(Probe.class).otherwise(Step.FAIL);

            Outcome outcome = mode.call(() -> pairs.fr("a"), () -> pairs.frAsync("a"));

            assertThat(outcome.value()).isEqualTo("fallback a: Boom");
            assertThat(probe.calls).hasValue(3);
            assertThat(probe.fallbackGot).singleElement().isSameAs(probe.lastThrown());
        });
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void fallbackAnswersForTheBreakerWhichStillCountsTheFailuresItAnswered(Mode mode) {
        runner.run(context -> {
            Pairs pairs = context.getBean(Pairs.class);
            Probe probe = context.getBean(Probe.class).otherwise(Step.FAIL);

            assertThat(mode.call(() -> pairs.fcb("a"), () -> pairs.fcbAsync("a")).value()).isEqualTo("fallback a: Boom");
            assertThat(mode.call(() -> pairs.fcb("b"), () -> pairs.fcbAsync("b")).value()).isEqualTo("fallback b: Boom");
            assertThat(breaker(context, "fcb").getState()).isEqualTo(State.OPEN);
            Outcome rejected = mode.call(() -> pairs.fcb("c"), () -> pairs.fcbAsync("c"));

            assertThat(rejected.value()).isEqualTo("fallback c: CircuitBreakerOpenException");
            assertThat(probe.calls).hasValue(2);
            assertThat(probe.fallbackGot).hasSize(3);
            assertThat(probe.fallbackGot.get(2)).isInstanceOf(CircuitBreakerOpenException.class)
                    .extracting(failure -> ((CircuitBreakerOpenException) failure).getName()).isEqualTo("fcb");
        });
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void fallbackAnswersForAnExpiredTimeout(Mode mode) {
        runner.run(context -> {
            Pairs pairs = context.getBean(Pairs.class);
            Probe probe = context.getBean(Probe.class).otherwise(Step.HANG);

            Outcome outcome = mode.call(() -> pairs.ft("a"), () -> pairs.ftAsync("a"));

            assertThat(outcome.value()).isEqualTo("fallback a: TimeoutExceededException");
            assertThat(probe.fallbackGot).singleElement().isInstanceOf(TimeoutExceededException.class)
                    .extracting(failure -> ((TimeoutExceededException) failure).getName()).isEqualTo("ft");
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
            if (mode == Mode.ASYNC) {
                // cancel-running-future is on by default
                assertThat(probe.pending).singleElement().matches(Future::isCancelled, "cancelled");
            }
        });
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void fallbackAnswersForAFullBulkhead(Mode mode) {
        runner.run(context -> {
            Pairs pairs = context.getBean(Pairs.class);
            Probe probe = context.getBean(Probe.class).plan(Step.HANG);
            Held held = mode.hold(probe, () -> pairs.holdFb("held"), () -> pairs.holdFbAsync("held"));

            Outcome outcome = mode.call(() -> pairs.fb("a"), () -> pairs.fbAsync("a"));

            assertThat(outcome.value()).isEqualTo("fallback a: BulkheadFullException");
            assertThat(probe.fallbackGot).singleElement().isInstanceOf(BulkheadFullException.class)
                    .extracting(failure -> ((BulkheadFullException) failure).getName()).isEqualTo("fb");
            assertThat(probe.calls).hasValue(1);

            assertThat(held.release(probe, "held").value()).startsWith("held");
            assertThat(mode.call(() -> pairs.fb("b"), () -> pairs.fbAsync("b")).value()).isEqualTo("b");
        });
    }

    // ------------------------------------------------------------------ Retry outside the others

    @ParameterizedTest
    @EnumSource(Mode.class)
    void retryStopsAtTheOpenBreakerAndPropagatesItsRejection(Mode mode) {
        runner.run(context -> {
            Pairs pairs = context.getBean(Pairs.class);
            Probe probe = context.getBean(Probe.class).otherwise(Step.FAIL);

            Outcome outcome = mode.call(() -> pairs.rcb("a"), () -> pairs.rcbAsync("a"));

            // two attempts reach the method and open the breaker; the third is rejected and not retried
            assertThat(outcome.failure()).isInstanceOf(CircuitBreakerOpenException.class);
            assertThat(((CircuitBreakerOpenException) outcome.failure()).getName()).isEqualTo("rcb");
            assertThat(probe.calls).hasValue(2);
            assertThat(breaker(context, "rcb").getMetrics().notPermittedCalls()).isEqualTo(1);
            // not retried, so failed without retry, as Resilience4j counts it
            assertThat(context.getBean(RetryRegistry.class).get("rcb").getMetrics().failedCallsWithoutRetry())
                    .isEqualTo(1);
        });
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void retryOnCircuitBreakerOpenRetriesIntoTheOpenBreaker(Mode mode) {
        runner.run(context -> {
            Pairs pairs = context.getBean(Pairs.class);
            Probe probe = context.getBean(Probe.class).otherwise(Step.FAIL);

            Outcome outcome = mode.call(() -> pairs.rcbOpen("a"), () -> pairs.rcbOpenAsync("a"));

            // 4 attempts: two reach the method, the last two are rejected by the open breaker
            assertThat(outcome.failure()).isInstanceOf(CircuitBreakerOpenException.class);
            assertThat(probe.calls).hasValue(2);
            assertThat(breaker(context, "rcb-open").getMetrics().notPermittedCalls()).isEqualTo(2);
        });
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void theTimeoutCoversOneAttemptAndEveryAttemptStartsWithACleanThread(Mode mode) {
        runner.run(context -> {
            Pairs pairs = context.getBean(Pairs.class);
            Probe probe = context.getBean(Probe.class).otherwise(Step.HANG);

            Outcome outcome = mode.call(() -> pairs.rt("a"), () -> pairs.rtAsync("a"));

            assertThat(outcome.failure()).isInstanceOf(TimeoutExceededException.class);
            assertThat(((TimeoutExceededException) outcome.failure()).getName()).isEqualTo("rt");
            assertThat(probe.calls).hasValue(3);
            assertThat(context.getBean(TimeoutRegistry.class).get("rt").getMetrics().timedOutCalls()).isEqualTo(3);
            assertThat(probe.interruptedOnEntry).containsExactly(false, false, false);
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
            if (mode == Mode.SYNC) {
                assertThat(probe.threads).containsOnly(Thread.currentThread());
            }
            else {
                assertThat(probe.pending).hasSize(3).allMatch(Future::isCancelled, "cancelled");
            }
        });
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void exhaustedRetriesRethrowTheMethodsLastExceptionUnchanged(Mode mode) {
        runner.run(context -> {
            Pairs pairs = context.getBean(Pairs.class);
            Probe probe = context.getBean(Probe.class).otherwise(Step.FAIL);

            Outcome throughTimeout = mode.call(() -> pairs.rt("a"), () -> pairs.rtAsync("a"));
            assertThat(probe.calls).hasValue(3);
            assertThat(throughTimeout.failure()).isInstanceOf(Boom.class).isSameAs(probe.lastThrown());
            assertThat(throughTimeout.raw()).isSameAs(probe.lastThrown());

            Outcome throughBulkhead = mode.call(() -> pairs.rb("b"), () -> pairs.rbAsync("b"));
            assertThat(probe.calls).hasValue(6);
            assertThat(throughBulkhead.failure()).isSameAs(probe.lastThrown());
            assertThat(throughBulkhead.raw()).isSameAs(probe.lastThrown());
            assertThat(probe.thrown.get(5).getMessage()).isEqualTo("boom 6");
        });
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aFullBulkheadIsNotRetriedByDefault(Mode mode) {
        runner.run(context -> {
            Pairs pairs = context.getBean(Pairs.class);
            Probe probe = context.getBean(Probe.class).plan(Step.HANG);
            dev.resilience.core.bulkhead.Bulkhead bulkhead = context.getBean(BulkheadRegistry.class).get("rb");
            Held held = mode.hold(probe, () -> pairs.holdRb("held"), () -> pairs.holdRbAsync("held"));

            Outcome full = mode.call(() -> pairs.rb("a"), () -> pairs.rbAsync("a"));

            assertThat(full.failure()).isInstanceOf(BulkheadFullException.class);
            assertThat(bulkhead.getMetrics().rejectedCalls()).isEqualTo(1);
            assertThat(context.getBean(RetryRegistry.class).get("rb").getMetrics().failedCallsWithoutRetry()).isEqualTo(1);
            held.release(probe, "held");
        });
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void everyAttemptAsksTheBulkheadAgainAndGivesItsPermitBack(Mode mode) {
        runner.run(context -> {
            Pairs pairs = context.getBean(Pairs.class);
            Probe probe = context.getBean(Probe.class).plan(Step.HANG);
            dev.resilience.core.bulkhead.Bulkhead bulkhead = context.getBean(BulkheadRegistry.class).get("rb");
            Held held = mode.hold(probe, () -> pairs.holdRb("held"), () -> pairs.holdRbAsync("held"));

            // retry-exceptions names BulkheadFullException: then a full bulkhead is retried like any failure
            Outcome full = mode.call(() -> pairs.rbListed("a"), () -> pairs.rbListedAsync("a"));

            assertThat(full.failure()).isInstanceOf(BulkheadFullException.class);
            assertThat(bulkhead.getMetrics().rejectedCalls()).isEqualTo(3);
            assertThat(probe.calls).hasValue(1);
            held.release(probe, "held");

            probe.plan(Step.FAIL, Step.FAIL, Step.SUCCEED);
            assertThat(mode.call(() -> pairs.rbListed("b"), () -> pairs.rbListedAsync("b")).value()).isEqualTo("b");
            assertThat(probe.calls).hasValue(4);
            assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
        });
    }

    // ------------------------------------------------------------------ CircuitBreaker and Timeout outside the others

    @ParameterizedTest
    @EnumSource(Mode.class)
    void theBreakerCountsATimeoutAsAFailure(Mode mode) {
        runner.run(context -> {
            Pairs pairs = context.getBean(Pairs.class);
            Probe probe = context.getBean(Probe.class).otherwise(Step.HANG);

            assertThat(mode.call(() -> pairs.cbt("a"), () -> pairs.cbtAsync("a")).failure())
                    .isInstanceOf(TimeoutExceededException.class);
            assertThat(breaker(context, "cbt").getMetrics().failedCalls()).isEqualTo(1);
            assertThat(mode.call(() -> pairs.cbt("b"), () -> pairs.cbtAsync("b")).failure())
                    .isInstanceOf(TimeoutExceededException.class);
            assertThat(breaker(context, "cbt").getState()).isEqualTo(State.OPEN);

            assertThat(mode.call(() -> pairs.cbt("c"), () -> pairs.cbtAsync("c")).failure())
                    .isInstanceOf(CircuitBreakerOpenException.class);
            assertThat(probe.calls).hasValue(2);
        });
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void theBreakerDoesNotRecordAFullBulkhead(Mode mode) {
        runner.run(context -> {
            Pairs pairs = context.getBean(Pairs.class);
            Probe probe = context.getBean(Probe.class).plan(Step.HANG);
            Held held = mode.hold(probe, () -> pairs.holdCbb("held"), () -> pairs.holdCbbAsync("held"));

            for (String label : new String[] {"a", "b", "c", "d"}) {
                assertThat(mode.call(() -> pairs.cbb(label), () -> pairs.cbbAsync(label)).failure())
                        .isInstanceOf(BulkheadFullException.class);
            }
            assertThat(breaker(context, "cbb").getState()).isEqualTo(State.CLOSED);
            assertThat(breaker(context, "cbb").getMetrics().bufferedCalls()).isZero();
            held.release(probe, "held");

            assertThat(mode.call(() -> pairs.cbb("e"), () -> pairs.cbbAsync("e")).value()).isEqualTo("e");
            assertThat(breaker(context, "cbb").getMetrics().successfulCalls()).isEqualTo(1);
        });
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void theBreakerCountsAFullBulkheadAsAFailureWhenRecordExceptionsNamesIt(Mode mode) {
        runner.run(context -> {
            Pairs pairs = context.getBean(Pairs.class);
            Probe probe = context.getBean(Probe.class).plan(Step.HANG);
            Held held = mode.hold(probe, () -> pairs.holdCbb("held"), () -> pairs.holdCbbAsync("held"));

            assertThat(mode.call(() -> pairs.cbbListed("a"), () -> pairs.cbbListedAsync("a")).failure())
                    .isInstanceOf(BulkheadFullException.class);
            assertThat(mode.call(() -> pairs.cbbListed("b"), () -> pairs.cbbListedAsync("b")).failure())
                    .isInstanceOf(BulkheadFullException.class);
            assertThat(breaker(context, "cbb-listed").getState()).isEqualTo(State.OPEN);
            held.release(probe, "held");

            assertThat(mode.call(() -> pairs.cbbListed("c"), () -> pairs.cbbListedAsync("c")).failure())
                    .isInstanceOf(CircuitBreakerOpenException.class);
            assertThat(probe.calls).hasValue(1);
        });
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void theWaitForABulkheadPermitCountsInsideTheTimeout(Mode mode) {
        runner.run(context -> {
            Pairs pairs = context.getBean(Pairs.class);
            Probe probe = context.getBean(Probe.class).plan(Step.HANG);
            dev.resilience.core.bulkhead.Bulkhead bulkhead = context.getBean(BulkheadRegistry.class).get("tb");
            Held held = mode.hold(probe, () -> pairs.holdTb("held"), () -> pairs.holdTbAsync("held"));

            // the bulkhead would let the call wait 30s for the permit; the timeout ends the wait after 200ms
            Outcome outcome = mode.call(() -> pairs.tb("a"), () -> pairs.tbAsync("a"));

            assertThat(outcome.failure()).isInstanceOf(TimeoutExceededException.class);
            assertThat(((TimeoutExceededException) outcome.failure()).getName()).isEqualTo("tb");
            assertThat(probe.calls).hasValue(1);
            assertThat(Thread.currentThread().isInterrupted()).isFalse();

            // the timed-out waiter took no permit with it
            held.release(probe, "held");
            assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
            assertThat(mode.call(() -> pairs.tb("b"), () -> pairs.tbAsync("b")).value()).isEqualTo("b");
            assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
        });
    }

    // ------------------------------------------------------------------ ignored exceptions

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anIgnoredExceptionPropagatesUnchangedWithoutRetryBreakerCountOrFallback(Mode mode) {
        runner.run(context -> {
            Pairs pairs = context.getBean(Pairs.class);
            Probe probe = context.getBean(Probe.class).otherwise(Step.REFUSE);

            for (int i = 1; i <= 3; i++) {
                Outcome outcome = mode.call(() -> pairs.ignoring("a"), () -> pairs.ignoringAsync("a"));
                assertThat(outcome.failure()).isInstanceOf(IllegalArgumentException.class)
                        .isSameAs(probe.lastThrown());
                assertThat(outcome.raw()).isSameAs(probe.lastThrown());
                assertThat(probe.calls).hasValue(i);
            }
            assertThat(probe.fallbackGot).isEmpty();
            assertThat(breaker(context, "ignoring").getState()).isEqualTo(State.CLOSED);
            assertThat(breaker(context, "ignoring").getMetrics().bufferedCalls()).isZero();
        });
    }

    private static dev.resilience.core.circuitbreaker.CircuitBreaker breaker(
            org.springframework.context.ApplicationContext context, String name) {
        return context.getBean(CircuitBreakerRegistry.class).get(name);
    }

    /** One method (and its async twin) per pair, the outer annotation written first; instances named after the pair. */
    static class Pairs {

        private final Probe probe;

        Pairs(Probe probe) {
            this.probe = probe;
        }

        @Fallback("fallback")
        @Retry("fr")
        public String fr(String label) {
            return probe.sync(label);
        }

        @Fallback("fallbackAsync")
        @Retry("fr")
        public CompletableFuture<String> frAsync(String label) {
            return probe.async(label);
        }

        @Fallback("fallback")
        @CircuitBreaker("fcb")
        public String fcb(String label) {
            return probe.sync(label);
        }

        @Fallback("fallbackAsync")
        @CircuitBreaker("fcb")
        public CompletableFuture<String> fcbAsync(String label) {
            return probe.async(label);
        }

        @Fallback("fallback")
        @Timeout("ft")
        public String ft(String label) {
            return probe.sync(label);
        }

        @Fallback("fallbackAsync")
        @Timeout("ft")
        public CompletableFuture<String> ftAsync(String label) {
            return probe.async(label);
        }

        @Fallback("fallback")
        @Bulkhead("fb")
        public String fb(String label) {
            return probe.sync(label);
        }

        @Fallback("fallbackAsync")
        @Bulkhead("fb")
        public CompletableFuture<String> fbAsync(String label) {
            return probe.async(label);
        }

        @Bulkhead("fb")
        public String holdFb(String label) {
            return probe.sync(label);
        }

        @Bulkhead("fb")
        public CompletableFuture<String> holdFbAsync(String label) {
            return probe.async(label);
        }

        @Retry("rcb")
        @CircuitBreaker("rcb")
        public String rcb(String label) {
            return probe.sync(label);
        }

        @Retry("rcb")
        @CircuitBreaker("rcb")
        public CompletableFuture<String> rcbAsync(String label) {
            return probe.async(label);
        }

        @Retry("rcb-open")
        @CircuitBreaker("rcb-open")
        public String rcbOpen(String label) {
            return probe.sync(label);
        }

        @Retry("rcb-open")
        @CircuitBreaker("rcb-open")
        public CompletableFuture<String> rcbOpenAsync(String label) {
            return probe.async(label);
        }

        @Retry("rt")
        @Timeout("rt")
        public String rt(String label) {
            return probe.sync(label);
        }

        @Retry("rt")
        @Timeout("rt")
        public CompletableFuture<String> rtAsync(String label) {
            return probe.async(label);
        }

        @Retry("rb")
        @Bulkhead("rb")
        public String rb(String label) {
            return probe.sync(label);
        }

        @Retry("rb")
        @Bulkhead("rb")
        public CompletableFuture<String> rbAsync(String label) {
            return probe.async(label);
        }

        @Retry("rb-listed")
        @Bulkhead("rb")
        public String rbListed(String label) {
            return probe.sync(label);
        }

        @Retry("rb-listed")
        @Bulkhead("rb")
        public CompletableFuture<String> rbListedAsync(String label) {
            return probe.async(label);
        }

        @Bulkhead("rb")
        public String holdRb(String label) {
            return probe.sync(label);
        }

        @Bulkhead("rb")
        public CompletableFuture<String> holdRbAsync(String label) {
            return probe.async(label);
        }

        @CircuitBreaker("cbt")
        @Timeout("cbt")
        public String cbt(String label) {
            return probe.sync(label);
        }

        @CircuitBreaker("cbt")
        @Timeout("cbt")
        public CompletableFuture<String> cbtAsync(String label) {
            return probe.async(label);
        }

        @CircuitBreaker("cbb")
        @Bulkhead("cbb")
        public String cbb(String label) {
            return probe.sync(label);
        }

        @CircuitBreaker("cbb")
        @Bulkhead("cbb")
        public CompletableFuture<String> cbbAsync(String label) {
            return probe.async(label);
        }

        @CircuitBreaker("cbb-listed")
        @Bulkhead("cbb")
        public String cbbListed(String label) {
            return probe.sync(label);
        }

        @CircuitBreaker("cbb-listed")
        @Bulkhead("cbb")
        public CompletableFuture<String> cbbListedAsync(String label) {
            return probe.async(label);
        }

        @Bulkhead("cbb")
        public String holdCbb(String label) {
            return probe.sync(label);
        }

        @Bulkhead("cbb")
        public CompletableFuture<String> holdCbbAsync(String label) {
            return probe.async(label);
        }

        @Timeout("tb")
        @Bulkhead("tb")
        public String tb(String label) {
            return probe.sync(label);
        }

        @Timeout("tb")
        @Bulkhead("tb")
        public CompletableFuture<String> tbAsync(String label) {
            return probe.async(label);
        }

        @Bulkhead("tb")
        public String holdTb(String label) {
            return probe.sync(label);
        }

        @Bulkhead("tb")
        public CompletableFuture<String> holdTbAsync(String label) {
            return probe.async(label);
        }

        @Fallback(value = "fallback", skipOn = IllegalArgumentException.class)
        @Retry("ignoring")
        @CircuitBreaker("ignoring")
        public String ignoring(String label) {
            return probe.sync(label);
        }

        @Fallback(value = "fallbackAsync", skipOn = IllegalArgumentException.class)
        @Retry("ignoring")
        @CircuitBreaker("ignoring")
        public CompletableFuture<String> ignoringAsync(String label) {
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

package dev.resilience.parity;

import dev.resilience.core.Call;
import dev.resilience.core.CircuitBreakerOpenException;
import dev.resilience.core.ExceptionClassifier;
import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerListener;
import dev.resilience.core.circuitbreaker.LocalCircuitBreaker;
import dev.resilience.core.fallback.FallbackDecorator;
import dev.resilience.core.retry.Retry;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.IllegalStateTransitionException;
import io.github.resilience4j.circuitbreaker.internal.CircuitBreakerStateMachine;
import io.github.resilience4j.circuitbreaker.internal.SchedulerFactory;
import io.github.resilience4j.core.functions.CheckedConsumer;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.github.resilience4j.retry.internal.RetryImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * Where we differ from Resilience4j 2.4.0 on purpose, each shown side by side with the same keys: the random
 * differential suites stay clear of exactly these, and the README's "Migrating from Resilience4j" lists them with
 * their reasons. Should Resilience4j change, or we, the test that shows the difference fails.
 */
class DeliberateDifferencesTest {

    private final ParityTime time = new ParityTime();
    private final List<Long> theirWaits = new ArrayList<>();
    private CheckedConsumer<Long> previousSleep;

    @BeforeEach
    void recordResilience4jsWaits() throws ReflectiveOperationException {
        Field field = RetryImpl.class.getDeclaredField("sleepFunction");
        field.setAccessible(true);
        @SuppressWarnings("unchecked")
        CheckedConsumer<Long> previous = (CheckedConsumer<Long>) field.get(null);
        previousSleep = previous;
        RetryImpl.setSleepFunction(millis -> theirWaits.add(millis));
    }

    @AfterEach
    void restoreResilience4jsSleep() {
        RetryImpl.setSleepFunction(previousSleep);
    }

    private CircuitBreaker ourBreaker(Map<String, String> keys) {
        return new LocalCircuitBreaker(SameKeys.NAME, new SameKeys(keys).ourCircuitBreaker(), time.ticker, time.scheduler);
    }

    private io.github.resilience4j.circuitbreaker.CircuitBreaker theirBreaker(Map<String, String> keys) {
        SchedulerFactory schedulers = mock(SchedulerFactory.class);
        when(schedulers.getScheduler()).thenReturn(time.executor);
        return new CircuitBreakerStateMachine(SameKeys.NAME, io.github.resilience4j.circuitbreaker.CircuitBreakerConfig
                .from(new SameKeys(keys).theirCircuitBreaker()).clock(time.clock).build(), schedulers);
    }

    private Retry ourRetry(Map<String, String> keys, List<Long> waits) {
        return new Retry(SameKeys.NAME, new SameKeys(keys).ourRetry(), time.scheduler, waits::add, () -> 0.5);
    }

    private static io.github.resilience4j.retry.Retry theirRetry(Map<String, String> keys) {
        return io.github.resilience4j.retry.Retry.of(SameKeys.NAME, new SameKeys(keys).theirRetry());
    }

    /** Runs {@code attempt} through our retry; answers what surfaced. */
    private static Object ourCall(Retry retry, Call<Object> attempt) {
        try {
            return retry.decorate(attempt).invoke(null);
        } catch (Throwable thrown) {
            return thrown;
        }
    }

    private static Object theirCall(io.github.resilience4j.retry.Retry retry,
            io.github.resilience4j.core.functions.CheckedSupplier<Object> attempt) {
        try {
            return io.github.resilience4j.retry.Retry.decorateCheckedSupplier(retry, attempt).get();
        } catch (Throwable thrown) {
            return thrown;
        }
    }

    @Nested
    class Backpressure {

        @Test
        void aFullBulkheadInsideTheBreakerIsNotRecordedHereUnlessRecordExceptionsNamesIt() {
            CircuitBreaker ours = ourBreaker(Map.of());
            io.github.resilience4j.circuitbreaker.CircuitBreaker theirs = theirBreaker(Map.of());
            Bulkhead bulkhead = Bulkhead.of("inner", io.github.resilience4j.bulkhead.BulkheadConfig.ofDefaults());

            ours.tryAcquirePermission();
            ours.onError(0, new dev.resilience.core.BulkheadFullException("inner", "full"));
            theirs.tryAcquirePermission();
            theirs.onError(0, TimeUnit.NANOSECONDS, BulkheadFullException.createBulkheadFullException(bulkhead));

            assertThat(ours.getMetrics().bufferedCalls()).as("ours: our own back-pressure, not recorded").isZero();
            assertThat(theirs.getMetrics().getNumberOfFailedCalls()).as("Resilience4j: a failure").isEqualTo(1);

            CircuitBreaker naming = ourBreaker(Map.of("record-exceptions", "dev.resilience.core.BulkheadFullException"));
            naming.tryAcquirePermission();
            naming.onError(0, new dev.resilience.core.BulkheadFullException("inner", "full"));
            assertThat(naming.getMetrics().failedCalls()).isEqualTo(1);
        }

        @Test
        void aRateLimitRefusalIsNeitherRecordedByTheBreakerNorRetriedHereUnlessNamed() {
            // Resilience4j's default aspect order puts its rate limiter inside the breaker; ours sits outside, and
            // even a breaker further out (on a calling method) does not record the refusal
            io.github.resilience4j.ratelimiter.RateLimiter limiter = io.github.resilience4j.ratelimiter.RateLimiter.of(
                    "inner", io.github.resilience4j.ratelimiter.RateLimiterConfig.ofDefaults());
            CircuitBreaker ours = ourBreaker(Map.of());
            io.github.resilience4j.circuitbreaker.CircuitBreaker theirs = theirBreaker(Map.of());

            ours.tryAcquirePermission();
            ours.onError(0, new dev.resilience.core.RateLimitExceededException("inner", Duration.ofMillis(1)));
            theirs.tryAcquirePermission();
            theirs.onError(0, TimeUnit.NANOSECONDS, RequestNotPermitted.createRequestNotPermitted(limiter));

            assertThat(ours.getMetrics().bufferedCalls()).as("ours: our own back-pressure, not recorded").isZero();
            assertThat(theirs.getMetrics().getNumberOfFailedCalls()).as("Resilience4j: a failure").isEqualTo(1);

            Map<String, String> keys = Map.of("wait-duration", "10ms");
            AtomicInteger ourAttempts = new AtomicInteger();
            AtomicInteger theirAttempts = new AtomicInteger();
            ourCall(ourRetry(keys, new ArrayList<>()), context -> {
                ourAttempts.incrementAndGet();
                throw new dev.resilience.core.RateLimitExceededException("inner", Duration.ofMillis(1));
            });
            theirCall(theirRetry(keys), () -> {
                theirAttempts.incrementAndGet();
                throw RequestNotPermitted.createRequestNotPermitted(limiter);
            });
            assertThat(ourAttempts).hasValue(1);
            assertThat(theirAttempts).hasValue(3);
        }

        @Test
        void retryRetriesNeitherAFullBulkheadNorAnOpenBreakerHereByDefault() {
            Map<String, String> keys = Map.of("wait-duration", "10ms");
            Bulkhead bulkhead = Bulkhead.of("inner", io.github.resilience4j.bulkhead.BulkheadConfig.ofDefaults());
            io.github.resilience4j.circuitbreaker.CircuitBreaker open = theirBreaker(Map.of());
            open.transitionToForcedOpenState();
            AtomicInteger ourAttempts = new AtomicInteger();
            AtomicInteger theirAttempts = new AtomicInteger();
            Retry ours = ourRetry(keys, new ArrayList<>());
            io.github.resilience4j.retry.Retry theirs = theirRetry(keys);

            ourCall(ours, context -> {
                ourAttempts.incrementAndGet();
                throw new dev.resilience.core.BulkheadFullException("inner", "full");
            });
            theirCall(theirs, () -> {
                theirAttempts.incrementAndGet();
                throw BulkheadFullException.createBulkheadFullException(bulkhead);
            });
            assertThat(ourAttempts).hasValue(1);
            assertThat(theirAttempts).hasValue(3);

            ourAttempts.set(0);
            theirAttempts.set(0);
            ourCall(ours, context -> {
                ourAttempts.incrementAndGet();
                throw new CircuitBreakerOpenException("inner", "OPEN");
            });
            theirCall(theirs, () -> {
                theirAttempts.incrementAndGet();
                throw CallNotPermittedException.createCallNotPermittedException(open);
            });
            assertThat(ourAttempts).as("unless retry-on-circuit-breaker-open").hasValue(1);
            assertThat(theirAttempts).hasValue(3);
        }

        @Test
        void aFallbackOutermostNeverSwitchesRetriesOff() throws Throwable {
            // Resilience4j's annotations apply @CircuitBreaker(fallbackMethod) inside @Retry, so that fallback answers
            // each attempt and the retry never sees a failure (its spring aspects are not on this class path: the
            // order is theirs, documented in their guide). Here @Fallback is a policy of its own, outermost: every
            // attempt is made, and the fallback answers only what is left.
            AtomicInteger attempts = new AtomicInteger();
            Retry retry = ourRetry(Map.of("max-attempts", "3", "wait-duration", "0"), new ArrayList<>());
            Call<Object> chain = FallbackDecorator.decorate(retry.decorate(context -> {
                attempts.incrementAndGet();
                throw new IOException("down");
            }), new ExceptionClassifier(List.of(), List.of()), (context, failure) -> "fallback");

            assertThat(chain.invoke(null)).isEqualTo("fallback");
            assertThat(attempts).hasValue(3);
        }
    }

    @Nested
    class Durations {

        @Test
        void aSubMillisecondRetryWaitIsNotTruncated() {
            Map<String, String> keys = Map.of("wait-duration", "1500us", "max-attempts", "2");
            List<Long> ourWaits = new ArrayList<>();

            ourCall(ourRetry(keys, ourWaits), failing());
            theirCall(theirRetry(keys), () -> {
                throw new IOException("down");
            });

            assertThat(ourWaits).containsExactly(1_500_000L);
            assertThat(theirWaits).as("milliseconds").containsExactly(1L);
        }

        @Test
        void aSubMillisecondOpenStateWaitIsNotTruncated() {
            Map<String, String> keys = Map.of("sliding-window-size", "1", "minimum-number-of-calls", "1",
                    "wait-duration-in-open-state", "1500us");
            CircuitBreaker ours = ourBreaker(keys);
            io.github.resilience4j.circuitbreaker.CircuitBreaker theirs = theirBreaker(keys);
            ours.tryAcquirePermission();
            ours.onError(0, new IOException());
            theirs.tryAcquirePermission();
            theirs.onError(0, TimeUnit.NANOSECONDS, new IOException());

            time.advance(Duration.ofNanos(1_200_000));

            assertThat(ours.tryAcquirePermission()).as("ours: 1.5ms").isFalse();
            assertThat(theirs.tryAcquirePermission()).as("Resilience4j: 1ms").isTrue();
        }

        private Call<Object> failing() {
            return context -> {
                throw new IOException("down");
            };
        }
    }

    @Nested
    class KeysResilience4jLeavesUnread {

        @Test
        void exponentialBackoffWithoutAWaitDuration() {
            Map<String, String> keys = Map.of("enable-exponential-backoff", "true", "max-attempts", "4");
            List<Long> ourWaits = new ArrayList<>();

            ourCall(ourRetry(keys, ourWaits), context -> {
                throw new IOException("down");
            });
            theirCall(theirRetry(keys), () -> {
                throw new IOException("down");
            });

            assertThat(ourWaits).containsExactly(500_000_000L, 750_000_000L, 1_125_000_000L);
            assertThat(theirWaits).as("Resilience4j: the default 500ms, unmultiplied").containsExactly(500L, 500L, 500L);
        }

        @Test
        void aMaxWaitWithoutAMultiplier() {
            Map<String, String> keys = Map.of("enable-exponential-backoff", "true", "wait-duration", "100ms",
                    "exponential-max-wait-duration", "200ms", "max-attempts", "5");
            List<Long> ourWaits = new ArrayList<>();

            ourCall(ourRetry(keys, ourWaits), context -> {
                throw new IOException("down");
            });
            theirCall(theirRetry(keys), () -> {
                throw new IOException("down");
            });

            assertThat(ourWaits).containsExactly(100_000_000L, 150_000_000L, 200_000_000L, 200_000_000L);
            assertThat(theirWaits).as("Resilience4j: uncapped").containsExactly(100L, 150L, 225L, 337L);
        }

        @Test
        void aRandomizedWaitFactorWithExponentialBackoffButWithoutAMultiplier() {
            Map<String, String> keys = Map.of("enable-exponential-backoff", "true", "enable-randomized-wait", "true",
                    "randomized-wait-factor", "0", "wait-duration", "100ms", "max-attempts", "41");
            List<Long> ourWaits = new ArrayList<>();

            ourCall(ourRetry(keys, ourWaits), context -> {
                throw new IOException("down");
            });
            theirCall(theirRetry(keys), () -> {
                throw new IOException("down");
            });

            assertThat(ourWaits.subList(0, 3)).as("factor 0: not randomized").containsExactly(100_000_000L,
                    150_000_000L, 225_000_000L);
            assertThat(theirWaits.subList(0, 3)).as("Resilience4j: its default factor 0.5 instead")
                    .isNotEqualTo(List.of(100L, 150L, 225L));
        }
    }

    @Nested
    class Resilience4jDefects {

        @Test
        void anOutcomeReportedWhileOpenAfterForcedOpenIsDroppedHereAndThrowsThere() {
            CircuitBreaker ours = ourBreaker(Map.of());
            io.github.resilience4j.circuitbreaker.CircuitBreaker theirs = theirBreaker(Map.of());
            ours.tryAcquirePermission();
            theirs.tryAcquirePermission();
            ours.transitionTo(CircuitBreaker.State.FORCED_OPEN);
            theirs.transitionToForcedOpenState();
            ours.transitionTo(CircuitBreaker.State.OPEN);
            theirs.transitionToOpenState();

            ours.onSuccess(0);
            assertThat(catchThrowable(() -> theirs.onSuccess(0, TimeUnit.NANOSECONDS)))
                    .as("Resilience4j: a window without room").isInstanceOf(ArithmeticException.class);
            assertThat(ours.getMetrics().bufferedCalls()).isZero();
        }

        @Test
        void resetCancelsThePendingAutomaticTransition() {
            Map<String, String> keys = Map.of("sliding-window-size", "1", "minimum-number-of-calls", "1",
                    "wait-duration-in-open-state", "10s", "automatic-transition-from-open-to-half-open-enabled", "true");
            CircuitBreaker ours = ourBreaker(keys);
            io.github.resilience4j.circuitbreaker.CircuitBreaker theirs = theirBreaker(keys);
            ours.transitionTo(CircuitBreaker.State.OPEN);
            theirs.transitionToOpenState();
            ours.reset();
            theirs.reset();
            time.advance(Duration.ofSeconds(5));
            ours.tryAcquirePermission();
            ours.onError(0, new IOException());
            theirs.tryAcquirePermission();
            theirs.onError(0, TimeUnit.NANOSECONDS, new IOException());

            time.advance(Duration.ofSeconds(5));

            assertThat(ours.getState()).as("ours: open for its own 10s").isEqualTo(CircuitBreaker.State.OPEN);
            assertThat(theirs.getState()).as("Resilience4j: the timer of the OPEN before the reset fired")
                    .isEqualTo(io.github.resilience4j.circuitbreaker.CircuitBreaker.State.HALF_OPEN);
        }
    }

    @Nested
    class ManualApi {

        @Test
        void closedToHalfOpenByHandIsAllowedHere() {
            CircuitBreaker ours = ourBreaker(Map.of());
            io.github.resilience4j.circuitbreaker.CircuitBreaker theirs = theirBreaker(Map.of());

            ours.transitionTo(CircuitBreaker.State.HALF_OPEN);

            assertThat(ours.getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
            assertThatThrownBy(theirs::transitionToHalfOpenState).isInstanceOf(IllegalStateTransitionException.class);
        }

        @Test
        void aTransitionToTheCurrentStateIsReportedHere() {
            CircuitBreaker ours = ourBreaker(Map.of());
            io.github.resilience4j.circuitbreaker.CircuitBreaker theirs = theirBreaker(Map.of());
            List<String> ourEvents = new ArrayList<>();
            List<String> theirEvents = new ArrayList<>();
            ours.addListener(new CircuitBreakerListener() {
                @Override
                public void onStateTransition(CircuitBreaker breaker, CircuitBreaker.State from, CircuitBreaker.State to) {
                    ourEvents.add(from + "->" + to);
                }
            });
            theirs.getEventPublisher().onStateTransition(event -> theirEvents.add(event.getStateTransition().toString()));

            ours.transitionTo(CircuitBreaker.State.CLOSED);
            theirs.transitionToClosedState();

            assertThat(ourEvents).containsExactly("CLOSED->CLOSED");
            assertThat(theirEvents).isEmpty();
        }

        @Test
        void throughDecorateACallCountsInTheStateThatPermittedIt() throws Throwable {
            CircuitBreaker ours = ourBreaker(Map.of());
            io.github.resilience4j.circuitbreaker.CircuitBreaker theirs = theirBreaker(Map.of());

            ours.decorate(context -> {
                ours.transitionTo(CircuitBreaker.State.OPEN);
                ours.transitionTo(CircuitBreaker.State.HALF_OPEN);
                return "permitted while CLOSED";
            }).invoke(null);
            io.github.resilience4j.circuitbreaker.CircuitBreaker.decorateCheckedSupplier(theirs, () -> {
                theirs.transitionToOpenState();
                theirs.transitionToHalfOpenState();
                return "permitted while CLOSED";
            }).get();

            assertThat(ours.getMetrics().bufferedCalls()).as("ours: not a trial").isZero();
            assertThat(theirs.getMetrics().getNumberOfBufferedCalls()).as("Resilience4j: taken for a trial").isEqualTo(1);
        }
    }

    @Nested
    class Errors {

        @Test
        void anErrorIsCountedHereAndLetThroughUncountedByResilience4jsSynchronousRetry() {
            Map<String, String> keys = Map.of("wait-duration", "0");
            Retry ours = ourRetry(keys, new ArrayList<>());
            io.github.resilience4j.retry.Retry theirs = theirRetry(keys);
            AssertionError error = new AssertionError("an Error");

            assertThat(ourCall(ours, context -> {
                throw error;
            })).isSameAs(error);
            assertThat(theirCall(theirs, () -> {
                throw error;
            })).isSameAs(error);

            assertThat(ours.getMetrics().failedCallsWithoutRetry()).isEqualTo(1);
            assertThat(theirs.getMetrics().getNumberOfFailedCallsWithoutRetryAttempt()).isZero();
        }
    }
}

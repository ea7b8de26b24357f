package dev.resilience.reactor;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.util.context.Context;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Fallback;
import dev.resilience.annotation.Retry;
import dev.resilience.annotation.Timeout;
import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.ResilienceReactorAutoConfiguration;
import dev.resilience.core.BulkheadFullException;
import dev.resilience.core.CircuitBreakerOpenException;
import dev.resilience.core.TimeoutExceededException;
import dev.resilience.core.bulkhead.BulkheadRegistry;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.retry.RetryMetrics;
import dev.resilience.core.retry.RetryRegistry;
import dev.resilience.core.timeout.TimeoutRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every annotation on a method returning {@code Mono}, through the auto-configuration: the call is lazy, each
 * subscription is one protected call, and every policy sees the terminal signal, the cancellation, the deadline.
 */
class ReactorMonoTest {

    static final Duration PATIENCE = Duration.ofSeconds(20);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
                    ResilienceReactorAutoConfiguration.class))
            .withBean(Script.class, Script::new)
            .withBean(Partner.class)
            .withPropertyValues(
                    "resilience.retry.configs.default.max-attempts=3",
                    "resilience.retry.configs.default.wait-duration=10ms",
                    "resilience.circuitbreaker.configs.default.sliding-window-size=4",
                    "resilience.circuitbreaker.configs.default.minimum-number-of-calls=4",
                    "resilience.circuitbreaker.configs.default.slow-call-duration-threshold=100ms",
                    "resilience.circuitbreaker.configs.default.permitted-number-of-calls-in-half-open-state=1",
                    "resilience.timeout.configs.default.timeout-duration=300ms",
                    "resilience.bulkhead.configs.default.max-concurrent-calls=1",
                    "resilience.bulkhead.instances.queue.max-wait-duration=10s",
                    "resilience.timeout.instances.all.timeout-duration=10s");

    @Test
    void callingTheMethodRunsNothingUntilSubscribedAndEachSubscriptionIsOneCall() {
        runner.run(context -> {
            Script script = context.getBean(Script.class);
            Mono<String> mono = context.getBean(Partner.class).allFive();

            assertThat(script.calls).hasValue(0);
            assertThat(breakers(context).get("all").getMetrics().bufferedCalls()).isZero();
            assertThat(bulkheads(context).get("all").getMetrics().permittedCalls()).isZero();
            assertThat(context.getBean(TimeoutRegistry.class).get("all").getMetrics().successfulCalls()).isZero();
            assertThat(retries(context).get("all").getMetrics()).isEqualTo(new RetryMetrics(0, 0, 0, 0));

            StepVerifier.create(mono).expectNext("ok").expectComplete().verify(PATIENCE);
            StepVerifier.create(mono).expectNext("ok").expectComplete().verify(PATIENCE);

            assertThat(script.calls).hasValue(2);
            assertThat(script.subscriptions).hasValue(2);
            assertThat(breakers(context).get("all").getMetrics().bufferedCalls()).isEqualTo(2);
            assertThat(bulkheads(context).get("all").getMetrics().permittedCalls()).isEqualTo(2);
            assertThat(retries(context).get("all").getMetrics().successfulCallsWithoutRetry()).isEqualTo(2);
        });
    }

    @Test
    void eachRetryAttemptCallsTheMethodAgainAfterAWaitOffTheSubscribersThread() {
        runner.run(context -> {
            Script script = context.getBean(Script.class)
                    .plan(() -> Mono.error(new IllegalStateException("1")), () -> Mono.error(new IllegalStateException("2")));

            StepVerifier.create(context.getBean(Partner.class).retried()).expectNext("ok").expectComplete()
                    .verify(PATIENCE);

            assertThat(script.calls).hasValue(3);
            assertThat(script.subscriptions).hasValue(3);
            assertThat(script.threads.get(0)).isEqualTo(Thread.currentThread().getName());
            assertThat(script.threads.subList(1, 3)).allSatisfy(name -> assertThat(name).startsWith("ForkJoinPool"));
            assertThat(retries(context).get("retry").getMetrics().successfulCallsWithRetry()).isEqualTo(1);
        });
    }

    @Test
    void exhaustedRetriesEndWithTheLastFailureUnchanged() {
        runner.run(context -> {
            IllegalStateException last = new IllegalStateException("3");
            context.getBean(Script.class).plan(() -> Mono.error(new IllegalStateException("1")),
                    () -> Mono.error(new IllegalStateException("2")), () -> Mono.error(last));

            StepVerifier.create(context.getBean(Partner.class).retried()).expectErrorSatisfies(
                    failure -> assertThat(failure).isSameAs(last)).verify(PATIENCE);

            assertThat(retries(context).get("retry").getMetrics().failedCallsWithRetry()).isEqualTo(1);
        });
    }

    @Test
    void theSubscribersContextReachesThePublisherOnEveryAttempt() {
        runner.run(context -> {
            List<String> seen = new CopyOnWriteArrayList<>();
            context.getBean(Script.class).otherwise(() -> Mono.deferContextual(view -> {
                seen.add(view.get("user"));
                return seen.size() < 3 ? Mono.error(new IllegalStateException()) : Mono.just("ok");
            }));

            StepVerifier.create(context.getBean(Partner.class).retried().contextWrite(Context.of("user", "alice")))
                    .expectNext("ok").expectComplete().verify(PATIENCE);

            assertThat(seen).containsExactly("alice", "alice", "alice");
        });
    }

    @Test
    void anOpenBreakerErrorsWithoutCallingTheMethodOrSubscribing() {
        runner.run(context -> {
            Script script = context.getBean(Script.class);
            breakers(context).get("cb").transitionToForcedOpenState();

            StepVerifier.create(context.getBean(Partner.class).breaker())
                    .expectError(CircuitBreakerOpenException.class).verify(PATIENCE);

            assertThat(script.calls).hasValue(0);
            assertThat(script.subscriptions).hasValue(0);
            assertThat(breakers(context).get("cb").getMetrics().notPermittedCalls()).isEqualTo(1);
        });
    }

    @Test
    void theBreakerRecordsTheOutcomeOnTheTerminalSignal() {
        runner.run(context -> {
            Sinks.One<String> answer = Sinks.one();
            Script script = context.getBean(Script.class).plan(answer::asMono, () -> Mono.error(new IllegalStateException()),
                    () -> Mono.delay(Duration.ofMillis(400)).thenReturn("slow"));
            Partner partner = context.getBean(Partner.class);

            Subscriber<String> first = Subscriber.subscribe(partner.breaker());
            assertThat(script.subscriptions).hasValue(1);
            assertThat(breakers(context).get("cb").getMetrics().bufferedCalls()).isZero();
            answer.tryEmitValue("late");
            assertThat(first.values).containsExactly("late");
            assertThat(breakers(context).get("cb").getMetrics().bufferedCalls()).isEqualTo(1);

            StepVerifier.create(partner.breaker()).expectError(IllegalStateException.class).verify(PATIENCE);
            assertThat(breakers(context).get("cb").getMetrics().failedCalls()).isEqualTo(1);

            StepVerifier.create(partner.breaker()).expectNext("slow").expectComplete().verify(PATIENCE);
            assertThat(breakers(context).get("cb").getMetrics().slowCalls()).isEqualTo(1);
            assertThat(breakers(context).get("cb").getMetrics().bufferedCalls()).isEqualTo(3);
        });
    }

    @Test
    void aCancelledSubscriptionGivesItsPermissionBackWithoutBeingCountedAndCancelsTheSource() {
        runner.run(context -> {
            Script script = context.getBean(Script.class).plan(Mono::never);
            dev.resilience.core.circuitbreaker.CircuitBreaker breaker = breakers(context).get("cb");
            breaker.transitionToHalfOpenState();
            Partner partner = context.getBean(Partner.class);

            Subscriber<String> cancelled = Subscriber.subscribe(partner.breaker());
            StepVerifier.create(partner.breaker()).expectError(CircuitBreakerOpenException.class).verify(PATIENCE);
            cancelled.cancel();

            assertThat(script.cancellations).hasValue(1);
            assertThat(breaker.getMetrics().bufferedCalls()).isZero();
            // the one trial call of HALF_OPEN was given back
            StepVerifier.create(partner.breaker()).expectNext("ok").expectComplete().verify(PATIENCE);
        });
    }

    @Test
    void aMonoThatDoesNotAnswerInTimeFailsAtTheDeadlineAndItsSourceIsCancelled() {
        runner.run(context -> {
            Script script = context.getBean(Script.class).plan(Mono::never);
            long start = System.nanoTime();

            StepVerifier.create(context.getBean(Partner.class).timed())
                    .expectError(TimeoutExceededException.class).verify(PATIENCE);

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(script.cancellations).hasValue(1);
            assertThat(context.getBean(TimeoutRegistry.class).get("timeout").getMetrics().timedOutCalls()).isEqualTo(1);

            StepVerifier.create(context.getBean(Partner.class).timed()).expectNext("ok").expectComplete().verify(PATIENCE);
            assertThat(context.getBean(TimeoutRegistry.class).get("timeout").getMetrics().successfulCalls()).isEqualTo(1);
        });
    }

    @Test
    void aBulkheadPermitIsHeldFromSubscriptionToTheTerminalSignalAndGivenBackOnceWhateverTheEnd() {
        runner.run(context -> {
            Sinks.One<String> value = Sinks.one();
            Sinks.One<String> error = Sinks.one();
            context.getBean(Script.class).plan(value::asMono, error::asMono, Mono::never);
            Partner partner = context.getBean(Partner.class);
            dev.resilience.core.bulkhead.Bulkhead bulkhead = bulkheads(context).get("bulkhead");

            Subscriber<String> first = Subscriber.subscribe(partner.bounded());
            assertThat(bulkhead.getAvailableConcurrentCalls()).isZero();
            StepVerifier.create(partner.bounded()).expectError(BulkheadFullException.class).verify(PATIENCE);
            value.tryEmitValue("v");
            assertThat(first.values).containsExactly("v");
            assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);

            Subscriber<String> failing = Subscriber.subscribe(partner.bounded());
            error.tryEmitError(new IllegalStateException());
            assertThat(failing.failure.get()).isInstanceOf(IllegalStateException.class);
            assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);

            Subscriber<String> cancelled = Subscriber.subscribe(partner.bounded());
            assertThat(bulkhead.getAvailableConcurrentCalls()).isZero();
            cancelled.cancel();
            cancelled.cancel();
            assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
            assertThat(bulkhead.getMetrics().permittedCalls()).isEqualTo(3);
            assertThat(bulkhead.getMetrics().rejectedCalls()).isEqualTo(1);
        });
    }

    @Test
    void aSubscriberWaitingForAPermitHoldsNoThread() {
        runner.run(context -> {
            Sinks.One<String> value = Sinks.one();
            context.getBean(Script.class).plan(value::asMono);
            Partner partner = context.getBean(Partner.class);

            Subscriber<String> first = Subscriber.subscribe(partner.queued());
            // subscribed on this thread, which comes back at once although no permit is free
            Subscriber<String> waiting = Subscriber.subscribe(partner.queued());
            assertThat(waiting.values).isEmpty();
            assertThat(waiting.failure.get()).isNull();

            // only this thread can free the permit: had the subscription above blocked it, the wait would have run out
            value.tryEmitValue("first");
            assertThat(first.values).containsExactly("first");
            await().atMost(PATIENCE).until(() -> waiting.done);
            assertThat(waiting.values).containsExactly("ok");
        });
    }

    @Test
    void aFailureIsAnsweredByTheFallbacksMono() {
        runner.run(context -> {
            context.getBean(Script.class).plan(() -> Mono.error(new IllegalStateException("down")));

            StepVerifier.create(context.getBean(Partner.class).withFallback())
                    .expectNext("fallback: down").expectComplete().verify(PATIENCE);
        });
    }

    @Test
    void allFiveTogether() {
        runner.run(context -> {
            context.getBean(Script.class).plan(() -> Mono.error(new IllegalStateException("1")))
                    .otherwise(() -> Mono.error(new IllegalStateException("still down")));
            Partner partner = context.getBean(Partner.class);

            StepVerifier.create(partner.allFive()).expectNext("fallback: still down").expectComplete().verify(PATIENCE);

            assertThat(context.getBean(Script.class).calls).hasValue(3);
            assertThat(breakers(context).get("all").getMetrics().failedCalls()).isEqualTo(3);
            assertThat(bulkheads(context).get("all").getAvailableConcurrentCalls()).isEqualTo(1);
        });
    }

    @Test
    void aMethodThatThrowsOrReturnsNullFailsThePublisher() {
        runner.run(context -> {
            Partner partner = context.getBean(Partner.class);

            StepVerifier.create(partner.throwing()).expectErrorMessage("thrown").verify(PATIENCE);
            StepVerifier.create(partner.nothing()).expectErrorSatisfies(failure -> assertThat(failure)
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("Partner.nothing() returned null instead of a Mono")).verify(PATIENCE);
            assertThat(breakers(context).get("thrown").getMetrics().failedCalls()).isEqualTo(2);
        });
    }

    private static CircuitBreakerRegistry breakers(AssertableApplicationContext context) {
        return context.getBean(CircuitBreakerRegistry.class);
    }

    private static BulkheadRegistry bulkheads(AssertableApplicationContext context) {
        return context.getBean(BulkheadRegistry.class);
    }

    private static RetryRegistry retries(AssertableApplicationContext context) {
        return context.getBean(RetryRegistry.class);
    }

    /** A subscriber that requests everything and keeps what it got. */
    static final class Subscriber<T> extends BaseSubscriber<T> {

        final List<T> values = new CopyOnWriteArrayList<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        volatile boolean done;

        static <T> Subscriber<T> subscribe(org.reactivestreams.Publisher<T> publisher) {
            Subscriber<T> subscriber = new Subscriber<>();
            publisher.subscribe(subscriber);
            return subscriber;
        }

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        protected void hookOnNext(T value) {
            values.add(value);
        }

        @Override
        protected void hookOnError(Throwable throwable) {
            failure.set(throwable);
        }

        @Override
        protected void hookFinally(reactor.core.publisher.SignalType type) {
            done = true;
        }
    }

    static class Partner {

        private final Script script;

        Partner(Script script) {
            this.script = script;
        }

        @CircuitBreaker("cb")
        public Mono<String> breaker() {
            return script.mono();
        }

        @Retry("retry")
        public Mono<String> retried() {
            return script.mono();
        }

        @Timeout("timeout")
        public Mono<String> timed() {
            return script.mono();
        }

        @Bulkhead("bulkhead")
        public Mono<String> bounded() {
            return script.mono();
        }

        @Bulkhead("queue")
        public Mono<String> queued() {
            return script.mono();
        }

        @Fallback("recover")
        public Mono<String> withFallback() {
            return script.mono();
        }

        @Fallback("recover")
        @Retry("all")
        @CircuitBreaker("all")
        @Timeout("all")
        @Bulkhead("all")
        public Mono<String> allFive() {
            return script.mono();
        }

        @CircuitBreaker("thrown")
        public Mono<String> throwing() {
            throw new IllegalStateException("thrown");
        }

        @CircuitBreaker("thrown")
        public Mono<String> nothing() {
            return null;
        }

        Mono<String> recover(Throwable failure) {
            return Mono.just("fallback: " + failure.getMessage());
        }
    }
}

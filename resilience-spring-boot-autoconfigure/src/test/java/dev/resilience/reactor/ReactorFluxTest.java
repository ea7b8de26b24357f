package dev.resilience.reactor;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;
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
import dev.resilience.core.TimeoutExceededException;
import dev.resilience.core.bulkhead.BulkheadRegistry;
import dev.resilience.core.circuitbreaker.CircuitBreakerMetrics;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every annotation on a method returning {@code Flux}: elements stream to the subscriber within its demand while the
 * policies see one stage per attempt, completed by the terminal signal.
 */
class ReactorFluxTest {

    static final Duration PATIENCE = ReactorMonoTest.PATIENCE;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
                    ResilienceReactorAutoConfiguration.class))
            .withBean(Script.class, Script::new)
            .withBean(Partner.class)
            .withPropertyValues(
                    "resilience.retry.configs.default.max-attempts=3",
                    "resilience.retry.configs.default.wait-duration=10ms",
                    "resilience.circuitbreaker.configs.default.sliding-window-size=10",
                    "resilience.circuitbreaker.configs.default.minimum-number-of-calls=10",
                    "resilience.timeout.configs.default.timeout-duration=300ms",
                    "resilience.bulkhead.configs.default.max-concurrent-calls=1",
                    "resilience.timeout.instances.all.timeout-duration=10s",
                    "resilience.retry.instances.stress.wait-duration=0",
                    "resilience.timeout.instances.stress.timeout-duration=5ms",
                    "resilience.retry.instances.stress.max-attempts=4");

    @Test
    void elementsReachTheSubscriberAsTheyComeAndTheBreakerRecordsTheEnd() {
        runner.run(context -> {
            TestPublisher<String> source = TestPublisher.create();
            context.getBean(Script.class).plan(() -> source);
            CircuitBreakerRegistry breakers = context.getBean(CircuitBreakerRegistry.class);

            StepVerifier.create(context.getBean(Partner.class).breaker())
                    .then(() -> source.next("a")).expectNext("a")
                    .then(() -> assertThat(breakers.get("cb").getMetrics().bufferedCalls()).isZero())
                    .then(() -> source.next("b")).expectNext("b")
                    .then(source::complete).expectComplete().verify(PATIENCE);

            assertThat(breakers.get("cb").getMetrics().successfulCalls()).isEqualTo(1);
        });
    }

    @Test
    void theSubscribersDemandReachesTheSource() {
        runner.run(context -> {
            List<Long> requests = new CopyOnWriteArrayList<>();
            context.getBean(Script.class).plan(() -> Flux.range(1, 10).map(String::valueOf).doOnRequest(requests::add));

            StepVerifier.create(context.getBean(Partner.class).breaker(), 2).expectNext("1", "2")
                    .thenRequest(3).expectNext("3", "4", "5").thenCancel().verify(PATIENCE);

            assertThat(requests).containsExactly(2L, 3L);
        });
    }

    @Test
    void aRetriedFluxRestartsFromTheBeginningAndItsNewAttemptAsksOnlyForWhatIsLeft() {
        runner.run(context -> {
            List<Long> secondRequests = new CopyOnWriteArrayList<>();
            Script script = context.getBean(Script.class).plan(
                    () -> Flux.just("a", "b").concatWith(Flux.error(new IllegalStateException("broken"))),
                    () -> Flux.just("a", "b", "c").doOnRequest(secondRequests::add));

            StepVerifier.create(context.getBean(Partner.class).retried(), 3).expectNext("a", "b", "a")
                    .then(() -> assertThat(secondRequests).containsExactly(1L))
                    .thenRequest(Long.MAX_VALUE).expectNext("b", "c").expectComplete().verify(PATIENCE);

            assertThat(script.calls).hasValue(2);
        });
    }

    @Test
    void theSubscribersContextReachesEveryAttempt() {
        runner.run(context -> {
            List<String> seen = new CopyOnWriteArrayList<>();
            context.getBean(Script.class).otherwise(() -> Flux.deferContextual(view -> {
                seen.add(view.get("user"));
                return seen.size() < 3 ? Flux.error(new IllegalStateException()) : Flux.just("ok");
            }));

            StepVerifier.create(context.getBean(Partner.class).retried().contextWrite(Context.of("user", "bob")))
                    .expectNext("ok").expectComplete().verify(PATIENCE);

            assertThat(seen).containsExactly("bob", "bob", "bob");
        });
    }

    @Test
    void theTimeoutBoundsTheWholeFluxUpToItsCompletionAndCancelsItAtTheDeadline() {
        runner.run(context -> {
            Script script = context.getBean(Script.class)
                    .plan(() -> Flux.interval(Duration.ofMillis(50)).map(String::valueOf));
            long start = System.nanoTime();

            StepVerifier.create(context.getBean(Partner.class).timed()).thenConsumeWhile(element -> true)
                    .expectError(TimeoutExceededException.class).verify(PATIENCE);

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(script.cancellations).hasValue(1);
            StepVerifier.create(context.getBean(Partner.class).timed()).expectNext("ok").expectComplete().verify(PATIENCE);
        });
    }

    @Test
    void aCancellationAfterElementsIsASuccessAndOneBeforeAnyIsNotCounted() {
        runner.run(context -> {
            Script script = context.getBean(Script.class).plan(() -> Flux.range(1, 1000).map(String::valueOf), Flux::never);
            Partner partner = context.getBean(Partner.class);
            CircuitBreakerRegistry breakers = context.getBean(CircuitBreakerRegistry.class);

            StepVerifier.create(partner.breaker().take(2)).expectNext("1", "2").expectComplete().verify(PATIENCE);
            assertThat(script.cancellations).hasValue(1);
            CircuitBreakerMetrics metrics = breakers.get("cb").getMetrics();
            assertThat(metrics.successfulCalls()).isEqualTo(1);
            assertThat(metrics.failedCalls()).isZero();

            ReactorMonoTest.Subscriber<String> waiting = ReactorMonoTest.Subscriber.subscribe(partner.breaker());
            waiting.cancel();
            assertThat(script.cancellations).hasValue(2);
            assertThat(breakers.get("cb").getMetrics().bufferedCalls()).isEqualTo(1);

            // cancelled as it subscribes: the method is not even called
            StepVerifier.create(partner.breaker()).thenCancel().verify(PATIENCE);
            assertThat(script.calls).hasValue(2);
        });
    }

    @Test
    void theFallbacksElementsFollowThoseDeliveredBeforeTheFailure() {
        runner.run(context -> {
            context.getBean(Script.class)
                    .plan(() -> Flux.just("a").concatWith(Flux.error(new IllegalStateException("down"))));

            StepVerifier.create(context.getBean(Partner.class).withFallback())
                    .expectNext("a", "cold after down").expectComplete().verify(PATIENCE);
        });
    }

    @Test
    void aBulkheadPermitIsHeldWhileTheFluxStreamsAndGivenBackOnceAtItsEnd() {
        runner.run(context -> {
            TestPublisher<String> streaming = TestPublisher.create();
            TestPublisher<String> failing = TestPublisher.create();
            context.getBean(Script.class).plan(() -> streaming, () -> failing, Flux::never);
            Partner partner = context.getBean(Partner.class);
            dev.resilience.core.bulkhead.Bulkhead bulkhead = context.getBean(BulkheadRegistry.class).get("bulkhead");

            ReactorMonoTest.Subscriber<String> first = ReactorMonoTest.Subscriber.subscribe(partner.bounded());
            streaming.next("a");
            assertThat(first.values).containsExactly("a");
            assertThat(bulkhead.getAvailableConcurrentCalls()).isZero();
            streaming.complete();
            assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);

            ReactorMonoTest.Subscriber<String> second = ReactorMonoTest.Subscriber.subscribe(partner.bounded());
            failing.error(new IllegalStateException());
            assertThat(second.failure.get()).isInstanceOf(IllegalStateException.class);
            assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);

            ReactorMonoTest.Subscriber<String> third = ReactorMonoTest.Subscriber.subscribe(partner.bounded());
            assertThat(bulkhead.getAvailableConcurrentCalls()).isZero();
            third.cancel();
            assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
        });
    }

    @Test
    void allFiveTogether() {
        runner.run(context -> {
            context.getBean(Script.class).plan(() -> Flux.just("a").concatWith(Flux.error(new IllegalStateException())))
                    .otherwise(() -> Flux.just("x", "y"));

            StepVerifier.create(context.getBean(Partner.class).allFive())
                    .expectNext("a", "x", "y").expectComplete().verify(PATIENCE);

            assertThat(context.getBean(CircuitBreakerRegistry.class).get("all").getMetrics().bufferedCalls())
                    .isEqualTo(2);
            assertThat(context.getBean(BulkheadRegistry.class).get("all").getAvailableConcurrentCalls()).isEqualTo(1);
        });
    }

    /**
     * Attempts that emit on other threads, cut by a short timeout and retried at once: whatever the timing, the
     * subscriber's signals never overlap, it never gets more than it asked for, and it always gets its end.
     */
    @Test
    void racingAttemptsNeverOverlapNorOverrunTheDemand() {
        runner.run(context -> {
            context.getBean(Script.class).otherwise(() -> Flux.interval(Duration.ofMillis(1), Schedulers.parallel())
                    .map(String::valueOf).take(8));
            Partner partner = context.getBean(Partner.class);
            int subscribers = 200;
            CountDownLatch ended = new CountDownLatch(subscribers);
            AtomicInteger violations = new AtomicInteger();
            for (int i = 0; i < subscribers; i++) {
                partner.stressed().subscribe(new Checking(5, violations, ended));
            }
            assertThat(ended.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            assertThat(violations).hasValue(0);
        });
    }

    /** Requests {@code demand} elements, and counts a violation for overlapping signals or more than it asked. */
    private static final class Checking extends BaseSubscriber<String> {

        private final long demand;
        private final AtomicInteger violations;
        private final CountDownLatch ended;
        private final AtomicBoolean inside = new AtomicBoolean();
        private final AtomicLong received = new AtomicLong();

        Checking(long demand, AtomicInteger violations, CountDownLatch ended) {
            this.demand = demand;
            this.violations = violations;
            this.ended = ended;
        }

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            subscription.request(demand);
        }

        @Override
        protected void hookOnNext(String value) {
            enter();
            if (received.incrementAndGet() > demand) {
                violations.incrementAndGet();
            }
            Thread.onSpinWait();
            inside.set(false);
        }

        @Override
        protected void hookOnComplete() {
            enter();
            ended.countDown();
        }

        @Override
        protected void hookOnError(Throwable throwable) {
            enter();
            ended.countDown();
        }

        private void enter() {
            if (!inside.compareAndSet(false, true)) {
                violations.incrementAndGet();
            }
        }
    }

    static class Partner {

        private final Script script;

        Partner(Script script) {
            this.script = script;
        }

        @CircuitBreaker("cb")
        public Flux<String> breaker() {
            return script.flux();
        }

        @Retry("retry")
        public Flux<String> retried() {
            return script.flux();
        }

        @Timeout("timeout")
        public Flux<String> timed() {
            return script.flux();
        }

        @Bulkhead("bulkhead")
        public Flux<String> bounded() {
            return script.flux();
        }

        @Fallback("recover")
        public Flux<String> withFallback() {
            return script.flux();
        }

        @Fallback("recover")
        @Retry("all")
        @CircuitBreaker("all")
        @Timeout("all")
        @Bulkhead("all")
        public Flux<String> allFive() {
            return script.flux();
        }

        @Retry("stress")
        @Timeout("stress")
        public Flux<String> stressed() {
            return script.flux();
        }

        Flux<String> recover(Throwable failure) {
            return Flux.just("cold after " + failure.getMessage());
        }
    }
}

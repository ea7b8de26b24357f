package dev.resilience.reactor;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.blockhound.BlockHound;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Fallback;
import dev.resilience.annotation.Retry;
import dev.resilience.annotation.Timeout;
import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.ResilienceReactorAutoConfiguration;
import dev.resilience.core.bulkhead.BulkheadRegistry;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.retry.RetryRegistry;
import dev.resilience.core.timeout.TimeoutRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No protected {@code Mono} or {@code Flux} blocks a thread, proved by Reactor's BlockHound: every blocking call
 * (a park, a sleep, a wait, blocking I/O) on a non-blocking thread is recorded, and none may be. Non-blocking here
 * are Reactor's own (the parallel scheduler the calls are subscribed and emit on) and every thread our policies run
 * code on: the scheduler's timer thread (deadlines, retry waits) and the common pool that runs the work it hands on
 * (the next retry attempt, a bulkhead waiter that got its permit). Bulkheads are full, retries wait, timeouts fire,
 * breakers are open, fallbacks answer, all at once.
 *
 * <p>Tagged {@code blockhound}: it runs in a JVM of its own (the {@code blockhound} execution of surefire), which lets
 * BlockHound redefine the JDK's native methods ({@code -XX:+AllowRedefinitionToAddDeleteMethods}).
 */
@Tag("blockhound")
class ReactorBlockHoundTest {

    private static final List<String> BLOCKING_CALLS = new CopyOnWriteArrayList<>();
    private static final int CALLS = 200;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
                    ResilienceReactorAutoConfiguration.class))
            .withBean(Partner.class)
            .withPropertyValues(
                    "resilience.retry.configs.default.max-attempts=3",
                    "resilience.retry.configs.default.wait-duration=5ms",
                    "resilience.circuitbreaker.configs.default.sliding-window-size=10",
                    "resilience.circuitbreaker.configs.default.minimum-number-of-calls=5",
                    "resilience.circuitbreaker.configs.default.wait-duration-in-open-state=20ms",
                    "resilience.timeout.configs.default.timeout-duration=30ms",
                    "resilience.bulkhead.configs.default.max-concurrent-calls=4",
                    "resilience.bulkhead.configs.default.max-wait-duration=2s",
                    "resilience.bulkhead.instances.full.max-wait-duration=0");

    @BeforeAll
    static void installBlockHound() {
        // with Reactor's own integration (found by the service loader): its threads, and the waits it allows
        BlockHound.install(builder -> builder
                .nonBlockingThreadPredicate(reactors -> reactors.or(thread -> thread instanceof ForkJoinWorkerThread
                        || thread.getName().startsWith("resilience-scheduler-")))
                // a cancelled deadline leaves the timer's queue under its lock, as Reactor's own tasks do when disposed
                .allowBlockingCallsInside("java.util.concurrent.ScheduledThreadPoolExecutor$ScheduledFutureTask",
                        "cancel")
                .blockingMethodCallback(method -> {
                    List<String> callers = callers();
                    // an idle worker of the common pool spins, then parks, until it is given work: no call waits
                    // there (the JDK's own loop, awaitWork up to JDK 21, deactivate from JDK 25 on)
                    if (callers.isEmpty() || !callers.get(0).startsWith("java.util.concurrent.ForkJoinPool.")) {
                        BLOCKING_CALLS.add(method + " on " + Thread.currentThread().getName() + " in " + callers);
                    }
                }));
    }

    /** Where the blocking call came from: the first frames outside BlockHound, the JDK's locks and spin waits. */
    private static List<String> callers() {
        return StackWalker.getInstance().walk(frames -> frames
                .map(frame -> frame.getClassName() + "." + frame.getMethodName())
                .filter(name -> !name.startsWith("reactor.blockhound.") && !name.startsWith("java.util.concurrent.locks.")
                        && !name.startsWith("jdk.internal.misc.") && !name.equals("java.lang.Thread.onSpinWait")
                        && !name.startsWith(ReactorBlockHoundTest.class.getName()))
                .limit(6).toList());
    }

    @BeforeEach
    void nothingRecordedYet() {
        BLOCKING_CALLS.clear();
    }

    @Test
    void blockHoundSeesABlockingCallOnANonBlockingThread() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        Mono.fromCallable(() -> {
            Thread.sleep(1);
            return "slept";
        }).subscribeOn(Schedulers.parallel()).doFinally(signal -> done.countDown()).subscribe();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        // and in a task of the common pool, where our retries and bulkhead waiters run
        ForkJoinPool.commonPool().submit(() -> {
            Thread.sleep(1);
            return "slept";
        }).get(10, TimeUnit.SECONDS);

        // Thread.sleep's native method: sleep0 up to JDK 21, sleepNanos0 from JDK 22 on
        assertThat(BLOCKING_CALLS)
                .anySatisfy(call -> assertThat(call).matches("java\\.lang\\.Thread\\.sleep\\w* on parallel-.*"))
                .anySatisfy(call -> assertThat(call).matches(
                        "java\\.lang\\.Thread\\.sleep\\w* on ForkJoinPool\\.commonPool-.*"));
    }

    @Test
    void monosUnderEveryAnnotationNeverBlock() {
        runner.run(context -> {
            Partner partner = context.getBean(Partner.class);
            context.getBean(CircuitBreakerRegistry.class).get("open").transitionToForcedOpenState();
            List<Supplier<Mono<String>>> calls = List.of(partner::retried, partner::hanging, partner::bounded,
                    partner::full, partner::open, partner::allFive, partner::flaky);

            run(CALLS, index -> calls.get(index % calls.size()).get());

            assertThat(BLOCKING_CALLS).isEmpty();
            // and the calls went every way: retried, timed out, refused by a full bulkhead and by an open breaker
            assertThat(context.getBean(RetryRegistry.class).get("retried").getMetrics().successfulCallsWithRetry())
                    .isPositive();
            assertThat(context.getBean(TimeoutRegistry.class).get("hanging").getMetrics().timedOutCalls()).isPositive();
            assertThat(context.getBean(BulkheadRegistry.class).get("full").getMetrics().rejectedCalls()).isPositive();
            assertThat(context.getBean(CircuitBreakerRegistry.class).get("open").getMetrics().notPermittedCalls())
                    .isPositive();
        });
    }

    @Test
    void fluxesUnderEveryAnnotationNeverBlock() {
        runner.run(context -> {
            Partner partner = context.getBean(Partner.class);
            List<Supplier<Flux<String>>> calls = List.of(partner::streamed, partner::streamedAllFive,
                    partner::streamedTooLong);

            run(CALLS, index -> calls.get(index % calls.size()).get().take(1 + index % 3));

            assertThat(BLOCKING_CALLS).isEmpty();
        });
    }

    /** Subscribes {@code count} calls on the parallel scheduler at once and waits (on this thread) for their end. */
    private static void run(int count, java.util.function.IntFunction<Publisher<String>> call)
            throws InterruptedException {
        CountDownLatch ended = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            int index = i;
            Flux.from(call.apply(index)).subscribeOn(Schedulers.parallel())
                    .doFinally(signal -> ended.countDown())
                    .subscribe(value -> { }, failure -> { });
        }
        assertThat(ended.await(30, TimeUnit.SECONDS)).as("every call ended").isTrue();
    }

    static class Partner {

        private final AtomicInteger calls = new AtomicInteger();

        /** Fails its first two attempts out of three, answering on the parallel scheduler. */
        private Mono<String> unreliable() {
            int call = calls.incrementAndGet();
            Mono<String> answer = (call % 3 == 0) ? Mono.just("ok") : Mono.error(new IllegalStateException("down"));
            return answer.delayElement(Duration.ofMillis(1), Schedulers.parallel());
        }

        @Retry("retried")
        public Mono<String> retried() {
            return unreliable();
        }

        @Timeout("hanging")
        public Mono<String> hanging() {
            return Mono.never();
        }

        @Bulkhead("bounded")
        public Mono<String> bounded() {
            return Mono.just("ok").delayElement(Duration.ofMillis(2), Schedulers.parallel());
        }

        @Bulkhead("full")
        public Mono<String> full() {
            return Mono.just("ok").delayElement(Duration.ofMillis(2), Schedulers.parallel());
        }

        @CircuitBreaker("open")
        @Fallback("recover")
        public Mono<String> open() {
            return Mono.just("never called");
        }

        @CircuitBreaker("flaky")
        public Mono<String> flaky() {
            return unreliable();
        }

        @Fallback("recover")
        @Retry("all")
        @CircuitBreaker("all")
        @Timeout("all")
        @Bulkhead("all")
        public Mono<String> allFive() {
            return unreliable();
        }

        @Retry("streamed")
        @CircuitBreaker("streamed")
        public Flux<String> streamed() {
            return unreliable().flux().concatWith(Flux.just("more", "and more"));
        }

        @Fallback("recoverMany")
        @Retry("all")
        @CircuitBreaker("all")
        @Timeout("all")
        @Bulkhead("all")
        public Flux<String> streamedAllFive() {
            return Flux.interval(Duration.ofMillis(1), Schedulers.parallel()).map(String::valueOf).take(5)
                    .concatWith(unreliable());
        }

        @Timeout("hanging")
        @Retry("retried")
        public Flux<String> streamedTooLong() {
            return Flux.interval(Duration.ofMillis(10), Schedulers.parallel()).map(String::valueOf);
        }

        Mono<String> recover(Throwable failure) {
            return Mono.just("fallback");
        }

        Flux<String> recoverMany(Throwable failure) {
            return Flux.just("fallback", "again");
        }
    }
}

package dev.resilience.core.circuitbreaker;

import dev.resilience.core.AsyncCall;
import dev.resilience.core.Call;
import dev.resilience.core.CircuitBreakerOpenException;
import dev.resilience.core.ManualScheduler;
import dev.resilience.core.ManualTicker;
import dev.resilience.core.circuitbreaker.CircuitBreaker.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Many threads against one breaker: the counts add up and the transitions form one legal chain. */
class CircuitBreakerConcurrencyTest {

    private static final int THREADS = 8;
    private static final Set<String> AUTOMATIC_TRANSITIONS =
            Set.of("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN", "HALF_OPEN->CLOSED");

    private final ManualTicker ticker = new ManualTicker();
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    /** The failure the hammered calls throw; anything else reaching a caller is a leak. */
    private static final class Expected extends RuntimeException {
        Expected() {
            super("expected", null, false, false);
        }
    }

    @Test
    void hammeringOneBreakerKeepsCountsAndTransitionsConsistent() throws Exception {
        CircuitBreaker breaker = CircuitBreaker.of("hammered", CircuitBreakerConfig.builder()
                .slidingWindowSize(4)
                .minimumNumberOfCalls(4)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofMillis(5))
                .permittedNumberOfCallsInHalfOpenState(2)
                .build(), ticker, new ManualScheduler(ticker));
        RecordingListener listener = new RecordingListener();
        breaker.addListener(listener);
        Call<Boolean> sync = breaker.decorate(fail -> {
            if (fail) {
                throw new Expected();
            }
            return "ok";
        });
        AsyncCall<Boolean> async = breaker.decorateAsync(fail -> fail
                ? CompletableFuture.failedFuture(new Expected())
                : CompletableFuture.completedFuture("ok"));

        int attemptsPerThread = 3_000;
        AtomicLong successes = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        AtomicLong rejections = new AtomicLong();
        ConcurrentLinkedQueue<Throwable> leaks = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);

        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            workers.add(pool.submit((Callable<Void>) () -> {
                start.await();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < attemptsPerThread; i++) {
                    ticker.advance(Duration.ofMillis(1));
                    boolean fail = random.nextInt(100) < 40;
                    Throwable outcome;
                    try {
                        if (random.nextBoolean()) {
                            sync.invoke(fail);
                        } else {
                            async.invoke(fail).toCompletableFuture().join();
                        }
                        outcome = null;
                    } catch (CompletionException e) {
                        outcome = e.getCause();
                    } catch (Throwable e) {
                        outcome = e;
                    }
                    if (outcome == null) {
                        successes.incrementAndGet();
                    } else if (outcome instanceof Expected) {
                        failures.incrementAndGet();
                    } else if (outcome instanceof CircuitBreakerOpenException) {
                        rejections.incrementAndGet();
                    } else {
                        leaks.add(outcome);
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> worker : workers) {
            worker.get(60, TimeUnit.SECONDS);
        }

        assertThat(leaks).isEmpty();
        long attempts = (long) THREADS * attemptsPerThread;
        assertThat(successes.get() + failures.get() + rejections.get()).isEqualTo(attempts);
        assertThat(listener.successes).hasValue(successes.get());
        assertThat(listener.failures).hasValue(failures.get());
        assertThat(listener.notPermitted).hasValue(rejections.get());
        assertThat(listener.successes.get() + listener.failures.get() + listener.notPermitted.get()).isEqualTo(attempts);

        List<String> transitions = List.copyOf(listener.transitions);
        assertThat(transitions).as("the hammering must exercise every automatic transition")
                .contains("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN", "HALF_OPEN->CLOSED");
        assertThat(AUTOMATIC_TRANSITIONS).containsAll(transitions);
        String state = "CLOSED";
        for (String transition : transitions) {
            assertThat(transition).as("transition after reaching %s", state).startsWith(state + "->");
            state = transition.substring(transition.indexOf("->") + 2);
        }
        assertThat(breaker.getState()).isEqualTo(State.valueOf(state));
    }

    @RepeatedTest(20)
    void openMovesToHalfOpenExactlyOnceAndAdmitsExactlyTheTrialsUnderContention() throws Exception {
        CircuitBreaker breaker = CircuitBreaker.of("raced", CircuitBreakerConfig.builder()
                .slidingWindowSize(2)
                .minimumNumberOfCalls(2)
                .waitDurationInOpenState(Duration.ofSeconds(1))
                .permittedNumberOfCallsInHalfOpenState(3)
                .build(), ticker, new ManualScheduler(ticker));
        RecordingListener listener = new RecordingListener();
        breaker.addListener(listener);
        Calls.fail(breaker, 2);
        ticker.advance(Duration.ofSeconds(1).plusNanos(1));

        int contenders = 4 * THREADS;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> permits = new ArrayList<>();
        for (int i = 0; i < contenders; i++) {
            permits.add(pool.submit(() -> {
                start.await();
                return breaker.tryAcquirePermission();
            }));
        }
        start.countDown();
        int permitted = 0;
        for (Future<Boolean> permit : permits) {
            if (permit.get(30, TimeUnit.SECONDS)) {
                permitted++;
            }
        }

        assertThat(permitted).isEqualTo(3);
        assertThat(listener.transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN");
        assertThat(listener.notPermitted).hasValue(contenders - 3);
        assertThat(breaker.getMetrics().notPermittedCalls()).isEqualTo(contenders - 3);
    }

    @RepeatedTest(20)
    void concurrentTrialOutcomesCloseTheBreakerExactlyOnce() throws Exception {
        int trials = 2 * THREADS;
        CircuitBreaker breaker = CircuitBreaker.of("trials", CircuitBreakerConfig.builder()
                .permittedNumberOfCallsInHalfOpenState(trials)
                .build(), ticker, new ManualScheduler(ticker));
        RecordingListener listener = new RecordingListener();
        breaker.addListener(listener);
        breaker.transitionToHalfOpenState();
        for (int i = 0; i < trials; i++) {
            assertThat(breaker.tryAcquirePermission()).isTrue();
        }

        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> outcomes = new ArrayList<>();
        for (int i = 0; i < trials; i++) {
            outcomes.add(pool.submit((Callable<Void>) () -> {
                start.await();
                breaker.onSuccess(0);
                return null;
            }));
        }
        start.countDown();
        for (Future<?> outcome : outcomes) {
            outcome.get(30, TimeUnit.SECONDS);
        }

        assertThat(breaker.getState()).isEqualTo(State.CLOSED);
        assertThat(listener.transitions).containsExactly("CLOSED->HALF_OPEN", "HALF_OPEN->CLOSED");
    }
}

package dev.resilience.core.circuitbreaker;

import dev.resilience.core.TestSchedulers;
import dev.resilience.core.Ticker;
import dev.resilience.core.circuitbreaker.CircuitBreaker.State;
import org.junit.jupiter.api.RepeatedTest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Three instances failing at once on real threads: they all end in the first opening to reach the fleet. */
class SharedCircuitBreakerConcurrencyTest {

    @RepeatedTest(100)
    void instancesOpeningAtOnceEndInOneState() throws InterruptedException {
        InMemoryFleet fleet = new InMemoryFleet(Ticker.system(), Duration.ofSeconds(1));
        CircuitBreakerConfig config = CircuitBreakerConfig.builder().slidingWindowSize(10).minimumNumberOfCalls(10)
                .waitDurationInOpenState(Duration.ofHours(1)).build();
        List<SharedCircuitBreaker> breakers = new ArrayList<>();
        for (String instance : List.of("a", "b", "c")) {
            breakers.add(SharedCircuitBreaker.start("partner", config, Ticker.system(), TestSchedulers.never(),
                    fleet.member(instance)));
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> callers = new ArrayList<>();
        for (SharedCircuitBreaker breaker : breakers) {
            for (int t = 0; t < 2; t++) {
                callers.add(started(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException ex) {
                        return;
                    }
                    for (int i = 0; i < 200; i++) {
                        if (breaker.tryAcquirePermission()) {
                            if (ThreadLocalRandom.current().nextInt(10) < 7) {
                                breaker.onError(0, new IllegalStateException());
                            } else {
                                breaker.onSuccess(0);
                            }
                        }
                    }
                }));
            }
        }
        start.countDown();
        for (Thread caller : callers) {
            caller.join();
        }

        FleetState stored = fleet.stored("partner").orElseThrow();
        assertThat(stored.state()).isEqualTo(State.OPEN);
        assertThat(breakers).allSatisfy(breaker -> {
            assertThat(breaker.getState()).isEqualTo(State.OPEN);
            assertThat(breaker.getFleetState().generation()).isEqualTo(stored.generation());
            assertThat(breaker.getFleetState().origin()).isEqualTo(stored.origin());
        });
    }

    private static Thread started(Runnable task) {
        Thread thread = new Thread(task);
        thread.start();
        return thread;
    }
}

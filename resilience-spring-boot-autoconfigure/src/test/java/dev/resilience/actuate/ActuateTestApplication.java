package dev.resilience.actuate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.RateLimiter;
import dev.resilience.annotation.Retry;
import dev.resilience.annotation.Timeout;
import dev.resilience.autoconfigure.CircuitBreakerProperties;
import dev.resilience.core.ManualTicker;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;

/**
 * The application of the HTTP tests: a web server with the actuator, Micrometer, the resilience starter and one
 * annotated bean driving real policies. Settings in {@code application-actuate.yml}; time of the policies from a
 * {@link ManualTicker}, time of the events from a {@link SteppingClock}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ActuateTestApplication {

    @Bean
    ManualTicker resilienceTicker() {
        return new ManualTicker();
    }

    @Bean
    SteppingClock steppingClock() {
        return new SteppingClock(Instant.parse("2030-01-01T00:00:00Z"));
    }

    /** The starter's event buffers, as it configures them, but stamping events with the stepping clock. */
    @Bean
    CircuitBreakerEventBuffers circuitBreakerEventBuffers(CircuitBreakerRegistry registry,
            CircuitBreakerProperties properties, SteppingClock clock) {
        return new CircuitBreakerEventBuffers(registry, properties::eventConsumerBufferSize, clock);
    }

    @Bean
    Remote remote(ManualTicker ticker) {
        return new Remote(ticker);
    }

    @Bean
    StateChanges stateChanges() {
        return new StateChanges();
    }

    /** Each protected method takes as long as the test says (on the manual ticker) and fails when told to. */
    public static class Remote {

        private final ManualTicker ticker;

        Remote(ManualTicker ticker) {
            this.ticker = ticker;
        }

        /** Never called: its breaker exists from the start all the same. */
        @CircuitBreaker("lazy")
        public String lazy() {
            return "lazy";
        }

        @CircuitBreaker
        public String unnamed() {
            return "unnamed";
        }

        @CircuitBreaker("metered")
        public String metered(Duration took, RuntimeException failure) {
            return run(took, failure);
        }

        @CircuitBreaker("events")
        public String events(Duration took, RuntimeException failure) {
            return run(took, failure);
        }

        @CircuitBreaker("health")
        public String health(Duration took, RuntimeException failure) {
            return run(took, failure);
        }

        @CircuitBreaker("quiet")
        public String quiet(RuntimeException failure) {
            return run(Duration.ZERO, failure);
        }

        @CircuitBreaker("rates")
        public String rates(Duration took, RuntimeException failure) {
            return run(took, failure);
        }

        @CircuitBreaker("notified")
        public String notified(RuntimeException failure) {
            return run(Duration.ZERO, failure);
        }

        @CircuitBreaker("transitions")
        public String transitions(Duration took, RuntimeException failure) {
            return run(took, failure);
        }

        /** Fails while {@code failuresLeft} is above zero, counting it down. */
        @Retry("retried")
        public String retried(AtomicInteger failuresLeft) {
            if (failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("not yet");
            }
            return "done";
        }

        /** Fails when asked to, on every attempt. */
        @Retry("budgeted")
        public String budgeted(boolean fail) {
            if (fail) {
                throw new IllegalStateException("partner down");
            }
            return "done";
        }

        @Retry("retried")
        public String notRetried() {
            throw new IllegalArgumentException("never retried");
        }

        @RateLimiter("limited")
        public String limited() {
            return "limited";
        }

        @RateLimiter(name = "customers", key = "#customer")
        public String perCustomer(String customer) {
            return customer;
        }

        /** Hangs until interrupted when {@code hang}, which the timeout does at its deadline. */
        @Timeout("timed")
        public String timed(boolean hang, RuntimeException failure) throws InterruptedException {
            if (hang) {
                new CountDownLatch(1).await();
            }
            if (failure != null) {
                throw failure;
            }
            return "in time";
        }

        /** Holds its place in the bulkhead until {@code release} opens. */
        @Bulkhead("bulk")
        public String bulk(CountDownLatch entered, CountDownLatch release) throws InterruptedException {
            entered.countDown();
            release.await();
            return "through";
        }

        private String run(Duration took, RuntimeException failure) {
            ticker.advance(took);
            if (failure != null) {
                throw failure;
            }
            return "ok";
        }
    }

    /** Collects the state-change events published in the context. */
    public static class StateChanges {

        private final List<CircuitBreakerStateChangedEvent> received = new CopyOnWriteArrayList<>();

        @EventListener
        void on(CircuitBreakerStateChangedEvent event) {
            received.add(event);
        }

        public List<CircuitBreakerStateChangedEvent> of(String name) {
            return received.stream().filter(event -> event.getName().equals(name)).toList();
        }
    }

    /** A clock that moves one second forward each time it is read, so that every event has its own time. */
    public static class SteppingClock extends Clock {

        private volatile Instant start;
        private final AtomicLong reads = new AtomicLong();

        SteppingClock(Instant start) {
            this.start = start;
        }

        /** The next read answers {@code instant}, the one after it a second later, and so on. */
        public void restartAt(Instant instant) {
            start = instant;
            reads.set(0);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return start.plusSeconds(reads.getAndIncrement());
        }
    }
}

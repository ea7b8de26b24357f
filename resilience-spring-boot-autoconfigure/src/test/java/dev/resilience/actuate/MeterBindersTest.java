package dev.resilience.actuate;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.resilience.core.Call;
import dev.resilience.core.ManualTicker;
import dev.resilience.core.RateLimitExceededException;
import dev.resilience.core.TestSchedulers;
import dev.resilience.core.bulkhead.BulkheadConfig;
import dev.resilience.core.bulkhead.BulkheadRegistry;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.ratelimiter.RateLimiter;
import dev.resilience.core.ratelimiter.RateLimiterConfig;
import dev.resilience.core.ratelimiter.RateLimiterRegistry;
import dev.resilience.core.retry.RetryConfig;
import dev.resilience.core.retry.RetryRegistry;
import dev.resilience.core.timeout.TimeoutConfig;
import dev.resilience.core.timeout.TimeoutRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/** Meters appear with their instance, whenever the binder was bound, and leave with it. */
class MeterBindersTest {

    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final ManualTicker ticker = new ManualTicker();
    private final CircuitBreakerRegistry circuitBreakers = new CircuitBreakerRegistry(
            name -> CircuitBreakerConfig.ofDefaults(), ticker, TestSchedulers.never());

    @Test
    void circuitBreakerMetersForInstancesCreatedBeforeAndAfterBinding() throws Throwable {
        circuitBreakers.get("before");
        new CircuitBreakerMeterBinder(circuitBreakers).bindTo(meters);
        Call<Object> call = circuitBreakers.get("after").decorate(context -> {
            ticker.advance(Duration.ofMillis(125));
            return "value";
        });

        call.invoke(null);

        assertThat(meters.find("resilience.circuitbreaker.calls").tag("name", "before").timers()).hasSize(4);
        Timer successful = meters.get("resilience.circuitbreaker.calls").tag("name", "after")
                .tag("kind", "successful").timer();
        assertThat(successful.count()).isEqualTo(1);
        assertThat(successful.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(125.0);
        assertThat(meters.find("resilience.circuitbreaker.state").tag("name", "after").gauges()).hasSize(5);
    }

    @Test
    void circuitBreakerMetersLeaveWithTheirInstance() {
        new CircuitBreakerMeterBinder(circuitBreakers).bindTo(meters);
        circuitBreakers.get("gone");
        assertThat(meters.find("resilience.circuitbreaker.failure.rate").tag("name", "gone").gauge()).isNotNull();

        circuitBreakers.remove("gone");

        assertThat(meters.getMeters()).noneMatch(meter -> "gone".equals(meter.getId().getTag("name")));

        circuitBreakers.get("gone");
        assertThat(meters.find("resilience.circuitbreaker.calls").tag("name", "gone").timers()).hasSize(4)
                .allSatisfy(timer -> assertThat(timer.count()).isZero());
    }

    @Test
    void retryTimeoutAndBulkheadMetersLeaveWithTheirInstance() {
        RetryRegistry retries = new RetryRegistry(name -> RetryConfig.ofDefaults(), TestSchedulers.never());
        TimeoutRegistry timeouts = new TimeoutRegistry(name -> TimeoutConfig.ofDefaults(), TestSchedulers.never());
        BulkheadRegistry bulkheads = new BulkheadRegistry(name -> BulkheadConfig.ofDefaults());
        new RetryMeterBinder(retries).bindTo(meters);
        new TimeoutMeterBinder(timeouts).bindTo(meters);
        new BulkheadMeterBinder(bulkheads).bindTo(meters);
        retries.get("x");
        timeouts.get("x");
        bulkheads.get("x");
        assertThat(meters.find("resilience.retry.calls").tag("name", "x").functionCounters()).hasSize(5);
        assertThat(meters.find("resilience.timeout.calls").tag("name", "x").functionCounters()).hasSize(3);
        assertThat(meters.find("resilience.bulkhead.calls").tag("name", "x").functionCounters()).hasSize(2);
        assertThat(meters.get("resilience.bulkhead.available.concurrent.calls").tag("name", "x").gauge().value())
                .isEqualTo(25.0);

        retries.remove("x");
        timeouts.remove("x");
        bulkheads.remove("x");

        assertThat(meters.getMeters()).isEmpty();
    }

    @Test
    void rateLimiterMetersReadTheLimitersFiguresAndLeaveWithIt() {
        RateLimiterRegistry limiters = new RateLimiterRegistry(name -> RateLimiterConfig.builder().limitForPeriod(2)
                .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ZERO).build(), ticker,
                TestSchedulers.never());
        new RateLimiterMeterBinder(limiters).bindTo(meters);
        RateLimiter limiter = limiters.get("x");
        limiter.acquirePermission();
        limiter.acquirePermission();
        try {
            limiter.acquirePermission();
        }
        catch (RateLimitExceededException expected) {
            // the third of the period
        }

        assertThat(meters.get("resilience.ratelimiter.calls").tag("name", "x").tag("kind", "permitted")
                .functionCounter().count()).isEqualTo(2.0);
        assertThat(meters.get("resilience.ratelimiter.calls").tag("name", "x").tag("kind", "rejected")
                .functionCounter().count()).isEqualTo(1.0);
        assertThat(meters.get("resilience.ratelimiter.available.permissions").tag("name", "x").gauge().value())
                .isZero();
        assertThat(meters.get("resilience.ratelimiter.waiting.calls").tag("name", "x").gauge().value()).isZero();
        ticker.advance(Duration.ofSeconds(1));
        assertThat(meters.get("resilience.ratelimiter.available.permissions").tag("name", "x").gauge().value())
                .isEqualTo(2.0);

        limiters.remove("x");

        assertThat(meters.getMeters()).isEmpty();
    }
}

package dev.resilience.autoconfigure;

import dev.resilience.actuate.BulkheadMeterBinder;
import dev.resilience.actuate.CircuitBreakerMeterBinder;
import dev.resilience.actuate.RateLimiterMeterBinder;
import dev.resilience.actuate.RetryMeterBinder;
import dev.resilience.actuate.TimeoutMeterBinder;
import dev.resilience.core.Scheduler;
import dev.resilience.core.TestSchedulers;
import dev.resilience.core.bulkhead.BulkheadConfig;
import dev.resilience.core.bulkhead.BulkheadRegistry;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.ratelimiter.RateLimiterConfig;
import dev.resilience.core.ratelimiter.RateLimiterRegistry;
import dev.resilience.core.retry.RetryConfig;
import dev.resilience.core.retry.RetryRegistry;
import dev.resilience.core.timeout.TimeoutConfig;
import dev.resilience.core.timeout.TimeoutRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static dev.resilience.autoconfigure.BackOff.assertBacksOffTo;
import static org.assertj.core.api.Assertions.assertThat;

class ResilienceMetricsAutoConfigurationTest {

    private static final Scheduler NO_TIMERS = TestSchedulers.never();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
                    ResilienceMetricsAutoConfiguration.class));

    @Test
    void registersABinderForEveryKind() {
        runner.run(context -> assertThat(context).hasNotFailed()
                .hasSingleBean(CircuitBreakerMeterBinder.class)
                .hasSingleBean(RetryMeterBinder.class)
                .hasSingleBean(TimeoutMeterBinder.class)
                .hasSingleBean(BulkheadMeterBinder.class)
                .hasSingleBean(RateLimiterMeterBinder.class));
    }

    @Test
    void needsTheRegistries() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ResilienceMetricsAutoConfiguration.class))
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(CircuitBreakerMeterBinder.class)
                        .doesNotHaveBean(RetryMeterBinder.class)
                        .doesNotHaveBean(TimeoutMeterBinder.class)
                        .doesNotHaveBean(BulkheadMeterBinder.class)
                        .doesNotHaveBean(RateLimiterMeterBinder.class));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnCircuitBreakerMeterBinder() {
        assertBacksOffTo(runner, CircuitBreakerMeterBinder.class,
                new CircuitBreakerMeterBinder(CircuitBreakerRegistry.ofDefaults(NO_TIMERS)));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnRetryMeterBinder() {
        assertBacksOffTo(runner, RetryMeterBinder.class,
                new RetryMeterBinder(new RetryRegistry(name -> RetryConfig.ofDefaults(), NO_TIMERS)));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnTimeoutMeterBinder() {
        assertBacksOffTo(runner, TimeoutMeterBinder.class,
                new TimeoutMeterBinder(new TimeoutRegistry(name -> TimeoutConfig.ofDefaults(), NO_TIMERS)));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnRateLimiterMeterBinder() {
        assertBacksOffTo(runner, RateLimiterMeterBinder.class, new RateLimiterMeterBinder(
                new RateLimiterRegistry(name -> RateLimiterConfig.ofDefaults(), System::nanoTime, NO_TIMERS)));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnBulkheadMeterBinder() {
        assertBacksOffTo(runner, BulkheadMeterBinder.class,
                new BulkheadMeterBinder(new BulkheadRegistry(name -> BulkheadConfig.ofDefaults())));
    }
}

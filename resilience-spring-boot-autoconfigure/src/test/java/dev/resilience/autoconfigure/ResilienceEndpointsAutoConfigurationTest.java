package dev.resilience.autoconfigure;

import dev.resilience.actuate.BulkheadsEndpoint;
import dev.resilience.actuate.CircuitBreakerEvent;
import dev.resilience.actuate.CircuitBreakerEventBuffer;
import dev.resilience.actuate.CircuitBreakerEventBuffers;
import dev.resilience.actuate.CircuitBreakerEventsEndpoint;
import dev.resilience.actuate.CircuitBreakersEndpoint;
import dev.resilience.actuate.CircuitBreakersEndpointWebExtension;
import dev.resilience.actuate.RateLimitersEndpoint;
import dev.resilience.actuate.RetriesEndpoint;
import dev.resilience.actuate.TimeoutsEndpoint;
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

import java.time.Clock;
import java.time.Instant;

import static dev.resilience.autoconfigure.BackOff.assertBacksOffTo;
import static org.assertj.core.api.Assertions.assertThat;

class ResilienceEndpointsAutoConfigurationTest {

    private static final Scheduler NO_TIMERS = TestSchedulers.never();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
                    ResilienceEndpointsAutoConfiguration.class))
            .withPropertyValues("management.endpoints.web.exposure.include=*");

    /** Standing in for the application's own: registries of their own, not the context's. */
    private final CircuitBreakerRegistry circuitBreakers = CircuitBreakerRegistry.ofDefaults(NO_TIMERS);
    private final CircuitBreakersEndpoint circuitBreakersEndpoint = new CircuitBreakersEndpoint(circuitBreakers);
    private final CircuitBreakerEventBuffers eventBuffers = new CircuitBreakerEventBuffers(circuitBreakers,
            name -> 1, Clock.systemUTC());

    @Test
    void registersEveryEndpointThatIsExposed() {
        runner.run(context -> assertThat(context).hasNotFailed()
                .hasSingleBean(CircuitBreakersEndpoint.class)
                .hasSingleBean(CircuitBreakersEndpointWebExtension.class)
                .hasSingleBean(CircuitBreakerEventBuffers.class)
                .hasSingleBean(CircuitBreakerEventsEndpoint.class)
                .hasSingleBean(RetriesEndpoint.class)
                .hasSingleBean(RateLimitersEndpoint.class)
                .hasSingleBean(TimeoutsEndpoint.class)
                .hasSingleBean(BulkheadsEndpoint.class));
    }

    @Test
    void registersNoEndpointThatIsNotExposed() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=health")
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(CircuitBreakersEndpoint.class)
                        .doesNotHaveBean(CircuitBreakersEndpointWebExtension.class)
                        .doesNotHaveBean(CircuitBreakerEventBuffers.class)
                        .doesNotHaveBean(CircuitBreakerEventsEndpoint.class)
                        .doesNotHaveBean(RetriesEndpoint.class)
                        .doesNotHaveBean(TimeoutsEndpoint.class)
                        .doesNotHaveBean(RateLimitersEndpoint.class)
                        .doesNotHaveBean(BulkheadsEndpoint.class));
    }

    @Test
    void publishesNoClockAndStampsEventsWithTheSystemClockKeepingTheConfiguredNumber() {
        runner.withPropertyValues("resilience.circuitbreaker.instances.partner.event-consumer-buffer-size=2")
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(Clock.class);
                    CircuitBreakerEventBuffer buffer = context.getBean(CircuitBreakerEventBuffers.class)
                            .find("partner").orElseThrow();
                    assertThat(buffer.capacity()).isEqualTo(2);

                    Instant before = Instant.now();
                    context.getBean(CircuitBreakerRegistry.class).get("partner").transitionToForcedOpenState();
                    Instant after = Instant.now();

                    assertThat(buffer.events()).singleElement().satisfies(event -> {
                        assertThat(event.type()).isEqualTo(CircuitBreakerEvent.Type.STATE_TRANSITION);
                        assertThat(event.time()).isBetween(before, after);
                    });
                });
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnCircuitBreakersEndpoint() {
        assertBacksOffTo(runner, CircuitBreakersEndpoint.class, circuitBreakersEndpoint);
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnCircuitBreakersEndpointWebExtension() {
        assertBacksOffTo(runner, CircuitBreakersEndpointWebExtension.class,
                new CircuitBreakersEndpointWebExtension(circuitBreakersEndpoint));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnCircuitBreakerEventBuffers() {
        assertBacksOffTo(runner, CircuitBreakerEventBuffers.class, eventBuffers);
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnCircuitBreakerEventsEndpoint() {
        assertBacksOffTo(runner, CircuitBreakerEventsEndpoint.class, new CircuitBreakerEventsEndpoint(eventBuffers));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnRetriesEndpoint() {
        assertBacksOffTo(runner, RetriesEndpoint.class,
                new RetriesEndpoint(new RetryRegistry(name -> RetryConfig.ofDefaults(), NO_TIMERS)));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnTimeoutsEndpoint() {
        assertBacksOffTo(runner, TimeoutsEndpoint.class,
                new TimeoutsEndpoint(new TimeoutRegistry(name -> TimeoutConfig.ofDefaults(), NO_TIMERS)));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnRateLimitersEndpoint() {
        assertBacksOffTo(runner, RateLimitersEndpoint.class, new RateLimitersEndpoint(
                new RateLimiterRegistry(name -> RateLimiterConfig.ofDefaults(), System::nanoTime, NO_TIMERS)));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnBulkheadsEndpoint() {
        assertBacksOffTo(runner, BulkheadsEndpoint.class,
                new BulkheadsEndpoint(new BulkheadRegistry(name -> BulkheadConfig.ofDefaults())));
    }
}

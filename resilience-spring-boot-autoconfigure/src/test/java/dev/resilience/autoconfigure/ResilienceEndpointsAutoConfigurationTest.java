package dev.resilience.autoconfigure;

import dev.resilience.actuate.CircuitBreakerEvent;
import dev.resilience.actuate.CircuitBreakerEventBuffer;
import dev.resilience.actuate.CircuitBreakerEventBuffers;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Clock;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ResilienceEndpointsAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
                    ResilienceEndpointsAutoConfiguration.class))
            .withPropertyValues("management.endpoints.web.exposure.include=*");

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
}

package dev.resilience.autoconfigure;

import dev.resilience.core.Ticker;
import dev.resilience.core.circuitbreaker.CircuitBreakerFleet;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.circuitbreaker.InMemoryFleet;
import dev.resilience.core.circuitbreaker.LocalCircuitBreaker;
import dev.resilience.core.circuitbreaker.SharedCircuitBreaker;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Duration;

import static dev.resilience.autoconfigure.SettingsTestSupport.invalidProperty;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code resilience.circuitbreaker.*.shared}: a shared breaker in fleet mode, a failed start without it. */
class SharedCircuitBreakerSettingsTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class));

    @Test
    void sharedWithoutFleetModeFailsTheStartNamingWhereItWasSet() {
        runner.withPropertyValues("resilience.circuitbreaker.instances.partner.shared=true").run(context -> {
            assertThat(context).hasFailed();
            assertThat(invalidProperty(context.getStartupFailure()).getMessage()).startsWith("Invalid value 'true' "
                    + "for property 'resilience.circuitbreaker.instances.partner.shared': needs fleet mode "
                    + "(resilience.fleet.enabled=true");
        });
        runner.withPropertyValues("resilience.circuitbreaker.configs.wide.shared=true").run(context ->
                assertThat(invalidProperty(context.getStartupFailure()).getMessage()).startsWith("Invalid value "
                        + "'true' for property 'resilience.circuitbreaker.configs.wide.shared'"));
        runner.withPropertyValues("resilience.circuitbreaker.instances.partner.shared=false")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void inFleetModeABreakerSharedByItselfOrByItsTemplateIsASharedOneAndTheOthersStayLocal() {
        runner.withBean(CircuitBreakerFleet.class,
                        () -> new InMemoryFleet(Ticker.system(), Duration.ofSeconds(1)).member("one"))
                .withPropertyValues("resilience.circuitbreaker.instances.partner.shared=true",
                        "resilience.circuitbreaker.configs.wide.shared=true",
                        "resilience.circuitbreaker.instances.inherits.base-config=wide",
                        "resilience.circuitbreaker.instances.opted-out.base-config=wide",
                        "resilience.circuitbreaker.instances.opted-out.shared=false")
                .run(context -> {
                    CircuitBreakerRegistry registry = context.getBean(CircuitBreakerRegistry.class);
                    assertThat(registry.get("partner")).isInstanceOf(SharedCircuitBreaker.class);
                    assertThat(registry.get("inherits")).isInstanceOf(SharedCircuitBreaker.class);
                    assertThat(registry.get("opted-out")).isInstanceOf(LocalCircuitBreaker.class);
                    assertThat(registry.get("annotated-only")).isInstanceOf(LocalCircuitBreaker.class);
                });
    }
}

package dev.resilience.autoconfigure;

import dev.resilience.actuate.CircuitBreakersHealthIndicator;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class ResilienceHealthAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
                    ResilienceHealthAutoConfiguration.class));

    @Test
    void registersTheCircuitBreakersContributorUnderItsName() {
        runner.run(context -> assertThat(context).hasNotFailed().getBean("circuitBreakersHealthIndicator")
                .isInstanceOf(CircuitBreakersHealthIndicator.class));
    }

    @Test
    void canBeSwitchedOff() {
        runner.withPropertyValues("management.health.circuitbreakers.enabled=false")
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(CircuitBreakersHealthIndicator.class));
    }

    /** The condition is on the name, the name the contributor shows under: any bean of that name replaces ours. */
    @Test
    void backsOffWhenTheApplicationDefinesABeanOfTheSameName() {
        HealthIndicator own = () -> Health.up().build();
        runner.withBean("circuitBreakersHealthIndicator", HealthIndicator.class, () -> own)
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(CircuitBreakersHealthIndicator.class);
                    assertThat(context.getBean("circuitBreakersHealthIndicator")).isSameAs(own);
                });
    }
}

package dev.resilience.autoconfigure;

import dev.resilience.actuate.ObservationChainDecorator;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static dev.resilience.autoconfigure.BackOff.assertBacksOffTo;
import static org.assertj.core.api.Assertions.assertThat;

class ResilienceObservationAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
                    ResilienceObservationAutoConfiguration.class));

    @Test
    void registersTheObservationChainDecorator() {
        runner.run(context -> assertThat(context).hasNotFailed().hasSingleBean(ObservationChainDecorator.class));
    }

    @Test
    void isOffWhenTheStarterIs() {
        runner.withPropertyValues("resilience.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ObservationChainDecorator.class));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnObservationChainDecorator() {
        assertBacksOffTo(runner, ObservationChainDecorator.class, new ObservationChainDecorator(() -> null));
    }
}

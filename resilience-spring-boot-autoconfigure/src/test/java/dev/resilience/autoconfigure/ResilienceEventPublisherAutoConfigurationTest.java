package dev.resilience.autoconfigure;

import dev.resilience.actuate.CircuitBreakerStateChangePublisher;
import dev.resilience.actuate.CircuitBreakerStateChangedEvent;
import dev.resilience.core.circuitbreaker.CircuitBreaker.State;
import dev.resilience.core.TestSchedulers;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.resilience.autoconfigure.BackOff.assertBacksOffTo;
import static org.assertj.core.api.Assertions.assertThat;

class ResilienceEventPublisherAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
                    ResilienceEventPublisherAutoConfiguration.class));

    @Test
    void publishesEveryStateTransitionInTheContext() {
        runner.withBean(StateChanges.class).run(context -> {
            assertThat(context).hasSingleBean(CircuitBreakerStateChangePublisher.class);
            context.getBean(CircuitBreakerRegistry.class).get("partner").transitionToForcedOpenState();

            assertThat(context.getBean(StateChanges.class).received).singleElement().satisfies(event -> {
                assertThat(event.getName()).isEqualTo("partner");
                assertThat(event.getFrom()).isEqualTo(State.CLOSED);
                assertThat(event.getTo()).isEqualTo(State.FORCED_OPEN);
            });
        });
    }

    @Test
    void needsACircuitBreakerRegistry() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ResilienceEventPublisherAutoConfiguration.class))
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(CircuitBreakerStateChangePublisher.class));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnStateChangePublisher() {
        CircuitBreakerRegistry own = CircuitBreakerRegistry.ofDefaults(TestSchedulers.never());
        assertBacksOffTo(runner, CircuitBreakerStateChangePublisher.class,
                new CircuitBreakerStateChangePublisher(own, event -> { }));
    }

    static class StateChanges implements ApplicationListener<CircuitBreakerStateChangedEvent> {

        final List<CircuitBreakerStateChangedEvent> received = new CopyOnWriteArrayList<>();

        @Override
        public void onApplicationEvent(CircuitBreakerStateChangedEvent event) {
            received.add(event);
        }
    }
}

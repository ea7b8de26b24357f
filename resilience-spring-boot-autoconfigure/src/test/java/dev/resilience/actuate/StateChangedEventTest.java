package dev.resilience.actuate;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.ActiveProfiles;

import dev.resilience.core.circuitbreaker.CircuitBreaker.State;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Every state transition reaches an {@code @EventListener} as a {@link CircuitBreakerStateChangedEvent}. */
@SpringBootTest(classes = ActuateTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("actuate")
class StateChangedEventTest extends HttpTestSupport {

    @Autowired
    ActuateTestApplication.StateChanges stateChanges;

    @Test
    void eachTransitionIsPublishedWithNameFromAndTo() {
        for (int i = 0; i < 4; i++) {
            quietly(() -> remote.notified(new IllegalStateException("down")));
        }
        circuitBreakers.get("notified").transitionToHalfOpenState();
        remote.notified(null);
        remote.notified(null);

        List<CircuitBreakerStateChangedEvent> events = stateChanges.of("notified");
        assertThat(events).extracting(CircuitBreakerStateChangedEvent::getName,
                CircuitBreakerStateChangedEvent::getFrom, CircuitBreakerStateChangedEvent::getTo).containsExactly(
                        tuple("notified", State.CLOSED, State.OPEN),
                        tuple("notified", State.OPEN, State.HALF_OPEN),
                        tuple("notified", State.HALF_OPEN, State.CLOSED));
        assertThat(events.get(0).getSource()).isSameAs(circuitBreakers.get("notified"));
    }
}

package dev.resilience.actuate;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import dev.resilience.core.ManualTicker;
import dev.resilience.core.TestSchedulers;
import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreaker.State;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CircuitBreakerEventBufferTest {

    private final Clock clock = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
    private final CircuitBreaker breaker = CircuitBreaker.of("partner", CircuitBreakerConfig.ofDefaults(),
            new ManualTicker(), TestSchedulers.never());

    @Test
    void keepsTheLastEventsInOrderOnceFull() {
        CircuitBreakerEventBuffer buffer = new CircuitBreakerEventBuffer(3, clock);
        for (int i = 1; i <= 5; i++) {
            buffer.onError(breaker, i * 1_000_000L, new IllegalStateException("failure " + i));
        }

        assertThat(buffer.events()).extracting(event -> event.details().get("message"))
                .containsExactly("failure 3", "failure 4", "failure 5");
        assertThat(buffer.events()).extracting(event -> event.details().get("duration"))
                .containsExactly("PT0.003S", "PT0.004S", "PT0.005S");
    }

    @Test
    void holdsFewerEventsThanItsCapacityInOrder() {
        CircuitBreakerEventBuffer buffer = new CircuitBreakerEventBuffer(10, clock);
        buffer.onStateTransition(breaker, State.CLOSED, State.OPEN);
        buffer.onCallNotPermitted(breaker);
        buffer.onReset(breaker);
        buffer.onIgnoredError(breaker, 0, new IllegalArgumentException());

        assertThat(buffer.events()).extracting(CircuitBreakerEvent::type).containsExactly(
                CircuitBreakerEvent.Type.STATE_TRANSITION, CircuitBreakerEvent.Type.NOT_PERMITTED,
                CircuitBreakerEvent.Type.RESET, CircuitBreakerEvent.Type.IGNORED_ERROR);
        assertThat(buffer.events().get(0).time()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
        // an exception without a message keeps the key, with null
        assertThat(buffer.events().get(3).details()).containsEntry("message", null);
    }

    @Test
    void successesAreNotKept() {
        CircuitBreakerEventBuffer buffer = new CircuitBreakerEventBuffer(10, clock);
        buffer.onSuccess(breaker, 1_000);

        assertThat(buffer.events()).isEmpty();
    }

    @Test
    void needsRoomForOneEvent() {
        assertThatIllegalArgumentException().isThrownBy(() -> new CircuitBreakerEventBuffer(0, clock));
    }

    @Test
    void buffersFollowTheBreakersOfTheRegistryWithTheirOwnSize() {
        CircuitBreakerRegistry registry = new CircuitBreakerRegistry(name -> CircuitBreakerConfig.ofDefaults(),
                new ManualTicker(), TestSchedulers.never());
        registry.get("early");
        CircuitBreakerEventBuffers buffers = new CircuitBreakerEventBuffers(registry,
                name -> name.equals("early") ? 2 : 7, clock);
        registry.get("late").transitionToForcedOpenState();

        assertThat(buffers.all()).containsOnlyKeys("early", "late");
        assertThat(buffers.find("early")).get().extracting(CircuitBreakerEventBuffer::capacity).isEqualTo(2);
        assertThat(buffers.find("late")).get().extracting(CircuitBreakerEventBuffer::capacity).isEqualTo(7);
        assertThat(buffers.find("late").orElseThrow().events()).singleElement()
                .extracting(event -> event.details().get("to")).isEqualTo("FORCED_OPEN");

        registry.remove("late");
        assertThat(buffers.find("late")).isEmpty();
    }
}

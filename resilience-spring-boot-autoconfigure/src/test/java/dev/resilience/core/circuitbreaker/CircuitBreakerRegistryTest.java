package dev.resilience.core.circuitbreaker;

import dev.resilience.core.ManualScheduler;
import dev.resilience.core.ManualTicker;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CircuitBreakerRegistryTest {

    private final ManualTicker ticker = new ManualTicker();
    private final ManualScheduler scheduler = new ManualScheduler(ticker);

    @Test
    void createsOneBreakerPerNameFromTheConfigResolvedForIt() {
        List<String> resolved = new ArrayList<>();
        CircuitBreakerConfig small = CircuitBreakerConfig.builder().slidingWindowSize(3).minimumNumberOfCalls(3).build();
        CircuitBreakerRegistry registry = new CircuitBreakerRegistry(name -> {
            resolved.add(name);
            return name.equals("small") ? small : CircuitBreakerConfig.ofDefaults();
        }, ticker, scheduler);

        CircuitBreaker first = registry.get("small");
        CircuitBreaker again = registry.get("small");
        CircuitBreaker other = registry.get("other");

        assertThat(again).isSameAs(first);
        assertThat(first.getName()).isEqualTo("small");
        assertThat(first.getConfig()).isSameAs(small);
        assertThat(other.getConfig()).isEqualTo(CircuitBreakerConfig.ofDefaults());
        assertThat(resolved).containsExactly("small", "other");
        assertThat(registry.getAll()).containsExactlyInAnyOrder(first, other);
    }

    @Test
    void breakersUseTheGivenTicker() {
        CircuitBreakerConfig config = CircuitBreakerConfig.builder()
                .slidingWindowSize(1).minimumNumberOfCalls(1)
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED).build();
        CircuitBreaker breaker = new CircuitBreakerRegistry(name -> config, ticker, scheduler).get("timed");
        Calls.succeed(breaker);

        ticker.advance(java.time.Duration.ofSeconds(1));

        assertThat(breaker.getMetrics().bufferedCalls()).isZero();
    }

    @Test
    void ofDefaultsGivesEveryNameTheDefaultConfig() {
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults(scheduler);

        assertThat(registry.get("a").getConfig()).isEqualTo(CircuitBreakerConfig.ofDefaults());
        assertThat(registry.get("b").getConfig()).isEqualTo(CircuitBreakerConfig.ofDefaults());
        assertThat(registry.get("a").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }
}

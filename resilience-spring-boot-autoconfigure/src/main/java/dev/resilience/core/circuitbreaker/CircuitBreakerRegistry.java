package dev.resilience.core.circuitbreaker;

import dev.resilience.core.InstanceRegistry;
import dev.resilience.core.Scheduler;
import dev.resilience.core.Ticker;

import java.util.Objects;
import java.util.function.Function;

/**
 * Hands out one {@link CircuitBreaker} per name, created on first request: by default a {@link LocalCircuitBreaker}
 * from the config resolved for that name, or whatever breaker the given factory makes (one whose state is shared by
 * a fleet, say).
 */
public final class CircuitBreakerRegistry extends InstanceRegistry<CircuitBreaker> {

    /**
     * @param configForName resolves the config of a name; called once per name
     * @param ticker        the time source of every breaker
     * @param scheduler     runs the automatic OPEN to HALF_OPEN transitions
     */
    public CircuitBreakerRegistry(Function<String, CircuitBreakerConfig> configForName, Ticker ticker, Scheduler scheduler) {
        super(factory(configForName, ticker, scheduler));
    }

    /** @param factory creates the breaker of a name; called once per name */
    public CircuitBreakerRegistry(Function<String, ? extends CircuitBreaker> factory) {
        super(Objects.requireNonNull(factory, "factory")::apply);
    }

    /** A registry that gives every name the default config and reads the system ticker. */
    public static CircuitBreakerRegistry ofDefaults(Scheduler scheduler) {
        CircuitBreakerConfig defaults = CircuitBreakerConfig.ofDefaults();
        return new CircuitBreakerRegistry(name -> defaults, Ticker.system(), scheduler);
    }

    private static Function<String, CircuitBreaker> factory(
            Function<String, CircuitBreakerConfig> configForName, Ticker ticker, Scheduler scheduler) {
        Objects.requireNonNull(configForName, "configForName");
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(scheduler, "scheduler");
        return name -> new LocalCircuitBreaker(name, configForName.apply(name), ticker, scheduler);
    }
}

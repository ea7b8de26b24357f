package dev.resilience.core.ratelimiter;

import dev.resilience.core.InstanceRegistry;
import dev.resilience.core.Scheduler;
import dev.resilience.core.Ticker;

import java.util.Objects;
import java.util.function.Function;

/**
 * Hands out one {@link RateLimiter} per name, created on first request: by default a {@link LocalRateLimiter} from
 * the config resolved for that name, or whatever limiter the given factory makes (one shared by a fleet, say).
 */
public final class RateLimiterRegistry extends InstanceRegistry<RateLimiter> {

    /**
     * @param configForName resolves the config of a name; called once per name
     * @param ticker        the time source of every limiter
     * @param scheduler     starts the asynchronous calls that wait for a permit
     */
    public RateLimiterRegistry(Function<String, RateLimiterConfig> configForName, Ticker ticker, Scheduler scheduler) {
        super(factory(configForName, ticker, scheduler));
    }

    /** @param factory creates the limiter of a name; called once per name */
    public RateLimiterRegistry(Function<String, ? extends RateLimiter> factory) {
        super(Objects.requireNonNull(factory, "factory")::apply);
    }

    private static Function<String, RateLimiter> factory(Function<String, RateLimiterConfig> configForName,
            Ticker ticker, Scheduler scheduler) {
        Objects.requireNonNull(configForName, "configForName");
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(scheduler, "scheduler");
        return name -> new LocalRateLimiter(name, Objects.requireNonNull(configForName.apply(name),
                () -> "no rate limiter config for '" + name + "'"), ticker, scheduler);
    }
}

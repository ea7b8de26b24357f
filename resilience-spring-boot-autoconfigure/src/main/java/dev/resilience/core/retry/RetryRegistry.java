package dev.resilience.core.retry;

import dev.resilience.core.InstanceRegistry;
import dev.resilience.core.Scheduler;
import dev.resilience.core.Ticker;

import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/** Hands out one {@link Retry} per name, created from the config resolved for that name. */
public final class RetryRegistry extends InstanceRegistry<Retry> {

    /**
     * @param configForName resolves the settings of an instance by its name
     * @param scheduler     runs the waits of asynchronous calls, shared by every instance
     */
    public RetryRegistry(Function<String, RetryConfig> configForName, Scheduler scheduler) {
        this(configForName, scheduler, Ticker.system());
    }

    /**
     * @param configForName resolves the settings of an instance by its name
     * @param scheduler     runs the waits of asynchronous calls, shared by every instance
     * @param ticker        the time retry budgets refill their reserve by
     */
    public RetryRegistry(Function<String, RetryConfig> configForName, Scheduler scheduler, Ticker ticker) {
        super(factory(configForName, scheduler, ticker));
    }

    private static Function<String, Retry> factory(Function<String, RetryConfig> configForName, Scheduler scheduler,
            Ticker ticker) {
        Objects.requireNonNull(configForName, "configForName");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(ticker, "ticker");
        return name -> new Retry(name, configForName.apply(name), scheduler, Sleeper.system(),
                () -> ThreadLocalRandom.current().nextDouble(), ticker);
    }
}

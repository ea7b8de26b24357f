package dev.resilience.core.timeout;

import dev.resilience.core.InstanceRegistry;
import dev.resilience.core.Scheduler;

import java.util.Objects;
import java.util.function.Function;

/** Hands out one {@link Timeout} per name, created from the config resolved for that name. */
public final class TimeoutRegistry extends InstanceRegistry<Timeout> {

    /**
     * @param configForName resolves the settings of an instance by its name
     * @param scheduler     runs the deadlines, shared by every instance
     */
    public TimeoutRegistry(Function<String, TimeoutConfig> configForName, Scheduler scheduler) {
        super(factory(configForName, scheduler, null));
    }

    /**
     * @param configForName resolves the settings of an instance by its name
     * @param scheduler     runs the deadlines of asynchronous calls, shared by every instance
     * @param watchdog      watches the synchronous calls of every instance without a task per call
     */
    public TimeoutRegistry(Function<String, TimeoutConfig> configForName, Scheduler scheduler,
            DeadlineWatchdog watchdog) {
        super(factory(configForName, scheduler, Objects.requireNonNull(watchdog, "watchdog")));
    }

    private static Function<String, Timeout> factory(Function<String, TimeoutConfig> configForName,
            Scheduler scheduler, DeadlineWatchdog watchdog) {
        Objects.requireNonNull(configForName, "configForName");
        Objects.requireNonNull(scheduler, "scheduler");
        return name -> new Timeout(name, configForName.apply(name), scheduler, watchdog);
    }
}

package dev.resilience.core;

import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs short tasks after a delay: retry waits, timeouts and automatic breaker transitions all share
 * one scheduler instead of sleeping or starting a thread per call. Tasks must be quick and must not
 * block: they complete futures or interrupt threads, nothing more.
 */
@FunctionalInterface
public interface Scheduler {

    /** Runs {@code task} once after {@code delayNanos}; the handle cancels it if it has not run yet. */
    Scheduled schedule(Runnable task, long delayNanos);

    /** A task that has been scheduled. */
    @FunctionalInterface
    interface Scheduled {

        /** Prevents the task from running if it has not started; does nothing otherwise. */
        void cancel();
    }

    static Scheduler of(ScheduledExecutorService executor) {
        Objects.requireNonNull(executor, "executor");
        return (task, delayNanos) -> {
            ScheduledFuture<?> future = executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        };
    }
}

package dev.resilience.core;

import java.util.Objects;
import java.util.concurrent.ForkJoinPool;
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

    /**
     * Runs a task that may do real work, such as starting the next attempt of an asynchronous call, off
     * the timer threads, so that a method that does not return its future at once can never hold up
     * every other deadline. The default hands it to the common fork-join pool, where
     * {@code CompletableFuture} runs its asynchronous steps.
     */
    default void execute(Runnable task) {
        ForkJoinPool.commonPool().execute(task);
    }

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

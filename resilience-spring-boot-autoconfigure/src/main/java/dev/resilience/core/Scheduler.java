package dev.resilience.core;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one place where policies get threads: retry waits, timeouts, bulkhead waits and automatic breaker
 * transitions all share one scheduler instead of sleeping or starting a thread per call.
 *
 * <p>Two kinds of thread stand behind it, and a scheduler is always built with both named:
 * <ul>
 * <li>the <b>timer</b> runs the tasks given to {@link #schedule} after their delay. They must be quick and
 * must not block: they complete futures, interrupt threads or hand work on, nothing more;</li>
 * <li>the <b>work executor</b> runs what may take time, given to {@link #execute}: the next attempt of an
 * asynchronous retry, an asynchronous call that a bulkhead let in after a wait. Their method need not return
 * its future at once, so they run off the timer threads and can never hold up every other deadline.</li>
 * </ul>
 * {@link #withDaemonThreads} builds the usual one (timer threads of its own, closed with it);
 * {@link #of(ScheduledExecutorService, Executor)} wraps executors the caller owns.
 */
public interface Scheduler {

    /** Runs {@code task} once after {@code delayNanos} on the timer; the handle cancels it if it has not run yet. */
    Scheduled schedule(Runnable task, long delayNanos);

    /** Runs {@code task}, which may do real work, on the work executor, never on the caller's thread. */
    void execute(Runnable task);

    /** A task that has been scheduled. */
    @FunctionalInterface
    interface Scheduled {

        /** Prevents the task from running if it has not started; does nothing otherwise. */
        void cancel();
    }

    /** A scheduler that owns its timer threads: closing it stops them (the work executor stays its owner's). */
    interface Owned extends Scheduler, AutoCloseable {

        /** Stops the timer threads; tasks not yet run never run. */
        @Override
        void close();
    }

    /**
     * A scheduler on executors the caller owns and shuts down.
     *
     * @param timer runs the delayed tasks
     * @param work  runs the work handed to {@link #execute}
     */
    static Scheduler of(ScheduledExecutorService timer, Executor work) {
        Objects.requireNonNull(timer, "timer");
        Objects.requireNonNull(work, "work");
        return new ExecutorScheduler(timer, work, false);
    }

    /**
     * A scheduler whose delayed tasks and work both run on {@code executor}, which the caller owns. Work then
     * shares the timer's threads: fit for tests, or for an executor with threads to spare.
     */
    static Scheduler of(ScheduledExecutorService executor) {
        return of(executor, executor);
    }

    /**
     * The shared scheduler of an application: {@code timerThreads} daemon threads named
     * {@code resilience-scheduler-N} for the delayed tasks, and {@code work} for the work. Cancelled tasks leave
     * the timer's queue at once, as most timeouts are cancelled because the call finished in time; closing it
     * stops the timer threads and drops the tasks not yet run.
     *
     * @param work runs the work handed to {@link #execute}; its owner shuts it down, not this scheduler
     */
    static Owned withDaemonThreads(int timerThreads, Executor work) {
        Objects.requireNonNull(work, "work");
        AtomicInteger count = new AtomicInteger();
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(timerThreads, task -> {
            Thread thread = new Thread(task, "resilience-scheduler-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return new ExecutorScheduler(timer, work, true);
    }
}

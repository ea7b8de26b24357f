package dev.resilience.core;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Scheduler} on two executors: delayed tasks on {@code timer}, work on {@code work}. Closing it shuts the
 * timer down only when this scheduler made it ({@code ownsTimer}); {@code work} always belongs to the caller.
 */
final class ExecutorScheduler implements Scheduler.Owned {

    private final ScheduledExecutorService timer;
    private final Executor work;
    private final boolean ownsTimer;

    ExecutorScheduler(ScheduledExecutorService timer, Executor work, boolean ownsTimer) {
        this.timer = timer;
        this.work = work;
        this.ownsTimer = ownsTimer;
    }

    @Override
    public Scheduled schedule(Runnable task, long delayNanos) {
        ScheduledFuture<?> future = timer.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public void execute(Runnable task) {
        work.execute(task);
    }

    @Override
    public void close() {
        if (ownsTimer) {
            timer.shutdownNow();
        }
    }
}

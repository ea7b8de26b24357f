package dev.resilience.core;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The shared scheduler: one small pool of daemon threads for every retry wait, timeout and automatic
 * breaker transition of the application, so that no call ever gets a thread of its own. Cancelled
 * tasks leave the queue at once, as most timeouts are cancelled because the call finished in time.
 */
public final class ExecutorScheduler implements Scheduler, AutoCloseable {

    private final ScheduledThreadPoolExecutor executor;

    public ExecutorScheduler(int threads) {
        AtomicInteger count = new AtomicInteger();
        executor = new ScheduledThreadPoolExecutor(threads, task -> {
            Thread thread = new Thread(task, "resilience-scheduler-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public Scheduled schedule(Runnable task, long delayNanos) {
        ScheduledFuture<?> future = executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}

package dev.resilience.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A scheduler driven by a {@link ManualTicker}: tasks run, in due order, on the test's thread when
 * {@link #advance(Duration)} moves time past them.
 */
public final class ManualScheduler implements Scheduler {

    private final ManualTicker ticker;
    private final List<Task> tasks = new ArrayList<>();
    private long sequence;

    public ManualScheduler(ManualTicker ticker) {
        this.ticker = ticker;
    }

    public ManualTicker ticker() {
        return ticker;
    }

    @Override
    public synchronized Scheduled schedule(Runnable task, long delayNanos) {
        Task scheduled = new Task(ticker.nanoTime() + delayNanos, sequence++, task);
        tasks.add(scheduled);
        return () -> {
            synchronized (ManualScheduler.this) {
                tasks.remove(scheduled);
            }
        };
    }

    /** Runs the task on the test's thread with the next {@link #advance} or {@link #runDue}, like a task due now. */
    @Override
    public void execute(Runnable task) {
        schedule(task, 0);
    }

    /** The delays, from now, of the tasks waiting to run, soonest first. */
    public synchronized List<Duration> pendingDelays() {
        long now = ticker.nanoTime();
        return tasks.stream().sorted(ORDER).map(task -> Duration.ofNanos(task.dueNanos - now)).toList();
    }

    public synchronized int pendingCount() {
        return tasks.size();
    }

    /** Moves time forward, running each task that falls due on the way at its due time. */
    public void advance(Duration duration) {
        long target = ticker.nanoTime() + duration.toNanos();
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream().filter(task -> task.dueNanos <= target).min(ORDER).orElse(null);
                if (next != null) {
                    tasks.remove(next);
                }
            }
            if (next == null) {
                break;
            }
            long now = ticker.nanoTime();
            if (next.dueNanos > now) {
                ticker.advance(Duration.ofNanos(next.dueNanos - now));
            }
            next.runnable.run();
        }
        long now = ticker.nanoTime();
        if (target > now) {
            ticker.advance(Duration.ofNanos(target - now));
        }
    }

    /** Runs the tasks that are due now without moving time. */
    public void runDue() {
        advance(Duration.ZERO);
    }

    private static final Comparator<Task> ORDER =
            Comparator.comparingLong((Task task) -> task.dueNanos).thenComparingLong(task -> task.sequence);

    private record Task(long dueNanos, long sequence, Runnable runnable) {
    }
}

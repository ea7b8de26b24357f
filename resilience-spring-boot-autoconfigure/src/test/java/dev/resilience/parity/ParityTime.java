package dev.resilience.parity;

import dev.resilience.core.ManualScheduler;
import dev.resilience.core.ManualTicker;
import dev.resilience.core.Scheduler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One manual time for both sides of a comparison: our policies read the {@link ManualTicker} and schedule on the
 * {@link ManualScheduler}; Resilience4j reads the same nanoseconds through a {@link Clock} (epoch second 0 is
 * ticker 0, so both sides cut time windows at the same second boundaries) and schedules its automatic transitions
 * on the same manual scheduler through a {@link ScheduledExecutorService} view. Nothing waits in real time.
 */
final class ParityTime {

    final ManualTicker ticker = new ManualTicker();
    final ManualScheduler scheduler = new ManualScheduler(ticker);
    final Clock clock = new TickerClock(ticker);
    final ScheduledExecutorService executor = new ManualScheduledExecutor(scheduler);

    void advance(Duration duration) {
        scheduler.advance(duration);
    }

    private static final class TickerClock extends Clock {

        private final ManualTicker ticker;

        TickerClock(ManualTicker ticker) {
            this.ticker = ticker;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochSecond(0, ticker.nanoTime());
        }

        @Override
        public long millis() {
            return ticker.nanoTime() / 1_000_000;
        }
    }

    /** Only what Resilience4j's breaker uses: {@code schedule(Runnable, delay, unit)} and its future's cancel. */
    private static final class ManualScheduledExecutor extends AbstractExecutorService implements ScheduledExecutorService {

        private final ManualScheduler scheduler;

        ManualScheduledExecutor(ManualScheduler scheduler) {
            this.scheduler = scheduler;
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            ManualFuture future = new ManualFuture();
            future.scheduled = scheduler.schedule(() -> {
                if (!future.cancelled) {
                    future.done = true;
                    command.run();
                }
            }, unit.toNanos(delay));
            return future;
        }

        @Override
        public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void execute(Runnable command) {
            scheduler.execute(command);
        }

        @Override
        public void shutdown() {
        }

        @Override
        public List<Runnable> shutdownNow() {
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }

    private static final class ManualFuture implements ScheduledFuture<Object> {

        Scheduler.Scheduled scheduled;
        volatile boolean cancelled;
        volatile boolean done;

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (done || cancelled) {
                return false;
            }
            cancelled = true;
            scheduled.cancel();
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long getDelay(TimeUnit unit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int compareTo(Delayed other) {
            throw new UnsupportedOperationException();
        }
    }
}

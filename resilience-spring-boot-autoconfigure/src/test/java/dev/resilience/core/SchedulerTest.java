package dev.resilience.core;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@org.junit.jupiter.api.Timeout(value = 30, unit = TimeUnit.SECONDS)
class SchedulerTest {

    @Test
    void delayedTasksRunOnDaemonTimerThreadsAndWorkOnTheGivenExecutor() throws Exception {
        CompletableFuture<Thread> workThread = new CompletableFuture<>();
        Executor work = task -> {
            Thread thread = new Thread(task, "work");
            thread.start();
        };
        try (Scheduler.Owned scheduler = Scheduler.withDaemonThreads(1, work)) {
            CompletableFuture<Thread> timerThread = new CompletableFuture<>();
            scheduler.schedule(() -> timerThread.complete(Thread.currentThread()), 0);

            assertThat(timerThread.get().getName()).isEqualTo("resilience-scheduler-1");
            assertThat(timerThread.get().isDaemon()).isTrue();

            scheduler.execute(() -> workThread.complete(Thread.currentThread()));
            assertThat(workThread.get().getName()).isEqualTo("work");
        }
    }

    @Test
    void aCancelledTaskNeverRuns() throws Exception {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1);
        try {
            Scheduler scheduler = Scheduler.of(executor);
            CompletableFuture<String> ran = new CompletableFuture<>();
            scheduler.schedule(() -> ran.complete("cancelled"), TimeUnit.HOURS.toNanos(1)).cancel();
            scheduler.schedule(() -> ran.complete("later"), 0);

            assertThat(ran.get()).isEqualTo("later");
            assertThat(executor.getQueue()).allMatch(task -> ((Future<?>) task).isCancelled());
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void closingStopsTheTimerAndLeavesTheWorkExecutorAlone() {
        CompletableFuture<String> worked = new CompletableFuture<>();
        Scheduler.Owned scheduler = Scheduler.withDaemonThreads(1, Runnable::run);
        scheduler.close();

        assertThatThrownBy(() -> scheduler.schedule(() -> { }, 0)).isInstanceOf(RejectedExecutionException.class);
        scheduler.execute(() -> worked.complete("still runs"));
        assertThat(worked).isCompletedWithValue("still runs");
    }
}

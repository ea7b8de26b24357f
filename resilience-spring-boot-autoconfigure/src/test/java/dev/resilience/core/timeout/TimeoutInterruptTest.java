package dev.resilience.core.timeout;

import dev.resilience.core.Call;
import dev.resilience.core.Scheduler;
import dev.resilience.core.TestSchedulers;
import dev.resilience.core.TimeoutExceededException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The synchronous timeout's interrupt rules need a real blocked thread and a real timer thread. Nothing
 * here measures elapsed time; the timeouts are short only so that the tests end quickly.
 */
@org.junit.jupiter.api.Timeout(value = 60, unit = TimeUnit.SECONDS)
class TimeoutInterruptTest {

    final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1);
    final Scheduler scheduler = Scheduler.of(executor);
    final CountDownLatch never = new CountDownLatch(1);

    @AfterEach
    void shutDown() {
        executor.shutdownNow();
        Thread.interrupted();
    }

    /** One deadline task per call here; the watchdog subclass runs every test again with a watchdog. */
    Timeout timeout(Duration duration, Scheduler scheduler) {
        return new Timeout("t", TimeoutConfig.builder().timeoutDuration(duration).build(), scheduler);
    }

    void awaitSchedulerIdle() {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> executor.getQueue().isEmpty() && executor.getActiveCount() == 0);
    }

    @Test
    void aBlockedCallIsInterruptedAtTheDeadlineAndTheNextCallSucceeds() throws Throwable {
        Timeout timeout = timeout(Duration.ofMillis(50), scheduler);
        Call<String> blocked = timeout.decorate(context -> {
            never.await();
            return "never";
        });

        Throwable thrown = catchThrowable(() -> blocked.invoke("context"));

        assertThat(thrown).isInstanceOf(TimeoutExceededException.class);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(timeout.<String>decorate(context -> "next").invoke("context")).isEqualTo("next");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(timeout.getMetrics()).isEqualTo(new TimeoutMetrics(1, 0, 1));
    }

    @Test
    void aCallThatSwallowsTheInterruptAndReturnsLateStillTimesOut() {
        Timeout timeout = timeout(Duration.ofMillis(50), scheduler);

        Throwable thrown = catchThrowable(() -> timeout.<String>decorate(context -> {
            try {
                never.await();
            } catch (InterruptedException swallowed) {
                return "late";
            }
            return "never";
        }).invoke("context"));

        assertThat(thrown).isInstanceOf(TimeoutExceededException.class);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void aCallThatRestoresTheInterruptAndReturnsLateLeavesNoFlag() {
        Timeout timeout = timeout(Duration.ofMillis(50), scheduler);

        Throwable thrown = catchThrowable(() -> timeout.<String>decorate(context -> {
            try {
                never.await();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return "late";
            }
            return "never";
        }).invoke("context"));

        assertThat(thrown).isInstanceOf(TimeoutExceededException.class);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void aCallThatFinishesBeforeTheDeadlineIsNeverInterruptedLater() throws Throwable {
        Timeout timeout = timeout(Duration.ofMillis(50), scheduler);

        Object result = timeout.<String>decorate(context -> "quick").invoke("context");
        // the cancelled deadline task leaves the queue only once its delay has passed
        awaitSchedulerIdle();

        assertThat(result).isEqualTo("quick");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(timeout.getMetrics()).isEqualTo(new TimeoutMetrics(1, 0, 0));
    }

    @Test
    void aDeadlineTaskThatRunsAfterTheCallFinishedDoesNotInterrupt() throws Throwable {
        List<Runnable> deadlines = new CopyOnWriteArrayList<>();
        // a scheduler whose cancel does nothing: the test runs the deadline task itself, after the call is over
        Scheduler ignoringCancel = TestSchedulers.timer((task, delayNanos) -> {
            deadlines.add(task);
            return () -> {
            };
        });
        Timeout timeout = timeout(Duration.ofMillis(20), ignoringCancel);

        Object result = timeout.<String>decorate(context -> "quick").invoke("context");
        assertThat(deadlines).hasSize(1);
        deadlines.get(0).run();

        assertThat(result).isEqualTo("quick");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void noInterruptLeaksWhenTheDeadlineRacesTheEndOfTheCall() throws Throwable {
        Timeout timeout = timeout(Duration.ofMillis(1), scheduler);
        Call<String> racing = timeout.decorate(context -> {
            long work = ThreadLocalRandom.current().nextLong(2_000_000);
            if (ThreadLocalRandom.current().nextBoolean()) {
                LockSupport.parkNanos(work);
            } else {
                long end = System.nanoTime() + work;
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
            }
            return "done";
        });
        int successes = 0;
        int timeouts = 0;

        for (int i = 0; i < 300; i++) {
            // (inside a call the flag may be set legitimately: its own deadline can pass before the step starts)
            assertThat(Thread.currentThread().isInterrupted()).as("interrupted before call %d", i).isFalse();
            try {
                racing.invoke("context");
                successes++;
            } catch (TimeoutExceededException expected) {
                timeouts++;
            }
            assertThat(Thread.currentThread().isInterrupted()).as("interrupted after call %d", i).isFalse();
        }
        awaitSchedulerIdle();

        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(successes + timeouts).isEqualTo(300);
        assertThat(timeout.getMetrics()).isEqualTo(new TimeoutMetrics(successes, 0, timeouts));
    }
}

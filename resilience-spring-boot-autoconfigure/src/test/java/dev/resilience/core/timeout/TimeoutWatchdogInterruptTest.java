package dev.resilience.core.timeout;

import dev.resilience.core.Call;
import dev.resilience.core.Scheduler;
import dev.resilience.core.TestSchedulers;
import dev.resilience.core.TimeoutExceededException;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every interrupt rule of {@link TimeoutInterruptTest} again, with a real thread blocked and the synchronous
 * calls watched by a {@link DeadlineWatchdog} on a real scheduler instead of a deadline task per call.
 */
@org.junit.jupiter.api.Timeout(value = 60, unit = TimeUnit.SECONDS)
class TimeoutWatchdogInterruptTest extends TimeoutInterruptTest {

    @Override
    Timeout timeout(Duration duration, Scheduler scheduler) {
        return timeout("t", duration, new DeadlineWatchdog(scheduler));
    }

    private Timeout timeout(String name, Duration duration, DeadlineWatchdog watchdog) {
        return new Timeout(name, TimeoutConfig.builder().timeoutDuration(duration).build(), scheduler, watchdog);
    }

    @Test
    void aNestedTimeoutOnTheSameThreadIsWatchedToo() throws Throwable {
        DeadlineWatchdog watchdog = new DeadlineWatchdog(scheduler);
        Timeout outer = timeout("outer", Duration.ofHours(1), watchdog);
        Timeout inner = timeout("inner", Duration.ofMillis(50), watchdog);
        Call<String> blockedInner = inner.decorate(context -> {
            never.await();
            return "never";
        });

        Object result = outer.<String>decorate(context -> {
            try {
                return blockedInner.invoke(context);
            } catch (TimeoutExceededException expected) {
                return "recovered from " + expected.getName();
            }
        }).invoke("context");

        assertThat(result).isEqualTo("recovered from inner");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(inner.getMetrics()).isEqualTo(new TimeoutMetrics(0, 0, 1));
        assertThat(outer.getMetrics()).isEqualTo(new TimeoutMetrics(1, 0, 0));
    }

    @Test
    void anOuterDeadlineInterruptsACallNestedInIt() {
        DeadlineWatchdog watchdog = new DeadlineWatchdog(scheduler);
        Timeout outer = timeout("outer", Duration.ofMillis(50), watchdog);
        Timeout inner = timeout("inner", Duration.ofHours(1), watchdog);

        Throwable thrown = catchThrowable(() -> outer.<String>decorate(context -> inner.<String>decorate(nested -> {
            never.await();
            return "never";
        }).invoke(context)).invoke("context"));

        assertThat(thrown).isInstanceOf(TimeoutExceededException.class);
        assertThat(((TimeoutExceededException) thrown).getName()).isEqualTo("outer");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        // the inner call ended in time, with the InterruptedException its step threw
        assertThat(inner.getMetrics()).isEqualTo(new TimeoutMetrics(0, 1, 0));
        assertThat(outer.getMetrics()).isEqualTo(new TimeoutMetrics(0, 0, 1));
    }

    @Test
    void blockedCallsOnSeveralThreadsAllTimeOutAndLeaveNoFlag() throws InterruptedException {
        DeadlineWatchdog watchdog = new DeadlineWatchdog(scheduler);
        Timeout timeout = timeout("t", Duration.ofMillis(50), watchdog);
        Call<String> blocked = timeout.decorate(context -> {
            never.await();
            return "never";
        });
        Queue<String> outcomes = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread thread = new Thread(() -> {
                Throwable thrown = catchThrowable(() -> blocked.invoke("context"));
                outcomes.add(thrown.getClass().getSimpleName() + " " + Thread.currentThread().isInterrupted());
                // the thread's slot is reused by its next call
                outcomes.add(String.valueOf(catchThrowable(() -> timeout.<String>decorate(c -> "next").invoke("c"))));
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(outcomes).containsOnly("TimeoutExceededException false", "null").hasSize(8);
        assertThat(timeout.getMetrics()).isEqualTo(new TimeoutMetrics(4, 0, 4));
    }

    @Test
    void quickCallsInASteadyFlowScheduleNoTaskOfTheirOwn() throws Throwable {
        AtomicInteger scheduled = new AtomicInteger();
        Scheduler counting = TestSchedulers.timer((task, delayNanos) -> {
            scheduled.incrementAndGet();
            return scheduler.schedule(task, delayNanos);
        });
        Timeout timeout = timeout("t", Duration.ofHours(1), new DeadlineWatchdog(counting));
        Call<String> quick = timeout.decorate(context -> context);

        for (int i = 0; i < 1_000; i++) {
            quick.invoke("context");
        }

        // one check, planned by the first call; every later deadline comes after it
        assertThat(scheduled).hasValue(1);
        assertThat(executor.getQueue()).hasSize(1);
        assertThat(timeout.getMetrics()).isEqualTo(new TimeoutMetrics(1_000, 0, 0));
    }

    @Test
    void quickCallsInASteadyFlowAllocateNothing() throws Throwable {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "per-thread allocation counter");
        com.sun.management.ThreadMXBean allocations = (com.sun.management.ThreadMXBean) threads;
        long id = Thread.currentThread().getId();
        Call<String> watched = timeout("w", Duration.ofHours(1), new DeadlineWatchdog(scheduler))
                .decorate(context -> context);
        Call<String> perCall = new Timeout("p", TimeoutConfig.builder().timeoutDuration(Duration.ofHours(1)).build(),
                scheduler).decorate(context -> context);
        watched.invoke("warm-up");
        perCall.invoke("warm-up");

        long before = allocations.getThreadAllocatedBytes(id);
        for (int i = 0; i < 10_000; i++) {
            watched.invoke("context");
        }
        long watchedBytes = allocations.getThreadAllocatedBytes(id) - before;
        before = allocations.getThreadAllocatedBytes(id);
        for (int i = 0; i < 10_000; i++) {
            perCall.invoke("context");
        }
        long perCallBytes = allocations.getThreadAllocatedBytes(id) - before;

        // less than a byte per call, where a deadline task per call costs well over a hundred
        assertThat(watchedBytes).isLessThan(10_000);
        assertThat(perCallBytes).isGreaterThan(10_000L * 64);
    }
}

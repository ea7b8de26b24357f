package dev.resilience.core.timeout;

import dev.resilience.core.Call;
import dev.resilience.core.ManualScheduler;
import dev.resilience.core.ManualTicker;
import dev.resilience.core.Scheduler;
import dev.resilience.core.TestSchedulers;
import dev.resilience.core.TimeoutExceededException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Synchronous calls watched by a {@link DeadlineWatchdog} on a manual scheduler: its checks run on the
 * test's thread when time is advanced, so a check that catches a call interrupts the test's own thread.
 */
class TimeoutWatchdogTest {

    private final ManualTicker ticker = new ManualTicker();
    private final ManualScheduler scheduler = new ManualScheduler(ticker);
    private final DeadlineWatchdog watchdog = new DeadlineWatchdog(scheduler, ticker);
    private final RecordingTimeoutListener listener = new RecordingTimeoutListener();

    @AfterEach
    void clearInterruptFlag() {
        Thread.interrupted();
    }

    private Timeout timeout(String name, Duration duration) {
        Timeout timeout = new Timeout(name, TimeoutConfig.builder().timeoutDuration(duration).build(), scheduler,
                watchdog);
        timeout.addListener(listener);
        return timeout;
    }

    private Timeout timeout() {
        return timeout("t", Duration.ofSeconds(1));
    }

    @Test
    void aSuccessRunsOnTheCallersThreadAndPlansOneCheckAtItsDeadline() throws Throwable {
        Timeout timeout = timeout();
        Thread caller = Thread.currentThread();

        Object result = timeout.<String>decorate(context -> {
            assertThat(Thread.currentThread()).isSameAs(caller);
            return context + "!";
        }).invoke("value");

        assertThat(result).isEqualTo("value!");
        assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofSeconds(1));
        assertThat(timeout.getMetrics()).isEqualTo(new TimeoutMetrics(1, 0, 0));
        assertThat(listener.events).containsExactly("success t");

        // the check finds nothing running: no interrupt, and it plans no other check
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(scheduler.pendingCount()).isZero();
    }

    @Test
    void aSteadyFlowOfCallsSchedulesNothingPerCall() throws Throwable {
        Timeout timeout = timeout();
        Call<String> quick = timeout.decorate(context -> context);

        for (int i = 0; i < 100; i++) {
            quick.invoke("context");
            scheduler.advance(Duration.ofMillis(1));
        }

        // the first call planned the only check; each later deadline came after it
        assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofMillis(900));
        assertThat(timeout.getMetrics()).isEqualTo(new TimeoutMetrics(100, 0, 0));
    }

    @Test
    void anEarlierDeadlinePlansAnEarlierCheck() throws Throwable {
        Timeout slow = timeout("slow", Duration.ofSeconds(1));
        Timeout fast = timeout("fast", Duration.ofMillis(100));

        slow.<String>decorate(context -> context).invoke("context");
        Throwable thrown = catchThrowable(() -> fast.<String>decorate(context -> {
            assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofMillis(100), Duration.ofSeconds(1));
            scheduler.advance(Duration.ofMillis(100));
            return "late";
        }).invoke("context"));

        assertThat(thrown).isInstanceOf(TimeoutExceededException.class);
        assertThat(((TimeoutExceededException) thrown).getName()).isEqualTo("fast");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(listener.events).containsExactly("success slow", "timeout fast");
    }

    @Test
    void aCheckForAnEarlierCallLeavesTheThreadsNextCallAloneAndPlansItsDeadline() throws Throwable {
        Timeout timeout = timeout();
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicReference<Object> pendingAfterCheck = new AtomicReference<>();
        timeout.<String>decorate(context -> context).invoke("first");
        scheduler.advance(Duration.ofMillis(600));

        Object result = timeout.<String>decorate(context -> {
            // the check planned by the first call runs now, while the second is running
            scheduler.advance(Duration.ofMillis(500));
            interrupted.set(Thread.currentThread().isInterrupted());
            pendingAfterCheck.set(scheduler.pendingDelays());
            return "second";
        }).invoke("context");

        assertThat(result).isEqualTo("second");
        assertThat(interrupted).isFalse();
        assertThat(pendingAfterCheck.get()).asList().containsExactly(Duration.ofMillis(500));
        assertThat(timeout.getMetrics()).isEqualTo(new TimeoutMetrics(2, 0, 0));
    }

    @Test
    void aLateResultAfterTheDeadlineIsDiscarded() {
        Timeout timeout = timeout();
        AtomicBoolean interruptedByCheck = new AtomicBoolean();

        Throwable thrown = catchThrowable(() -> timeout.<String>decorate(context -> {
            scheduler.advance(Duration.ofSeconds(1));
            interruptedByCheck.set(Thread.interrupted());
            return "late";
        }).invoke("context"));

        assertThat(interruptedByCheck).isTrue();
        assertThat(thrown).isInstanceOf(TimeoutExceededException.class)
                .hasMessage("Timeout 't' expired: the call did not finish within 1000ms");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(timeout.getMetrics()).isEqualTo(new TimeoutMetrics(0, 0, 1));
        assertThat(listener.events).containsExactly("timeout t");
    }

    @Test
    void theInterruptIsClearedWhenTheStepLeavesItSetAndTheNextCallSucceeds() throws Throwable {
        Timeout timeout = timeout();

        Throwable thrown = catchThrowable(() -> timeout.<String>decorate(context -> {
            scheduler.advance(Duration.ofSeconds(2));
            return "late, flag still set";
        }).invoke("context"));

        assertThat(thrown).isInstanceOf(TimeoutExceededException.class);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(timeout.<String>decorate(context -> "next").invoke("context")).isEqualTo("next");
        assertThat(timeout.getMetrics()).isEqualTo(new TimeoutMetrics(1, 0, 1));
    }

    @Test
    void anotherFailureBeforeTheDeadlineIsRethrownAndAfterItBecomesTheTimeout() {
        Timeout timeout = timeout();
        IOException failure = new IOException("broken");

        Throwable inTime = catchThrowable(() -> timeout.<String>decorate(context -> {
            throw failure;
        }).invoke("context"));
        Throwable late = catchThrowable(() -> timeout.<String>decorate(context -> {
            scheduler.advance(Duration.ofSeconds(1));
            throw new IllegalStateException("after the deadline");
        }).invoke("context"));

        assertThat(inTime).isSameAs(failure);
        assertThat(late).isInstanceOf(TimeoutExceededException.class);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(timeout.getMetrics()).isEqualTo(new TimeoutMetrics(0, 1, 1));
        assertThat(listener.events).containsExactly("failure broken", "timeout t");
    }

    @Test
    void anErrorAfterTheDeadlineIsNeverMasked() {
        Timeout timeout = timeout();
        OutOfMemoryError error = new OutOfMemoryError("fatal");

        Throwable thrown = catchThrowable(() -> timeout.<String>decorate(context -> {
            scheduler.advance(Duration.ofSeconds(1));
            throw error;
        }).invoke("context"));

        assertThat(thrown).isSameAs(error);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(timeout.getMetrics()).isEqualTo(new TimeoutMetrics(0, 1, 0));
    }

    @Test
    void anInterruptFlagSetBeforeTheCallIsLeftSet() throws Throwable {
        Timeout timeout = timeout();
        Thread.currentThread().interrupt();

        Object result = timeout.<String>decorate(context -> "value").invoke("context");
        assertThat(result).isEqualTo("value");
        assertThat(Thread.currentThread().isInterrupted()).isTrue();

        Throwable thrown = catchThrowable(() -> timeout.<String>decorate(context -> {
            scheduler.advance(Duration.ofSeconds(1));
            return "late";
        }).invoke("context"));
        assertThat(thrown).isInstanceOf(TimeoutExceededException.class);
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }

    @Test
    void aNestedCallGetsADeadlineTaskOfItsOwn() throws Throwable {
        Timeout outer = timeout("outer", Duration.ofSeconds(1));
        Timeout inner = timeout("inner", Duration.ofMillis(100));
        AtomicReference<Object> pendingInside = new AtomicReference<>();

        Object result = outer.<String>decorate(context -> {
            try {
                return inner.<String>decorate(nested -> {
                    pendingInside.set(scheduler.pendingDelays());
                    scheduler.advance(Duration.ofMillis(100));
                    return "late";
                }).invoke(context);
            } catch (TimeoutExceededException expected) {
                return "recovered";
            }
        }).invoke("context");

        assertThat(result).isEqualTo("recovered");
        assertThat(pendingInside.get()).asList().containsExactly(Duration.ofMillis(100), Duration.ofSeconds(1));
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(listener.events).containsExactly("timeout inner", "success outer");
    }

    @Test
    void theSlotOfAThreadThatEndedIsDroppedByTheNextCheck() throws Throwable {
        Timeout timeout = timeout();
        Thread other = new Thread(() -> {
            try {
                timeout.<String>decorate(context -> context).invoke("other");
            } catch (Throwable unexpected) {
                throw new AssertionError(unexpected);
            }
        });
        other.start();
        other.join();
        timeout.<String>decorate(context -> context).invoke("mine");
        assertThat(watchdog.slotCount()).isEqualTo(2);

        scheduler.advance(Duration.ofSeconds(1));

        assertThat(watchdog.slotCount()).isEqualTo(1);
        assertThat(timeout.getMetrics()).isEqualTo(new TimeoutMetrics(2, 0, 0));
    }

    @Test
    void aCheckTheSchedulerRejectsFailsTheCallBeforeItStartsAndFreesTheSlot() throws Throwable {
        AtomicInteger rejections = new AtomicInteger(1);
        Scheduler rejectingOnce = TestSchedulers.timer((task, delayNanos) -> {
            if (rejections.getAndDecrement() > 0) {
                throw new RejectedExecutionException("shut down");
            }
            return scheduler.schedule(task, delayNanos);
        });
        Timeout timeout = new Timeout("t", TimeoutConfig.builder().build(), rejectingOnce,
                new DeadlineWatchdog(rejectingOnce, ticker));
        AtomicBoolean started = new AtomicBoolean();

        Throwable thrown = catchThrowable(() -> timeout.<String>decorate(context -> {
            started.set(true);
            return context;
        }).invoke("context"));

        assertThat(thrown).isInstanceOf(RejectedExecutionException.class);
        assertThat(started).isFalse();
        assertThat(timeout.<String>decorate(context -> "next").invoke("context")).isEqualTo("next");
        assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofSeconds(1));
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void theRegistryHandsItsWatchdogToEveryInstance() throws Throwable {
        TimeoutRegistry registry = new TimeoutRegistry(name -> TimeoutConfig.builder().build(), scheduler, watchdog);

        registry.get("a").<String>decorate(context -> context).invoke("context");
        registry.get("b").<String>decorate(context -> context).invoke("context");

        // one shared check for both instances' calls
        assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofSeconds(1));
        assertThat(watchdog.slotCount()).isEqualTo(1);
    }
}

package dev.resilience.integration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.resilience.annotation.Timeout;
import dev.resilience.core.TimeoutExceededException;
import dev.resilience.core.timeout.TimeoutMetrics;
import dev.resilience.core.timeout.TimeoutRegistry;
import dev.resilience.integration.Probe.Step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code @Timeout} on a synchronous method, with the real shared timer: the method runs on the caller's thread and
 * blocks on an interruptible wait; the caller gets {@link TimeoutExceededException}; the thread's interrupt flag is
 * clean afterwards, and the next call on the same thread (itself waiting interruptibly) succeeds.
 */
class SyncTimeoutInterruptTest {

    private final ApplicationContextRunner runner = Support.runner()
            .withBean(Probe.class, Probe::new)
            .withBean(Slow.class)
            .withPropertyValues("resilience.timeout.instances.slow.timeout-duration=100ms");

    @AfterEach
    void clearInterruptFlag() {
        // never leave an interrupt behind for the next test, whatever happened
        Thread.interrupted();
    }

    @Test
    void aMethodThatRestoresTheInterruptLeavesNoInterruptOnTheCallersThread() {
        runner.run(context -> {
            Slow slow = context.getBean(Slow.class);
            Probe probe = context.getBean(Probe.class).plan(Step.HANG, Step.HANG);

            assertThatThrownBy(() -> slow.call("a")).isInstanceOf(TimeoutExceededException.class)
                    .hasMessageContaining("'slow'").hasMessageContaining("100ms");
            assertThat(Thread.currentThread().isInterrupted()).isFalse();

            // the second call waits interruptibly too (on a latch already open): a leaked interrupt would break it
            probe.release();
            assertThat(slow.call("b")).isEqualTo("b late");
            assertThat(probe.threads).containsExactly(Thread.currentThread(), Thread.currentThread());
            assertThat(probe.interruptedOnEntry).containsExactly(false, false);
            assertThat(context.getBean(TimeoutRegistry.class).get("slow").getMetrics())
                    .isEqualTo(new TimeoutMetrics(1, 0, 1));
        });
    }

    @Test
    void aMethodThatSwallowsTheInterruptAndReturnsLateStillTimesOut() {
        runner.run(context -> {
            Slow slow = context.getBean(Slow.class);
            Probe probe = context.getBean(Probe.class).plan(Step.SWALLOW);

            assertThatThrownBy(() -> slow.call("a")).isInstanceOf(TimeoutExceededException.class);
            assertThat(Thread.currentThread().isInterrupted()).isFalse();

            assertThat(slow.call("b")).isEqualTo("b");
            assertThat(probe.interruptedOnEntry).containsExactly(false, false);
        });
    }

    @Test
    void timeoutAfterTimeoutOnOneThreadEachLeavesItClean() {
        runner.run(context -> {
            Slow slow = context.getBean(Slow.class);
            Probe probe = context.getBean(Probe.class).plan(Step.HANG, Step.SWALLOW, Step.HANG);

            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> slow.call("a")).isInstanceOf(TimeoutExceededException.class);
                assertThat(Thread.currentThread().isInterrupted()).isFalse();
            }
            assertThat(slow.call("b")).isEqualTo("b");
            assertThat(probe.interruptedOnEntry).containsExactly(false, false, false, false);
        });
    }

    @Test
    void anInterruptThatWasThereBeforeTheCallIsLeftForTheCaller() {
        runner.run(context -> {
            Slow slow = context.getBean(Slow.class);
            Probe probe = context.getBean(Probe.class);

            Thread.currentThread().interrupt();
            assertThat(slow.call("a")).isEqualTo("a");

            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(probe.interruptedOnEntry).containsExactly(true);
        });
    }

    static class Slow {

        private final Probe probe;

        Slow(Probe probe) {
            this.probe = probe;
        }

        @Timeout("slow")
        public String call(String label) {
            return probe.sync(label);
        }
    }
}

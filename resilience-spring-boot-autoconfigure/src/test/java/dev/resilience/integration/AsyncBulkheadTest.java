package dev.resilience.integration;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.core.BulkheadFullException;
import dev.resilience.core.bulkhead.BulkheadMetrics;
import dev.resilience.core.bulkhead.BulkheadRegistry;
import dev.resilience.core.bulkhead.ThreadPoolBulkhead;
import dev.resilience.integration.Probe.Step;
import dev.resilience.integration.Support.Outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code @Bulkhead} on asynchronous methods, through the auto-configuration: a semaphore permit lasts until the
 * returned future completes; a thread-pool bulkhead runs the method on its own pool, and cannot protect a
 * synchronous method.
 */
class AsyncBulkheadTest {

    private final ApplicationContextRunner runner = Support.runner()
            .withBean(Probe.class, Probe::new)
            .withPropertyValues(
                    "resilience.bulkhead.instances.permits.max-concurrent-calls=1",
                    "resilience.bulkhead.instances.pool.type=thread-pool",
                    "resilience.bulkhead.instances.pool.core-thread-pool-size=1",
                    "resilience.bulkhead.instances.pool.max-thread-pool-size=1",
                    "resilience.bulkhead.instances.pool.queue-capacity=1");

    @Test
    void aPermitIsHeldUntilTheReturnedFutureCompletes() {
        runner.withBean(Async.class).run(context -> {
            Async bean = context.getBean(Async.class);
            Probe probe = context.getBean(Probe.class).plan(Step.HANG);
            dev.resilience.core.bulkhead.Bulkhead bulkhead = context.getBean(BulkheadRegistry.class).get("permits");

            CompletableFuture<String> first = bean.permits("a");

            // the method has returned, its future has not completed: the permit is still taken
            assertThat(first).isNotDone();
            assertThat(bulkhead.getAvailableConcurrentCalls()).isZero();
            assertThat(Outcome.ofAsync(bean.permits("b")).failure()).isInstanceOf(BulkheadFullException.class);

            probe.pending.get(0).complete("done by hand");

            assertThat(first).isCompletedWithValue("done by hand");
            assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
            assertThat(bean.permits("c")).isCompletedWithValue("c");
            assertThat(bulkhead.getMetrics()).isEqualTo(new BulkheadMetrics(2, 1, 1, 1));
            assertThat(probe.calls).hasValue(2);
        });
    }

    @Test
    void aThreadPoolBulkheadRunsTheMethodOnItsPoolAndRejectsWhenPoolAndQueueAreFull() {
        runner.withBean(Async.class).run(context -> {
            Async bean = context.getBean(Async.class);
            Probe probe = context.getBean(Probe.class).plan(Step.BLOCK, Step.BLOCK);
            assertThat(context.getBean(BulkheadRegistry.class).get("pool")).isInstanceOf(ThreadPoolBulkhead.class);

            CompletableFuture<String> running = bean.pooled("a");
            await().atMost(Support.PATIENCE).untilAsserted(() -> assertThat(probe.calls).hasValue(1));
            CompletableFuture<String> queued = bean.pooled("b");
            Outcome rejected = Outcome.ofAsync(bean.pooled("c"));

            assertThat(rejected.failure()).isInstanceOf(BulkheadFullException.class)
                    .hasMessageContaining("'pool'");
            assertThat(probe.calls).hasValue(1);
            probe.release();
            assertThat(Outcome.ofAsync(running).value()).isEqualTo("a late");
            assertThat(Outcome.ofAsync(queued).value()).isEqualTo("b late");
            assertThat(probe.threads).hasSize(2).allSatisfy(thread -> {
                assertThat(thread).isNotSameAs(Thread.currentThread());
                assertThat(thread.getName()).startsWith("resilience-bulkhead-pool-");
            });
        });
    }

    @Test
    void aThreadPoolBulkheadOnASynchronousMethodFailsTheStartNamingMethodAndBulkhead() {
        runner.withBean(SyncOnPool.class).run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            String messages = "";
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                messages += cause.getMessage() + "\n";
            }
            assertThat(messages).contains("Cannot apply resilience annotations to SyncOnPool.call(String) of bean class "
                    + SyncOnPool.class.getName() + ": Bulkhead 'pool' is a thread-pool bulkhead");
        });
    }

    static class Async {

        private final Probe probe;

        Async(Probe probe) {
            this.probe = probe;
        }

        @Bulkhead("permits")
        public CompletableFuture<String> permits(String label) {
            return probe.async(label);
        }

        @Bulkhead("pool")
        public CompletableFuture<String> pooled(String label) {
            return probe.async(label);
        }
    }

    static class SyncOnPool {

        @Bulkhead("pool")
        public String call(String label) {
            return label;
        }
    }
}

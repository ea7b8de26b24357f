package dev.resilience.integration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.test.util.AopTestUtils;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.core.BulkheadFullException;
import dev.resilience.core.CircuitBreakerOpenException;
import dev.resilience.core.ManualTicker;
import dev.resilience.core.Ticker;
import dev.resilience.core.bulkhead.BulkheadRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Eight threads hammer one method protected by a real breaker and a real bulkhead of 3, through the interceptor,
 * with random outcomes. The breaker opens and closes again and again (its clock moves 1ms with every call, so that
 * the 5ms open state ends), the bulkhead fills up. Whatever the interleaving: only the method's own exception
 * and the two rejections reach a caller, never more than 3 calls are inside the method at once, the outcomes add
 * up, and every permit comes back.
 */
class InterceptorConcurrencyTest {

    private static final int THREADS = 8;
    private static final int CALLS_PER_THREAD = 2_000;
    private static final int MAX_CONCURRENT = 3;

    private final ManualTicker ticker = new ManualTicker();

    private final ApplicationContextRunner runner = Support.runner()
            .withBean(Ticker.class, () -> ticker)
            .withBean(Hammered.class)
            .withPropertyValues(
                    "resilience.circuitbreaker.instances.hammer.sliding-window-size=10",
                    "resilience.circuitbreaker.instances.hammer.minimum-number-of-calls=10",
                    "resilience.circuitbreaker.instances.hammer.failure-rate-threshold=50",
                    "resilience.circuitbreaker.instances.hammer.wait-duration-in-open-state=5ms",
                    "resilience.circuitbreaker.instances.hammer.permitted-number-of-calls-in-half-open-state=5",
                    // a full bulkhead says nothing about the method's health; counted, it would keep the breaker open
                    "resilience.circuitbreaker.instances.hammer.ignore-exceptions=dev.resilience.core.BulkheadFullException",
                    "resilience.bulkhead.instances.hammer.max-concurrent-calls=" + MAX_CONCURRENT);

    @Test
    void synchronousCallsKeepTheInvariants() {
        runner.run(context -> {
            Hammered bean = context.getBean(Hammered.class);
            Map<String, LongAdder> outcomes = hammer(call -> {
                try {
                    bean.call(call);
                    return "ok";
                }
                catch (RuntimeException ex) {
                    return classify(ex);
                }
            });
            assertInvariants(context.getBean(BulkheadRegistry.class).get("hammer"), bean, outcomes);
        });
    }

    @Test
    void asynchronousCallsKeepTheInvariants() {
        ExecutorService work = Executors.newFixedThreadPool(4);
        try {
            runner.withBean(ExecutorService.class, () -> work).run(context -> {
                Hammered bean = context.getBean(Hammered.class);
                Map<String, LongAdder> outcomes = hammer(call -> {
                    try {
                        bean.callAsync(call).get(Support.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                        return "ok";
                    }
                    catch (ExecutionException ex) {
                        return classify(ex.getCause());
                    }
                    catch (Exception ex) {
                        return "unexpected " + ex;
                    }
                });
                assertInvariants(context.getBean(BulkheadRegistry.class).get("hammer"), bean, outcomes);
            });
        }
        finally {
            work.shutdownNow();
        }
    }

    private Map<String, LongAdder> hammer(IntFunction<String> call) throws Exception {
        Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
        CyclicBarrier start = new CyclicBarrier(THREADS);
        ExecutorService callers = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                done.add(callers.submit(() -> {
                    start.await();
                    for (int i = 0; i < CALLS_PER_THREAD; i++) {
                        ticker.advance(Duration.ofMillis(1));
                        outcomes.computeIfAbsent(call.apply(i), key -> new LongAdder()).increment();
                    }
                    return null;
                }));
            }
            for (Future<?> each : done) {
                each.get(60, TimeUnit.SECONDS);
            }
        }
        finally {
            callers.shutdownNow();
        }
        return outcomes;
    }

    private static String classify(Throwable failure) {
        if (failure instanceof Boom) {
            return "boom";
        }
        if (failure instanceof CircuitBreakerOpenException) {
            return "breaker open";
        }
        if (failure instanceof BulkheadFullException) {
            return "bulkhead full";
        }
        return "unexpected " + failure;
    }

    private static void assertInvariants(dev.resilience.core.bulkhead.Bulkhead bulkhead, Hammered proxy,
            Map<String, LongAdder> outcomes) {
        // the counters live on the bean behind the proxy
        Hammered bean = AopTestUtils.getUltimateTargetObject(proxy);
        Map<String, Long> counts = new ConcurrentHashMap<>();
        outcomes.forEach((key, count) -> counts.put(key, count.sum()));
        assertThat(counts.keySet()).as("outcomes").allMatch(key -> !key.startsWith("unexpected"));
        assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(THREADS * CALLS_PER_THREAD);
        // every kind of outcome happened, or the test proved little
        assertThat(counts).as("outcomes %s", counts).containsKeys("ok", "boom", "breaker open", "bulkhead full");
        assertThat(bean.maxInside).as("most calls inside the method at once").hasValueBetween(1, MAX_CONCURRENT);
        assertThat(bean.inside).hasValue(0);
        assertThat((long) bean.calls.get()).isEqualTo(counts.get("ok") + counts.get("boom"));
        assertThat(bulkhead.getMetrics().permittedCalls()).isEqualTo(bean.calls.get());
        assertThat(bulkhead.getMetrics().rejectedCalls()).isEqualTo(counts.get("bulkhead full"));
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(MAX_CONCURRENT);
        assertThat(bean.unexpected).isEmpty();
    }

    /** The method's own exception. */
    static final class Boom extends RuntimeException {

        private static final long serialVersionUID = 1L;

        Boom() {
            super("boom", null, false, false);
        }
    }

    static class Hammered {

        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger maxInside = new AtomicInteger();
        final List<String> unexpected = new CopyOnWriteArrayList<>();
        private final ExecutorService work;

        Hammered(org.springframework.beans.factory.ObjectProvider<ExecutorService> work) {
            this.work = work.getIfAvailable();
        }

        @CircuitBreaker("hammer")
        @Bulkhead("hammer")
        public String call(int call) {
            enter();
            try {
                return work();
            }
            finally {
                inside.decrementAndGet();
            }
        }

        @CircuitBreaker("hammer")
        @Bulkhead("hammer")
        public CompletableFuture<String> callAsync(int call) {
            enter();
            // the permit is held until this future completes, so the call leaves the method only then
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return work();
                }
                finally {
                    inside.decrementAndGet();
                }
            }, work);
        }

        private void enter() {
            calls.incrementAndGet();
            maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
        }

        /** Stays inside a little, so that callers pile up at the bulkhead; fails 20% of the calls. */
        private String work() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = random.nextInt(5); i > 0; i--) {
                Thread.yield();
            }
            if (random.nextInt(100) < 20) {
                throw new Boom();
            }
            return "ok";
        }
    }
}

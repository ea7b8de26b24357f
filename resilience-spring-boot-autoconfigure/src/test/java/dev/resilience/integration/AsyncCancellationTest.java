package dev.resilience.integration;

import java.util.concurrent.CompletableFuture;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Fallback;
import dev.resilience.annotation.Retry;
import dev.resilience.annotation.Timeout;
import dev.resilience.autoconfigure.ResilienceObservationAutoConfiguration;
import dev.resilience.core.bulkhead.BulkheadRegistry;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.retry.RetryRegistry;
import dev.resilience.integration.Probe.Step;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cancelling the future of an annotated asynchronous method reaches the method's own future through the whole
 * chain, with and without an observation registry (any application with the actuator has one), and leaves no permit
 * taken and no retry running.
 */
class AsyncCancellationTest {

    private final ApplicationContextRunner runner = Support.runner()
            .withConfiguration(AutoConfigurations.of(ResilienceObservationAutoConfiguration.class))
            .withBean(Probe.class, Probe::new)
            .withBean(Chain.class)
            .withPropertyValues(
                    "resilience.retry.instances.chain.max-attempts=3",
                    "resilience.retry.instances.chain.wait-duration=0",
                    "resilience.bulkhead.instances.chain.max-concurrent-calls=1",
                    "resilience.timeout.instances.chain.timeout-duration=20s");

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void cancellingTheCallersFutureCancelsTheMethodsFuture(boolean observed) {
        ApplicationContextRunner contexts = observed ? runner.withBean(ObservationRegistry.class, () -> {
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(new ObservationHandler<>() {
                @Override
                public boolean supportsContext(Observation.Context context) {
                    return true;
                }
            });
            return registry;
        }) : runner;
        contexts.run(context -> {
            Chain chain = context.getBean(Chain.class);
            Probe probe = context.getBean(Probe.class).plan(Step.HANG);

            CompletableFuture<String> result = chain.all("a");
            assertThat(probe.pending).hasSize(1);
            assertThat(result.cancel(true)).isTrue();

            assertThat(probe.pending.get(0)).isCancelled();
            assertThat(probe.calls).hasValue(1);
            assertThat(probe.fallbackGot).isEmpty();
            assertThat(context.getBean(BulkheadRegistry.class).get("chain").getAvailableConcurrentCalls()).isEqualTo(1);
            assertThat(context.getBean(CircuitBreakerRegistry.class).get("chain").getMetrics().bufferedCalls()).isZero();
            assertThat(context.getBean(RetryRegistry.class).get("chain").getMetrics().failedCallsWithRetry()).isZero();
        });
    }

    static class Chain {

        private final Probe probe;

        Chain(Probe probe) {
            this.probe = probe;
        }

        @Fallback("fallback")
        @Retry("chain")
        @CircuitBreaker("chain")
        @Timeout("chain")
        @Bulkhead("chain")
        public CompletableFuture<String> all(String label) {
            return probe.async(label);
        }

        CompletableFuture<String> fallback(String label, Throwable failure) {
            probe.fallbackGot.add(failure);
            return CompletableFuture.completedFuture("fallback " + label);
        }
    }
}

package dev.resilience.integration;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Retry;
import dev.resilience.annotation.Timeout;
import dev.resilience.core.BulkheadFullException;
import dev.resilience.core.CircuitBreakerOpenException;
import dev.resilience.core.ManualTicker;
import dev.resilience.core.Ticker;
import dev.resilience.core.TimeoutExceededException;
import dev.resilience.core.circuitbreaker.CircuitBreaker.State;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.integration.Probe.Step;
import dev.resilience.integration.Support.Outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Settings from properties, seen in behaviour: the {@code default} template applies to every instance without
 * settings of its own; {@code base-config} picks another template; an instance's own key overrides its template's.
 */
class SettingsBehaviourTest {

    private final ManualTicker ticker = new ManualTicker();

    private final ApplicationContextRunner runner = Support.runner()
            .withBean(Ticker.class, () -> ticker)
            .withBean(Probe.class, Probe::new)
            .withBean(Configured.class)
            .withPropertyValues(
                    "resilience.circuitbreaker.configs.default.sliding-window-size=4",
                    "resilience.circuitbreaker.configs.default.minimum-number-of-calls=4",
                    "resilience.circuitbreaker.configs.default.failure-rate-threshold=100",
                    "resilience.circuitbreaker.configs.strict.sliding-window-size=3",
                    "resilience.circuitbreaker.configs.strict.minimum-number-of-calls=3",
                    "resilience.circuitbreaker.configs.strict.failure-rate-threshold=50",
                    "resilience.circuitbreaker.configs.strict.wait-duration-in-open-state=10s",
                    "resilience.circuitbreaker.configs.strict.permitted-number-of-calls-in-half-open-state=1",
                    "resilience.circuitbreaker.instances.templated.base-config=strict",
                    "resilience.circuitbreaker.instances.picky.base-config=strict",
                    "resilience.circuitbreaker.instances.picky.minimum-number-of-calls=2",
                    "resilience.retry.configs.default.max-attempts=2",
                    "resilience.retry.configs.default.wait-duration=0",
                    "resilience.retry.instances.persistent.max-attempts=4",
                    "resilience.bulkhead.instances.narrow.max-concurrent-calls=2",
                    "resilience.timeout.configs.default.timeout-duration=30s",
                    "resilience.timeout.instances.quick.timeout-duration=100ms");

    @Test
    void theDefaultTemplateAppliesToAnInstanceWithoutSettings() {
        runner.run(context -> {
            Configured bean = context.getBean(Configured.class);
            Probe probe = context.getBean(Probe.class).otherwise(Step.FAIL);
            CircuitBreakerRegistry breakers = context.getBean(CircuitBreakerRegistry.class);

            // window 4, deciding from 4 calls, at 100%: three failures are not enough, the fourth opens it
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> bean.plain("a")).isInstanceOf(Probe.Boom.class);
            }
            assertThat(breakers.get("Configured.plain").getState()).isEqualTo(State.CLOSED);
            assertThatThrownBy(() -> bean.plain("a")).isInstanceOf(Probe.Boom.class);
            assertThat(breakers.get("Configured.plain").getState()).isEqualTo(State.OPEN);
            assertThatThrownBy(() -> bean.plain("a")).isInstanceOf(CircuitBreakerOpenException.class);
            assertThat(probe.calls).hasValue(4);
        });
    }

    @Test
    void baseConfigPicksATemplateWhoseKeysAllApply() {
        runner.run(context -> {
            Configured bean = context.getBean(Configured.class);
            Probe probe = context.getBean(Probe.class).plan(Step.SUCCEED, Step.FAIL, Step.FAIL);
            CircuitBreakerRegistry breakers = context.getBean(CircuitBreakerRegistry.class);

            // window 3, deciding from 3 calls, at 50%: after 1 success and 1 failure it still waits for a third
            assertThat(bean.templated("a")).isEqualTo("a");
            assertThatThrownBy(() -> bean.templated("b")).isInstanceOf(Probe.Boom.class);
            assertThat(breakers.get("templated").getState()).isEqualTo(State.CLOSED);
            assertThatThrownBy(() -> bean.templated("c")).isInstanceOf(Probe.Boom.class);
            assertThat(breakers.get("templated").getState()).isEqualTo(State.OPEN);

            // open for 10s (a call at their very end is still refused), then one trial call, whose success closes it
            ticker.advance(Duration.ofMillis(10_000));
            assertThatThrownBy(() -> bean.templated("d")).isInstanceOf(CircuitBreakerOpenException.class);
            ticker.advance(Duration.ofNanos(1));
            assertThat(bean.templated("e")).isEqualTo("e");
            assertThat(breakers.get("templated").getState()).isEqualTo(State.CLOSED);
            assertThat(probe.calls).hasValue(4);
        });
    }

    @Test
    void anInstancesOwnKeyOverridesItsTemplate() {
        runner.run(context -> {
            Configured bean = context.getBean(Configured.class);
            context.getBean(Probe.class).plan(Step.SUCCEED, Step.FAIL);
            CircuitBreakerRegistry breakers = context.getBean(CircuitBreakerRegistry.class);

            // the template's 50%, the instance's own minimum of 2 calls
            assertThat(bean.picky("a")).isEqualTo("a");
            assertThatThrownBy(() -> bean.picky("b")).isInstanceOf(Probe.Boom.class);

            assertThat(breakers.get("picky").getState()).isEqualTo(State.OPEN);
            assertThat(breakers.get("picky").getConfig().slidingWindowSize()).isEqualTo(3);
        });
    }

    @Test
    void retryBulkheadAndTimeoutSettingsApplyAsWell() {
        runner.run(context -> {
            Configured bean = context.getBean(Configured.class);
            Probe probe = context.getBean(Probe.class).plan(Step.FAIL, Step.FAIL);

            // the default template's 2 attempts
            assertThatThrownBy(() -> bean.retried("a")).isInstanceOf(Probe.Boom.class);
            assertThat(probe.calls).hasValue(2);
            // the instance's 4 attempts
            probe.plan(Step.FAIL, Step.FAIL, Step.FAIL, Step.FAIL);
            assertThatThrownBy(() -> bean.persistent("b")).isInstanceOf(Probe.Boom.class);
            assertThat(probe.calls).hasValue(6);

            // 2 concurrent calls, not the default 25
            probe.plan(Step.HANG, Step.HANG);
            CompletableFuture<String> first = bean.narrow("c");
            CompletableFuture<String> second = bean.narrow("d");
            assertThat(Outcome.ofAsync(bean.narrow("e")).failure()).isInstanceOf(BulkheadFullException.class);
            probe.pending.forEach(future -> future.complete("done"));
            assertThat(first).isCompletedWithValue("done");
            assertThat(second).isCompletedWithValue("done");

            // the instance's 100ms, not the template's 30s
            probe.plan(Step.HANG);
            assertThat(Outcome.ofAsync(bean.quick("f")).failure()).isInstanceOf(TimeoutExceededException.class)
                    .hasMessageContaining("100ms");
        });
    }

    static class Configured {

        private final Probe probe;

        Configured(Probe probe) {
            this.probe = probe;
        }

        @CircuitBreaker
        public String plain(String label) {
            return probe.sync(label);
        }

        @CircuitBreaker("templated")
        public String templated(String label) {
            return probe.sync(label);
        }

        @CircuitBreaker("picky")
        public String picky(String label) {
            return probe.sync(label);
        }

        @Retry
        public String retried(String label) {
            return probe.sync(label);
        }

        @Retry("persistent")
        public String persistent(String label) {
            return probe.sync(label);
        }

        @Bulkhead("narrow")
        public CompletableFuture<String> narrow(String label) {
            return probe.async(label);
        }

        @Timeout("quick")
        public CompletableFuture<String> quick(String label) {
            return probe.async(label);
        }
    }
}

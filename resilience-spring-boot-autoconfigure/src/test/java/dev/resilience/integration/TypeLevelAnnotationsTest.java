package dev.resilience.integration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.core.CircuitBreakerOpenException;
import dev.resilience.core.ManualTicker;
import dev.resilience.core.Ticker;
import dev.resilience.core.circuitbreaker.CircuitBreaker.State;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.integration.Probe.Step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Type-level {@code @CircuitBreaker} with real breakers: without a name every public method gets its own breaker,
 * named {@code SimpleClassName.method}; with an explicit name all methods share one breaker, whose window counts
 * the failures of all of them. Breakers of a count window of 2 that open at 50% failures.
 */
class TypeLevelAnnotationsTest {

    private final ApplicationContextRunner runner = Support.runner()
            .withBean(Ticker.class, ManualTicker::new)
            .withBean(Probe.class, Probe::new)
            .withPropertyValues(
                    "resilience.circuitbreaker.configs.default.sliding-window-size=2",
                    "resilience.circuitbreaker.configs.default.minimum-number-of-calls=2",
                    "resilience.circuitbreaker.configs.default.failure-rate-threshold=50");

    @Test
    void everyMethodGetsABreakerOfItsOwnNamedAfterClassAndMethod() {
        runner.withBean(PerMethod.class).run(context -> {
            PerMethod bean = context.getBean(PerMethod.class);
            Probe probe = context.getBean(Probe.class);
            CircuitBreakerRegistry breakers = context.getBean(CircuitBreakerRegistry.class);
            assertThat(breakers.getAll()).extracting(dev.resilience.core.circuitbreaker.CircuitBreaker::getName)
                    .containsExactlyInAnyOrder("PerMethod.first", "PerMethod.second");

            probe.plan(Step.FAIL, Step.FAIL);
            assertThatThrownBy(() -> bean.first("a")).isInstanceOf(Probe.Boom.class);
            assertThatThrownBy(() -> bean.first("b")).isInstanceOf(Probe.Boom.class);

            assertThat(breakers.get("PerMethod.first").getState()).isEqualTo(State.OPEN);
            assertThatThrownBy(() -> bean.first("c")).isInstanceOf(CircuitBreakerOpenException.class)
                    .hasMessageContaining("'PerMethod.first'");
            assertThat(bean.second("d")).isEqualTo("d");
            assertThat(bean.second("e")).isEqualTo("e");
            assertThat(breakers.get("PerMethod.second").getState()).isEqualTo(State.CLOSED);
            assertThat(probe.calls).hasValue(4);
        });
    }

    @Test
    void aSharedNameGivesOneBreakerThatCountsTheFailuresOfBothMethods() {
        runner.withBean(Shared.class).run(context -> {
            Shared bean = context.getBean(Shared.class);
            Probe probe = context.getBean(Probe.class);
            CircuitBreakerRegistry breakers = context.getBean(CircuitBreakerRegistry.class);
            assertThat(breakers.getAll()).extracting(dev.resilience.core.circuitbreaker.CircuitBreaker::getName)
                    .containsExactly("shared");

            probe.plan(Step.FAIL, Step.FAIL);
            assertThatThrownBy(() -> bean.first("a")).isInstanceOf(Probe.Boom.class);
            assertThat(breakers.get("shared").getState()).isEqualTo(State.CLOSED);
            assertThatThrownBy(() -> bean.second("b")).isInstanceOf(Probe.Boom.class);

            // one failure of each method filled the one window: both methods are now rejected
            assertThat(breakers.get("shared").getState()).isEqualTo(State.OPEN);
            assertThatThrownBy(() -> bean.first("c")).isInstanceOf(CircuitBreakerOpenException.class)
                    .hasMessageContaining("'shared'");
            assertThatThrownBy(() -> bean.second("d")).isInstanceOf(CircuitBreakerOpenException.class)
                    .hasMessageContaining("'shared'");
            assertThat(probe.calls).hasValue(2);
        });
    }

    @Test
    void aMethodLevelAnnotationWinsOverTheTypeLevelOne() {
        runner.withBean(Overridden.class).run(context -> {
            Overridden bean = context.getBean(Overridden.class);
            context.getBean(Probe.class).plan(Step.FAIL, Step.FAIL);
            CircuitBreakerRegistry breakers = context.getBean(CircuitBreakerRegistry.class);

            assertThatThrownBy(() -> bean.own("a")).isInstanceOf(Probe.Boom.class);
            assertThatThrownBy(() -> bean.own("b")).isInstanceOf(Probe.Boom.class);

            assertThat(breakers.get("own").getState()).isEqualTo(State.OPEN);
            assertThat(breakers.get("type").getState()).isEqualTo(State.CLOSED);
            assertThat(bean.typed("c")).isEqualTo("c");
        });
    }

    @CircuitBreaker
    static class PerMethod {

        private final Probe probe;

        PerMethod(Probe probe) {
            this.probe = probe;
        }

        public String first(String label) {
            return probe.sync(label);
        }

        public String second(String label) {
            return probe.sync(label);
        }
    }

    @CircuitBreaker("shared")
    static class Shared {

        private final Probe probe;

        Shared(Probe probe) {
            this.probe = probe;
        }

        public String first(String label) {
            return probe.sync(label);
        }

        public String second(String label) {
            return probe.sync(label);
        }
    }

    @CircuitBreaker("type")
    static class Overridden {

        private final Probe probe;

        Overridden(Probe probe) {
            this.probe = probe;
        }

        @CircuitBreaker("own")
        public String own(String label) {
            return probe.sync(label);
        }

        public String typed(String label) {
            return probe.sync(label);
        }
    }
}

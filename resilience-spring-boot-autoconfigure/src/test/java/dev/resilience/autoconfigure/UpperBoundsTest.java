package dev.resilience.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static dev.resilience.autoconfigure.SettingsTestSupport.bind;
import static dev.resilience.autoconfigure.SettingsTestSupport.invalidProperty;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sizes that would have the starter allocate an array of that many elements at start-up are capped: a huge value
 * fails the start naming its property and value, rather than with an {@link OutOfMemoryError}.
 */
class UpperBoundsTest {

    private static final String HUGE = "2147483647";

    /** The whole starter with the actuator endpoints, where the event buffers are created. */
    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
                    ResilienceEndpointsAutoConfiguration.class))
            .withPropertyValues("management.endpoints.web.exposure.include=*");

    @Test
    void aHugeTimeWindowFailsTheStartNamingThePropertyAndValue() {
        runner.withPropertyValues(
                        "resilience.circuitbreaker.instances.partner.sliding-window-type=TIME_BASED",
                        "resilience.circuitbreaker.instances.partner.sliding-window-size=" + HUGE)
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(invalidProperty(context.getStartupFailure())).hasMessage("Invalid value '" + HUGE
                            + "' for property 'resilience.circuitbreaker.instances.partner.sliding-window-size': "
                            + "must be at most 86400 (seconds: one day) for a TIME_BASED window");
                });
    }

    @Test
    void aTimeWindowOfOneDayStarts() {
        runner.withPropertyValues(
                        "resilience.circuitbreaker.configs.default.sliding-window-type=TIME_BASED",
                        "resilience.circuitbreaker.configs.default.sliding-window-size=86400",
                        "resilience.circuitbreaker.instances.partner.minimum-number-of-calls=10")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aHugeEventBufferFailsTheStartNamingThePropertyAndValue() {
        runner.withPropertyValues("resilience.circuitbreaker.instances.partner.event-consumer-buffer-size=" + HUGE)
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(invalidProperty(context.getStartupFailure())).hasMessage("Invalid value '" + HUGE
                            + "' for property "
                            + "'resilience.circuitbreaker.instances.partner.event-consumer-buffer-size': "
                            + "must be at most 10000");
                });
        runner.withPropertyValues("resilience.circuitbreaker.configs.default.event-consumer-buffer-size=10001")
                .run(context -> assertThat(invalidProperty(context.getStartupFailure()).getProperty())
                        .isEqualTo("resilience.circuitbreaker.configs.default.event-consumer-buffer-size"));
    }

    @Test
    void anEventBufferOfTheMaximumSizeStarts() {
        runner.withPropertyValues("resilience.circuitbreaker.instances.partner.event-consumer-buffer-size=10000")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aHugeQueueOfAThreadPoolBulkheadFailsTheStartNamingThePropertyAndValue() {
        runner.withPropertyValues(
                        "resilience.bulkhead.instances.pool.type=thread-pool",
                        "resilience.bulkhead.instances.pool.queue-capacity=" + HUGE)
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(invalidProperty(context.getStartupFailure())).hasMessage("Invalid value '" + HUGE
                            + "' for property 'resilience.bulkhead.instances.pool.queue-capacity': "
                            + "must be at most 1000000");
                });
    }

    @Test
    void theBoundsAreCheckedInTemplatesToo() {
        CircuitBreakerProperties circuitBreakers = bind(CircuitBreakerProperties.class,
                "resilience.circuitbreaker.configs.slow.sliding-window-type=TIME_BASED",
                "resilience.circuitbreaker.configs.slow.sliding-window-size=86401");
        assertThatThrownBy(circuitBreakers::validate)
                .isInstanceOf(InvalidResiliencePropertyException.class)
                .hasMessageStartingWith("Invalid value '86401' for property "
                        + "'resilience.circuitbreaker.configs.slow.sliding-window-size'");
        BulkheadProperties bulkheads = bind(BulkheadProperties.class,
                "resilience.bulkhead.configs.default.queue-capacity=1000001");
        assertThatThrownBy(() -> bulkheads.configFor("any"))
                .isInstanceOf(InvalidResiliencePropertyException.class)
                .hasMessage("Invalid value '1000001' for property "
                        + "'resilience.bulkhead.configs.default.queue-capacity': must be at most 1000000");
    }
}

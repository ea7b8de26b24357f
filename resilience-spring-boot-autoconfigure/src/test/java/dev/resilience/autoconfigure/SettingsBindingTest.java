package dev.resilience.autoconfigure;

import dev.resilience.core.bulkhead.BulkheadConfig;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import dev.resilience.core.retry.RetryConfig;
import dev.resilience.core.timeout.TimeoutConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

import static dev.resilience.autoconfigure.SettingsTestSupport.bind;
import static dev.resilience.autoconfigure.SettingsTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;

class SettingsBindingTest {

    @Test
    void withNothingSetEveryInstanceGetsTheBuiltInDefaults() {
        runner().run(context -> {
            assertThat(context).hasNotFailed();
            CircuitBreakerProperties circuitBreaker = context.getBean(CircuitBreakerProperties.class);
            RetryProperties retry = context.getBean(RetryProperties.class);
            TimeoutProperties timeout = context.getBean(TimeoutProperties.class);
            BulkheadProperties bulkhead = context.getBean(BulkheadProperties.class);

            assertThat(circuitBreaker.configFor("any")).isEqualTo(CircuitBreakerConfig.ofDefaults());
            assertThat(circuitBreaker.eventConsumerBufferSize("any")).isEqualTo(100);
            assertThat(circuitBreaker.allowHealthIndicatorToFail("any")).isFalse();
            assertThat(retry.configFor("any")).isEqualTo(RetryConfig.ofDefaults());
            assertThat(timeout.configFor("any")).isEqualTo(TimeoutConfig.ofDefaults());
            assertThat(bulkhead.configFor("any")).isEqualTo(BulkheadConfig.ofDefaults());

            assertThat(circuitBreaker.instanceNames()).isEmpty();
            assertThat(circuitBreaker.configs()).isEmpty();
            assertThat(retry.instanceNames()).isEmpty();
            assertThat(timeout.instanceNames()).isEmpty();
            assertThat(bulkhead.instanceNames()).isEmpty();
        });
    }

    @Test
    void everyCircuitBreakerKeyBinds() {
        runner().withPropertyValues(
                "resilience.circuitbreaker.instances.partner.sliding-window-type=time-based",
                "resilience.circuitbreaker.instances.partner.sliding-window-size=20",
                "resilience.circuitbreaker.instances.partner.minimum-number-of-calls=5",
                "resilience.circuitbreaker.instances.partner.failure-rate-threshold=25.5",
                "resilience.circuitbreaker.instances.partner.slow-call-duration-threshold=2s",
                "resilience.circuitbreaker.instances.partner.slow-call-rate-threshold=80",
                "resilience.circuitbreaker.instances.partner.wait-duration-in-open-state=PT1M",
                "resilience.circuitbreaker.instances.partner.permitted-number-of-calls-in-half-open-state=3",
                "resilience.circuitbreaker.instances.partner.automatic-transition-from-open-to-half-open-enabled=true",
                "resilience.circuitbreaker.instances.partner.record-exceptions=java.io.IOException,java.util.concurrent.TimeoutException",
                "resilience.circuitbreaker.instances.partner.ignore-exceptions[0]=java.io.UncheckedIOException",
                "resilience.circuitbreaker.instances.partner.event-consumer-buffer-size=7",
                "resilience.circuitbreaker.instances.partner.allow-health-indicator-to-fail=true")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    CircuitBreakerProperties properties = context.getBean(CircuitBreakerProperties.class);
                    assertThat(properties.instanceNames()).containsExactly("partner");
                    assertThat(properties.configFor("partner")).isEqualTo(CircuitBreakerConfig.builder()
                            .slidingWindowType(SlidingWindowType.TIME_BASED)
                            .slidingWindowSize(20)
                            .minimumNumberOfCalls(5)
                            .failureRateThreshold(25.5f)
                            .slowCallDurationThreshold(Duration.ofSeconds(2))
                            .slowCallRateThreshold(80)
                            .waitDurationInOpenState(Duration.ofMinutes(1))
                            .permittedNumberOfCallsInHalfOpenState(3)
                            .automaticTransitionFromOpenToHalfOpenEnabled(true)
                            .recordExceptions(List.of(IOException.class, TimeoutException.class))
                            .ignoreExceptions(List.of(UncheckedIOException.class))
                            .build());
                    assertThat(properties.eventConsumerBufferSize("partner")).isEqualTo(7);
                    assertThat(properties.allowHealthIndicatorToFail("partner")).isTrue();
                });
    }

    @Test
    void everyRetryKeyBinds() {
        runner().withPropertyValues(
                "resilience.retry.instances.a.max-attempts=5",
                "resilience.retry.instances.a.wait-duration=2s",
                "resilience.retry.instances.a.enable-exponential-backoff=true",
                "resilience.retry.instances.a.exponential-backoff-multiplier=1.5",
                "resilience.retry.instances.a.exponential-max-wait-duration=PT1M",
                "resilience.retry.instances.a.enable-randomized-wait=true",
                "resilience.retry.instances.a.randomized-wait-factor=0.25",
                "resilience.retry.instances.a.retry-exceptions=java.io.IOException",
                "resilience.retry.instances.a.ignore-exceptions=java.io.FileNotFoundException,java.lang.IllegalStateException",
                "resilience.retry.instances.a.retry-on-circuit-breaker-open=true")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    RetryProperties properties = context.getBean(RetryProperties.class);
                    assertThat(properties.instanceNames()).containsExactly("a");
                    assertThat(properties.configFor("a")).isEqualTo(RetryConfig.builder()
                            .maxAttempts(5)
                            .waitDuration(Duration.ofSeconds(2))
                            .enableExponentialBackoff(true)
                            .exponentialBackoffMultiplier(1.5)
                            .exponentialMaxWaitDuration(Duration.ofMinutes(1))
                            .enableRandomizedWait(true)
                            .randomizedWaitFactor(0.25)
                            .retryExceptions(List.of(IOException.class))
                            .ignoreExceptions(List.of(java.io.FileNotFoundException.class, IllegalStateException.class))
                            .retryOnCircuitBreakerOpen(true)
                            .build());
                });
    }

    @Test
    void everyTimeoutKeyBinds() {
        runner().withPropertyValues(
                "resilience.timeout.instances.slow.timeout-duration=500ms",
                "resilience.timeout.instances.slow.cancel-running-future=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    TimeoutProperties properties = context.getBean(TimeoutProperties.class);
                    assertThat(properties.instanceNames()).containsExactly("slow");
                    assertThat(properties.configFor("slow"))
                            .isEqualTo(new TimeoutConfig(Duration.ofMillis(500), false));
                });
    }

    @Test
    void everyBulkheadKeyBindsAndTheTypeAcceptsItsDashedForm() {
        runner().withPropertyValues(
                "resilience.bulkhead.instances.pool.type=thread-pool",
                "resilience.bulkhead.instances.pool.max-concurrent-calls=4",
                "resilience.bulkhead.instances.pool.max-wait-duration=250ms",
                "resilience.bulkhead.instances.pool.core-thread-pool-size=2",
                "resilience.bulkhead.instances.pool.max-thread-pool-size=3",
                "resilience.bulkhead.instances.pool.queue-capacity=0",
                "resilience.bulkhead.instances.pool.keep-alive-duration=1s",
                "resilience.bulkhead.instances.sem.type=semaphore")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    BulkheadProperties properties = context.getBean(BulkheadProperties.class);
                    assertThat(properties.instanceNames()).containsExactly("pool", "sem");
                    assertThat(properties.configFor("pool")).isEqualTo(new BulkheadConfig(
                            BulkheadConfig.Type.THREAD_POOL, 4, Duration.ofMillis(250), 2, 3, 0, Duration.ofSeconds(1),
                            BulkheadConfig.LimitAlgorithm.GRADIENT2, 20, 1, 200));
                    assertThat(properties.configFor("sem").type()).isEqualTo(BulkheadConfig.Type.SEMAPHORE);
                });
    }

    @Test
    void aBulkheadPoolSizeGivenAloneMovesTheOthersMachineDependentDefaultAlong() {
        BulkheadConfig defaults = BulkheadConfig.ofDefaults();
        int large = defaults.maxThreadPoolSize() + 8;
        BulkheadProperties properties = bind(BulkheadProperties.class,
                "resilience.bulkhead.instances.big.core-thread-pool-size=" + large,
                "resilience.bulkhead.instances.small.max-thread-pool-size=1");

        assertThat(properties.configFor("big").coreThreadPoolSize()).isEqualTo(large);
        assertThat(properties.configFor("big").maxThreadPoolSize()).isEqualTo(large);
        assertThat(properties.configFor("small").coreThreadPoolSize()).isEqualTo(1);
        assertThat(properties.configFor("small").maxThreadPoolSize()).isEqualTo(1);
    }

    @Test
    void durationsAcceptSpringBootsFormats() {
        TimeoutProperties properties = bind(TimeoutProperties.class,
                "resilience.timeout.instances.millis.timeout-duration=500ms",
                "resilience.timeout.instances.seconds.timeout-duration=2s",
                "resilience.timeout.instances.iso.timeout-duration=PT1M",
                "resilience.timeout.instances.plain.timeout-duration=1500");

        assertThat(properties.configFor("millis").timeoutDuration()).isEqualTo(Duration.ofMillis(500));
        assertThat(properties.configFor("seconds").timeoutDuration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(properties.configFor("iso").timeoutDuration()).isEqualTo(Duration.ofMinutes(1));
        assertThat(properties.configFor("plain").timeoutDuration()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void theDefaultTemplateAppliesToConfiguredAndUnconfiguredInstances() {
        runner().withPropertyValues(
                "resilience.circuitbreaker.configs.default.failure-rate-threshold=30",
                "resilience.circuitbreaker.configs.default.sliding-window-size=10",
                "resilience.circuitbreaker.instances.partner.sliding-window-size=40",
                "resilience.retry.configs.default.max-attempts=7",
                "resilience.timeout.configs.default.timeout-duration=3s",
                "resilience.bulkhead.configs.default.max-concurrent-calls=9")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    CircuitBreakerProperties circuitBreaker = context.getBean(CircuitBreakerProperties.class);
                    assertThat(circuitBreaker.configFor("unnamed")).isEqualTo(CircuitBreakerConfig.builder()
                            .failureRateThreshold(30).slidingWindowSize(10).build());
                    assertThat(circuitBreaker.configFor("partner")).isEqualTo(CircuitBreakerConfig.builder()
                            .failureRateThreshold(30).slidingWindowSize(40).build());
                    assertThat(circuitBreaker.instanceNames()).containsExactly("partner");
                    assertThat(context.getBean(RetryProperties.class).configFor("unnamed"))
                            .isEqualTo(RetryConfig.builder().maxAttempts(7).build());
                    assertThat(context.getBean(TimeoutProperties.class).configFor("unnamed"))
                            .isEqualTo(TimeoutConfig.builder().timeoutDuration(Duration.ofSeconds(3)).build());
                    assertThat(context.getBean(BulkheadProperties.class).configFor("unnamed"))
                            .isEqualTo(BulkheadConfig.builder().maxConcurrentCalls(9).build());
                });
    }

    @Test
    void baseConfigPicksAnotherTemplateInsteadOfTheDefaultOneAndInstanceKeysOverrideIt() {
        runner().withPropertyValues(
                "resilience.retry.configs.default.max-attempts=7",
                "resilience.retry.configs.default.enable-randomized-wait=true",
                "resilience.retry.configs.patient.max-attempts=10",
                "resilience.retry.configs.patient.wait-duration=2s",
                "resilience.retry.instances.payments.base-config=patient",
                "resilience.retry.instances.payments.wait-duration=PT0.1S",
                "resilience.retry.instances.orders.enable-exponential-backoff=true")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    RetryProperties properties = context.getBean(RetryProperties.class);
                    // the patient template replaces the default one: no randomized wait from 'default'
                    assertThat(properties.configFor("payments")).isEqualTo(RetryConfig.builder()
                            .maxAttempts(10).waitDuration(Duration.ofMillis(100)).build());
                    assertThat(properties.configFor("orders")).isEqualTo(RetryConfig.builder()
                            .maxAttempts(7).enableRandomizedWait(true).enableExponentialBackoff(true).build());
                    assertThat(properties.instanceNames()).containsExactly("payments", "orders");
                });
    }

    @Test
    void theActuatorKeysOfACircuitBreakerResolveThroughTemplateAndInstance() {
        CircuitBreakerProperties properties = bind(CircuitBreakerProperties.class,
                "resilience.circuitbreaker.configs.default.event-consumer-buffer-size=50",
                "resilience.circuitbreaker.configs.strict.allow-health-indicator-to-fail=true",
                "resilience.circuitbreaker.configs.strict.event-consumer-buffer-size=20",
                "resilience.circuitbreaker.instances.own.event-consumer-buffer-size=7",
                "resilience.circuitbreaker.instances.own.allow-health-indicator-to-fail=true",
                "resilience.circuitbreaker.instances.strict-one.base-config=strict",
                "resilience.circuitbreaker.instances.strict-lenient.base-config=strict",
                "resilience.circuitbreaker.instances.strict-lenient.allow-health-indicator-to-fail=false");

        assertThat(properties.eventConsumerBufferSize("unnamed")).isEqualTo(50);
        assertThat(properties.allowHealthIndicatorToFail("unnamed")).isFalse();
        assertThat(properties.eventConsumerBufferSize("own")).isEqualTo(7);
        assertThat(properties.allowHealthIndicatorToFail("own")).isTrue();
        assertThat(properties.eventConsumerBufferSize("strict-one")).isEqualTo(20);
        assertThat(properties.allowHealthIndicatorToFail("strict-one")).isTrue();
        assertThat(properties.allowHealthIndicatorToFail("strict-lenient")).isFalse();
        assertThat(properties.eventConsumerBufferSize("strict-lenient")).isEqualTo(20);
    }

    @Test
    void instanceNamesKeepTheirCaseAndMayHoldDotsInBrackets() {
        CircuitBreakerProperties properties = bind(CircuitBreakerProperties.class,
                "resilience.circuitbreaker.instances.partnerService.sliding-window-size=12",
                "resilience.circuitbreaker.instances.[PartnerClient.fetch].sliding-window-size=13");

        assertThat(properties.instanceNames()).containsExactlyInAnyOrder("partnerService", "PartnerClient.fetch");
        assertThat(properties.configFor("partnerService").slidingWindowSize()).isEqualTo(12);
        assertThat(properties.configFor("PartnerClient.fetch").slidingWindowSize()).isEqualTo(13);
    }
}

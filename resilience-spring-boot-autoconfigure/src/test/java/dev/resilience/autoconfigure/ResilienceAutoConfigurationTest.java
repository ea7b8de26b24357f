package dev.resilience.autoconfigure;

import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Fallback;
import dev.resilience.aop.FallbackMethodException;
import dev.resilience.aop.ResilienceAnnotationBeanPostProcessor;
import dev.resilience.core.AsyncCall;
import dev.resilience.core.ManualTicker;
import dev.resilience.core.Scheduler;
import dev.resilience.core.TestSchedulers;
import dev.resilience.core.Ticker;
import dev.resilience.core.bulkhead.Bulkhead;
import dev.resilience.core.bulkhead.BulkheadConfig;
import dev.resilience.core.bulkhead.BulkheadRegistry;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.ratelimiter.RateLimiterConfig;
import dev.resilience.core.ratelimiter.RateLimiterRegistry;
import dev.resilience.core.retry.RetryConfig;
import dev.resilience.core.retry.RetryRegistry;
import dev.resilience.core.timeout.TimeoutConfig;
import dev.resilience.core.timeout.TimeoutRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import org.springframework.core.annotation.Order;
import org.springframework.core.task.TaskDecorator;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

class ResilienceAutoConfigurationTest {

    private static final Scheduler NO_TIMERS = TestSchedulers.never();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class));

    @Test
    void registersRegistriesSchedulerAndPostProcessor() {
        runner.run(context -> assertThat(context)
                .hasSingleBean(CircuitBreakerRegistry.class)
                .hasSingleBean(RetryRegistry.class)
                .hasSingleBean(TimeoutRegistry.class)
                .hasSingleBean(BulkheadRegistry.class)
                .hasSingleBean(RateLimiterRegistry.class)
                .hasSingleBean(Scheduler.class)
                .hasSingleBean(ResilienceAnnotationBeanPostProcessor.class));
    }

    @Test
    void createsEveryConfiguredInstanceAtStartWithItsSettings() {
        runner.withPropertyValues(
                        "resilience.circuitbreaker.configs.default.sliding-window-size=20",
                        "resilience.circuitbreaker.instances.partner.failure-rate-threshold=25",
                        "resilience.retry.instances.partner.max-attempts=5",
                        "resilience.timeout.instances.partner.timeout-duration=250ms",
                        "resilience.bulkhead.instances.partner.max-concurrent-calls=4")
                .run(context -> {
                    CircuitBreakerConfig partner = context.getBean(CircuitBreakerRegistry.class).find("partner")
                            .orElseThrow().getConfig();
                    assertThat(partner.slidingWindowSize()).isEqualTo(20);
                    assertThat(partner.failureRateThreshold()).isEqualTo(25f);
                    assertThat(context.getBean(RetryRegistry.class).find("partner").orElseThrow().getConfig()
                            .maxAttempts()).isEqualTo(5);
                    assertThat(context.getBean(TimeoutRegistry.class).find("partner").orElseThrow().getConfig()
                            .timeoutDuration()).isEqualTo(Duration.ofMillis(250));
                    assertThat(context.getBean(BulkheadRegistry.class).find("partner").orElseThrow()
                            .getMaxConcurrentCalls()).isEqualTo(4);
                });
    }

    @Test
    void annotatedBeanIsProxiedAndItsInstanceExistsBeforeTheFirstCall() {
        runner.withUserConfiguration(PartnerConfiguration.class).run(context -> {
            PartnerClient client = context.getBean(PartnerClient.class);
            assertThat(AopUtils.isAopProxy(client)).isTrue();
            CircuitBreakerRegistry breakers = context.getBean(CircuitBreakerRegistry.class);
            assertThat(breakers.find("partner")).isPresent();
            assertThat(breakers.find("PartnerClient.plain")).isPresent();

            breakers.get("partner").transitionToForcedOpenState();
            assertThat(client.hotOffer()).isEqualTo("cold: CircuitBreakerOpenException");
        });
    }

    @Test
    void threadPoolBulkheadsRunTheirTasksThroughTheApplicationsTaskDecorator() {
        ThreadLocal<String> requestId = new ThreadLocal<>();
        TaskDecorator carryRequestId = task -> {
            String captured = requestId.get();
            return () -> {
                requestId.set(captured);
                try {
                    task.run();
                } finally {
                    requestId.remove();
                }
            };
        };
        runner.withBean(TaskDecorator.class, () -> carryRequestId)
                .withPropertyValues("resilience.bulkhead.instances.pool.type=thread-pool")
                .run(context -> {
                    Bulkhead pool = context.getBean(BulkheadRegistry.class).get("pool");
                    AsyncCall<String> seen = pool.decorateAsync(
                            ignored -> CompletableFuture.completedFuture(requestId.get()));
                    requestId.set("request-42");
                    try {
                        assertThat(seen.invoke("ignored").toCompletableFuture().get(10, TimeUnit.SECONDS))
                                .isEqualTo("request-42");
                    } finally {
                        requestId.remove();
                    }
                });
    }

    @Test
    void severalTaskDecoratorsAreComposedInBeanOrder() {
        runner.withUserConfiguration(TwoTaskDecorators.class)
                .withPropertyValues("resilience.bulkhead.instances.pool.type=thread-pool")
                .run(context -> {
                    List<String> log = context.getBean(TwoTaskDecorators.class).log;
                    Bulkhead pool = context.getBean(BulkheadRegistry.class).get("pool");
                    AsyncCall<String> call = pool.decorateAsync(ignored -> {
                        log.add("method");
                        return CompletableFuture.completedFuture("done");
                    });

                    assertThat(call.invoke("ignored").toCompletableFuture().get(10, TimeUnit.SECONDS))
                            .isEqualTo("done");
                    // as Spring Boot's task executor does: the first in order decorates first, so it runs innermost
                    assertThat(log).containsExactly("first decorates", "second decorates", "second runs",
                            "first runs", "method");
                });
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnRegistry() {
        CircuitBreakerRegistry own = new CircuitBreakerRegistry(name -> CircuitBreakerConfig.ofDefaults(),
                System::nanoTime, TestSchedulers.never());
        runner.withBean(CircuitBreakerRegistry.class, () -> own)
                .withUserConfiguration(PartnerConfiguration.class)
                .run(context -> {
                    assertThat(context).hasSingleBean(CircuitBreakerRegistry.class);
                    assertThat(context.getBean(CircuitBreakerRegistry.class)).isSameAs(own);
                    assertThat(own.find("partner")).isPresent();
                });
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnTicker() {
        BackOff.assertBacksOffTo(runner, Ticker.class, new ManualTicker());
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnScheduler() {
        BackOff.assertBacksOffTo(runner, Scheduler.class, NO_TIMERS);
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnRetryRegistry() {
        BackOff.assertBacksOffTo(runner, RetryRegistry.class,
                new RetryRegistry(name -> RetryConfig.ofDefaults(), NO_TIMERS));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnTimeoutRegistry() {
        BackOff.assertBacksOffTo(runner, TimeoutRegistry.class,
                new TimeoutRegistry(name -> TimeoutConfig.ofDefaults(), NO_TIMERS));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnBulkheadRegistry() {
        BackOff.assertBacksOffTo(runner, BulkheadRegistry.class,
                new BulkheadRegistry(name -> BulkheadConfig.ofDefaults()));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnRateLimiterRegistry() {
        BackOff.assertBacksOffTo(runner, RateLimiterRegistry.class,
                new RateLimiterRegistry(name -> RateLimiterConfig.ofDefaults(), new ManualTicker(), NO_TIMERS));
    }

    /** A mock stands in for the application's own post-processor: only which one the context holds matters. */
    @Test
    void backsOffWhenTheApplicationDefinesItsOwnAnnotationPostProcessor() {
        BackOff.assertBacksOffTo(runner, ResilienceAnnotationBeanPostProcessor.class,
                mock(ResilienceAnnotationBeanPostProcessor.class));
    }

    @Test
    void canBeSwitchedOff() {
        runner.withPropertyValues("resilience.enabled=false").withUserConfiguration(PartnerConfiguration.class)
                .run(context -> {
                    assertThat(context).doesNotHaveBean(CircuitBreakerRegistry.class)
                            .doesNotHaveBean(ResilienceAnnotationBeanPostProcessor.class);
                    assertThat(AopUtils.isAopProxy(context.getBean(PartnerClient.class))).isFalse();
                });
    }

    @Test
    void anInvalidSettingFailsTheStartNamingThePropertyAndValue() {
        runner.withPropertyValues("resilience.circuitbreaker.instances.partner.failure-rate-threshold=150")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(SettingsTestSupport.invalidProperty(context.getStartupFailure()))
                            .hasMessage("Invalid value '150' for property "
                                    + "'resilience.circuitbreaker.instances.partner.failure-rate-threshold': "
                                    + "must be between 1.0 and 100.0");
                });
    }

    @Test
    void aMissingFallbackFailsTheStartNamingTheMethods() {
        runner.withUserConfiguration(BrokenConfiguration.class)
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause()
                        .isInstanceOf(FallbackMethodException.class)
                        .hasMessageContaining("BrokenClient")
                        .hasMessageContaining("fetch")
                        .hasMessageContaining("nowhere"));
    }

    /** Declared second first, so that only their order, not their declaration, can put them in order. */
    @Configuration(proxyBeanMethods = false)
    static class TwoTaskDecorators {

        final List<String> log = new CopyOnWriteArrayList<>();

        @Bean
        @Order(2)
        TaskDecorator secondTaskDecorator() {
            return logging("second");
        }

        @Bean
        @Order(1)
        TaskDecorator firstTaskDecorator() {
            return logging("first");
        }

        private TaskDecorator logging(String name) {
            return task -> {
                log.add(name + " decorates");
                return () -> {
                    log.add(name + " runs");
                    task.run();
                };
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class PartnerConfiguration {

        @Bean
        PartnerClient partnerClient() {
            return new PartnerClient();
        }
    }

    static class PartnerClient {

        @CircuitBreaker("partner")
        @Fallback("coldOffer")
        public String hotOffer() {
            return "hot";
        }

        @CircuitBreaker
        public String plain() {
            return "plain";
        }

        String coldOffer(Throwable failure) {
            return "cold: " + failure.getClass().getSimpleName();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BrokenConfiguration {

        @Bean
        BrokenClient brokenClient() {
            return new BrokenClient();
        }
    }

    static class BrokenClient {

        @CircuitBreaker("broken")
        @Fallback("nowhere")
        public String fetch() {
            return "x";
        }
    }
}

package dev.resilience.reactor;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import org.springframework.aop.framework.Advised;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.EnableAspectJAutoProxy;

import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Retry;
import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.ResilienceReactorAutoConfiguration;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Advice inside ours (an aspect here, a transaction in real life) runs once per attempt and per subscription of a
 * protected {@code Mono}, never at the call: each subscription proceeds the proxy's invocation afresh, the first one
 * the proxy's own, every later one (at the same time or not) a copy of it.
 */
class ReactorInnerAdviceTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
                    ResilienceReactorAutoConfiguration.class))
            .withUserConfiguration(AspectConfig.class)
            .withBean(CountingAspect.class)
            .withBean(Flaky.class)
            .withPropertyValues("resilience.retry.configs.default.max-attempts=3",
                    "resilience.retry.configs.default.wait-duration=5ms");

    @Test
    void eachAttemptRunsTheAdviceInsideOursAndTheMethodAgain() {
        runner.run(context -> {
            assertThat(((Advised) context.getBean(Flaky.class)).getAdvisors()).hasSizeGreaterThan(1);
            CountingAspect aspect = context.getBean(CountingAspect.class);
            Mono<String> mono = context.getBean(Flaky.class).succeedsOnThirdAttempt();
            assertThat(aspect.count).hasValue(0);

            StepVerifier.create(mono).expectNext("ok after 3").expectComplete().verify(ReactorMonoTest.PATIENCE);

            assertThat(aspect.count).hasValue(3);
        });
    }

    @Test
    void subscriptionsOfOneMonoAtTheSameTimeAreCallsOfTheirOwn() {
        runner.run(context -> {
            CountingAspect aspect = context.getBean(CountingAspect.class);
            Mono<String> mono = context.getBean(Flaky.class).counted("argument");
            int subscriptions = 50;

            List<String> answers = Flux.range(0, subscriptions)
                    .flatMap(index -> mono.subscribeOn(Schedulers.parallel()))
                    .collectList().block(Duration.ofSeconds(20));

            assertThat(answers).hasSize(subscriptions).containsOnly("argument");
            assertThat(aspect.count).hasValue(subscriptions);
            assertThat(context.getBean(CircuitBreakerRegistry.class).get("counted").getMetrics().successfulCalls())
                    .isEqualTo(subscriptions);
        });
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface CountedByAspect {
    }

    @Aspect
    static class CountingAspect {

        final AtomicInteger count = new AtomicInteger();

        @Around("@annotation(dev.resilience.reactor.ReactorInnerAdviceTest.CountedByAspect)")
        Object count(ProceedingJoinPoint joinPoint) throws Throwable {
            count.incrementAndGet();
            return joinPoint.proceed();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAspectJAutoProxy(proxyTargetClass = true)
    static class AspectConfig {
    }

    static class Flaky {

        private final AtomicInteger attempts = new AtomicInteger();

        @Retry("flaky")
        @CountedByAspect
        public Mono<String> succeedsOnThirdAttempt() {
            int attempt = attempts.incrementAndGet();
            return attempt < 3 ? Mono.error(new IllegalStateException()) : Mono.just("ok after " + attempt);
        }

        @CircuitBreaker("counted")
        @CountedByAspect
        public Mono<String> counted(String argument) {
            return Mono.just(argument).delayElement(Duration.ofMillis(1));
        }
    }
}

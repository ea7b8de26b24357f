package dev.resilience.benchmarks;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Mono;

import org.springframework.aop.Advisor;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.support.AopUtils;
import org.springframework.context.ApplicationContext;

import dev.resilience.aop.ResilienceAnnotationBeanPostProcessor;
import dev.resilience.aop.ResilienceInterceptor;
import dev.resilience.core.bulkhead.BulkheadRegistry;
import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.ratelimiter.RateLimiterConfig;
import dev.resilience.core.ratelimiter.RateLimiterRegistry;
import dev.resilience.core.retry.RetryRegistry;
import dev.resilience.core.timeout.TimeoutRegistry;

/**
 * Fails a trial before it measures anything when a context is not what the benchmark claims: a bean that is not
 * proxied (a shaded jar that lost an auto-configuration would otherwise measure a plain method and flatter
 * everyone), the other library's machinery present, or settings that differ between the sides.
 */
final class WiringChecks {

    private WiringChecks() {
    }

    static void baseline(PlainService plain, PlainService noopProxy) {
        check(!AopUtils.isAopProxy(plain), "the direct bean must not be a proxy");
        check(AopUtils.isCglibProxy(noopProxy) && ((Advised) noopProxy).getAdvisors().length == 1,
                "noopProxy must be a class proxy with one advice");
        check("ok".equals(plain.call()) && "ok".equals(noopProxy.call()), "the baseline beans must answer ok");
        check("ok".equals(new MonoSink().take(noopProxy.mono())), "the baseline Mono must answer ok");
    }

    static void ours(ApplicationContext context, OurService service) {
        check(AopUtils.isCglibProxy(service), "OurService must be a class proxy");
        Advisor[] advisors = ((Advised) service).getAdvisors();
        check(advisors.length == 1 && advisors[0].getAdvice() instanceof ResilienceInterceptor,
                "OurService must carry exactly our advisor");
        absent(context, io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry.class);
        absent(context, org.springframework.resilience.annotation.RetryAnnotationBeanPostProcessor.class);

        CircuitBreakerRegistry breakers = context.getBean(CircuitBreakerRegistry.class);
        check(breakers.get("cb").getConfig().slidingWindowSize() == 100
                && breakers.get("cb").getConfig().minimumNumberOfCalls() == 100, "our breaker window must be 100/100");
        check(context.getBean(RetryRegistry.class).get("retry").getConfig().maxAttempts() == 3,
                "our retry must make 3 attempts");
        check(context.getBean(RetryRegistry.class).get("budgeted").getBudget() != null
                && "ok".equals(service.retryWithBudget()), "our budgeted retry must have its budget");
        check(context.getBean(BulkheadRegistry.class).get("bulkhead").getMaxConcurrentCalls() == 25,
                "our bulkhead must admit 25 calls");
        check(context.getBean(TimeoutRegistry.class).get("timeout").getConfig().timeoutDuration()
                .equals(Duration.ofSeconds(1)), "our timeout must be 1s");

        RateLimiterConfig limit = context.getBean(RateLimiterRegistry.class).get("rateLimiter").getConfig();
        check(limit.limitForPeriod() == Integer.parseInt(BenchmarkContexts.RATE_LIMIT)
                && limit.limitRefreshPeriod().equals(Duration.ofSeconds(1))
                && limit.timeoutDuration().equals(Duration.ofSeconds(5)), "our rate limiter must permit 10^9 a second");

        check("ok".equals(service.circuitBreaker()), "circuitBreaker must answer ok");
        check(breakers.get("cb").getMetrics().bufferedCalls() == 1, "the breaker must have recorded the call");
        check("ok".equals(service.retry()) && "ok".equals(service.bulkhead()) && "ok".equals(service.timeout())
                && "ok".equals(service.fallback()) && "ok".equals(service.threeStacked())
                && "ok".equals(service.allFive()), "every protected method must answer ok");
        check("ok".equals(service.rateLimiter())
                && context.getBean(RateLimiterRegistry.class).get("rateLimiter").getMetrics().permittedCalls() == 1,
                "our rate limiter must have permitted the call");
        CompletableFuture<String> async = service.circuitBreakerAsync();
        check(async.isDone() && "ok".equals(async.join()), "circuitBreakerAsync must answer a completed future");
        check(breakers.get("open").getState() == CircuitBreaker.State.FORCED_OPEN, "the open breaker must be forced open");
        check(OurService.FALLBACK_VALUE.equals(service.openBreakerWithFallback()),
                "the forced-open breaker must be answered by the fallback");
        check(breakers.get("open").getMetrics().notPermittedCalls() == 1, "the open breaker must have refused the call");

        Mono<String> lazy = service.monoCircuitBreaker();
        check(breakers.get("monoCb").getMetrics().bufferedCalls() == 0, "a Mono must be protected only once subscribed");
        MonoSink sink = new MonoSink();
        check("ok".equals(sink.take(lazy)) && breakers.get("monoCb").getMetrics().bufferedCalls() == 1,
                "the subscribed Mono must be recorded by the breaker");
        check("ok".equals(sink.take(service.monoRetry())) && "ok".equals(sink.take(service.monoBulkhead()))
                && "ok".equals(sink.take(service.monoTimeout())) && "ok".equals(sink.take(service.monoFallback()))
                && "ok".equals(sink.take(service.monoAllFive())), "every protected Mono must answer ok");
    }

    static void resilience4j(ApplicationContext context, Resilience4jService service) {
        check(AopUtils.isCglibProxy(service), "Resilience4jService must be a class proxy");
        absent(context, ResilienceAnnotationBeanPostProcessor.class);
        absent(context, CircuitBreakerRegistry.class);
        absent(context, org.springframework.resilience.annotation.RetryAnnotationBeanPostProcessor.class);

        check("ok".equals(service.circuitBreaker()) && "ok".equals(service.retry()) && "ok".equals(service.bulkhead())
                && "ok".equals(service.threeStacked()), "every protected method must answer ok");
        var breakers = context.getBean(io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry.class);
        var breaker = breakers.circuitBreaker("cb");
        check(breaker.getCircuitBreakerConfig().getSlidingWindowSize() == 100
                && breaker.getCircuitBreakerConfig().getMinimumNumberOfCalls() == 100,
                "Resilience4j's breaker window must be 100/100");
        check(breaker.getMetrics().getNumberOfBufferedCalls() == 1, "Resilience4j's breaker must have recorded the call");
        var retry = context.getBean(io.github.resilience4j.retry.RetryRegistry.class).retry("retry");
        check(retry.getRetryConfig().getMaxAttempts() == 3, "Resilience4j's retry must make 3 attempts");
        check(retry.getMetrics().getNumberOfSuccessfulCallsWithoutRetryAttempt() == 1,
                "Resilience4j's retry must have recorded the call");
        var limiter = context.getBean(io.github.resilience4j.ratelimiter.RateLimiterRegistry.class)
                .rateLimiter("rateLimiter");
        var limiterConfig = limiter.getRateLimiterConfig();
        check(limiterConfig.getLimitForPeriod() == Integer.parseInt(BenchmarkContexts.RATE_LIMIT)
                && limiterConfig.getLimitRefreshPeriod().equals(Duration.ofSeconds(1))
                && limiterConfig.getTimeoutDuration().equals(Duration.ofSeconds(5)),
                "Resilience4j's rate limiter must permit 10^9 a second");
        AtomicInteger permitted = new AtomicInteger();
        limiter.getEventPublisher().onSuccess(event -> permitted.incrementAndGet());
        check("ok".equals(service.rateLimiter()) && permitted.get() == 1,
                "Resilience4j's rate limiter must have permitted the call");
        var bulkhead = context.getBean(io.github.resilience4j.bulkhead.BulkheadRegistry.class).bulkhead("bulkhead");
        check(bulkhead.getBulkheadConfig().getMaxConcurrentCalls() == 25
                && bulkhead.getBulkheadConfig().getMaxWaitDuration().isZero(),
                "Resilience4j's bulkhead must admit 25 calls without waiting");

        var open = breakers.circuitBreaker("open");
        check(open.getState() == io.github.resilience4j.circuitbreaker.CircuitBreaker.State.FORCED_OPEN,
                "Resilience4j's open breaker must be forced open");
        check(OurService.FALLBACK_VALUE.equals(service.openBreakerWithFallback()),
                "Resilience4j's forced-open breaker must be answered by the fallback");
        check(open.getMetrics().getNumberOfNotPermittedCalls() == 1, "Resilience4j's open breaker must have refused the call");

        // with resilience4j-reactor, its aspects protect a Mono through its operators, once subscribed
        Mono<String> lazy = service.monoCircuitBreaker();
        var monoBreaker = breakers.circuitBreaker("monoCb");
        check(monoBreaker.getMetrics().getNumberOfBufferedCalls() == 0,
                "Resilience4j must protect a Mono only once subscribed (is resilience4j-reactor missing?)");
        MonoSink sink = new MonoSink();
        check("ok".equals(sink.take(lazy)) && monoBreaker.getMetrics().getNumberOfBufferedCalls() == 1,
                "Resilience4j's breaker must record the subscribed Mono");
        var timeLimiter = context.getBean(io.github.resilience4j.timelimiter.TimeLimiterRegistry.class)
                .timeLimiter("monoTimeout");
        check(timeLimiter.getTimeLimiterConfig().getTimeoutDuration().equals(Duration.ofSeconds(1)),
                "Resilience4j's time limiter must be 1s");
        check("ok".equals(sink.take(service.monoRetry())) && "ok".equals(sink.take(service.monoBulkhead()))
                && "ok".equals(sink.take(service.monoTimeout())) && "ok".equals(sink.take(service.monoAllFive())),
                "every Mono protected by Resilience4j must answer ok");
    }

    static void spring(ApplicationContext context, SpringResilienceService service) {
        check(AopUtils.isCglibProxy(service), "SpringResilienceService must be a class proxy");
        absent(context, ResilienceAnnotationBeanPostProcessor.class);
        absent(context, io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry.class);
        check(context.getBeanNamesForType(
                org.springframework.resilience.annotation.RetryAnnotationBeanPostProcessor.class).length == 1,
                "Spring's resilient methods must be enabled");
        check("ok".equals(service.retryable()) && "ok".equals(service.concurrencyLimit()),
                "every protected method must answer ok");
    }

    private static void absent(ApplicationContext context, Class<?> type) {
        check(context.getBeanNamesForType(type).length == 0, type.getName() + " must not be in this context");
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException("Benchmark context not as expected: " + message);
        }
    }
}

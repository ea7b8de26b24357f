package dev.resilience.benchmarks;

import io.github.resilience4j.bulkhead.annotation.Bulkhead;
import io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker;
import io.github.resilience4j.ratelimiter.annotation.RateLimiter;
import io.github.resilience4j.retry.annotation.Retry;
import io.github.resilience4j.timelimiter.annotation.TimeLimiter;
import reactor.core.publisher.Mono;

/** The same method body under Resilience4j's annotations (its aspects order them retry, breaker, bulkhead). */
public class Resilience4jService {

    @CircuitBreaker(name = "cb")
    public String circuitBreaker() {
        return "ok";
    }

    @Retry(name = "retry")
    public String retry() {
        return "ok";
    }

    @Bulkhead(name = "bulkhead", type = Bulkhead.Type.SEMAPHORE)
    public String bulkhead() {
        return "ok";
    }

    /** A limit no benchmark reaches: the cost of taking a permit, never of a refusal or a wait. */
    @RateLimiter(name = "rateLimiter")
    public String rateLimiter() {
        return "ok";
    }

    @Retry(name = "stack3")
    @CircuitBreaker(name = "stack3")
    @Bulkhead(name = "stack3", type = Bulkhead.Type.SEMAPHORE)
    public String threeStacked() {
        return "ok";
    }

    /** Its breaker is forced open at start: every call is refused and answered by {@link #recover}. */
    @CircuitBreaker(name = "open", fallbackMethod = "recover")
    public String openBreakerWithFallback() {
        return "ok";
    }

    // On a method returning Mono, Resilience4j's aspects apply its reactor operators (resilience4j-reactor):
    // CircuitBreakerOperator, RetryOperator, BulkheadOperator, TimeLimiterOperator, and onErrorResume for a fallback.

    @CircuitBreaker(name = "monoCb")
    public Mono<String> monoCircuitBreaker() {
        return Mono.just("ok");
    }

    @Retry(name = "monoRetry")
    public Mono<String> monoRetry() {
        return Mono.just("ok");
    }

    @Bulkhead(name = "monoBulkhead", type = Bulkhead.Type.SEMAPHORE)
    public Mono<String> monoBulkhead() {
        return Mono.just("ok");
    }

    @TimeLimiter(name = "monoTimeout")
    public Mono<String> monoTimeout() {
        return Mono.just("ok");
    }

    /** All five: its aspects nest Retry(CircuitBreaker(TimeLimiter(Bulkhead))), the fallback on the outermost. */
    @Retry(name = "monoAll", fallbackMethod = "recoverMono")
    @CircuitBreaker(name = "monoAll")
    @TimeLimiter(name = "monoAll")
    @Bulkhead(name = "monoAll", type = Bulkhead.Type.SEMAPHORE)
    public Mono<String> monoAllFive() {
        return Mono.just("ok");
    }

    public String recover(Throwable failure) {
        return OurService.FALLBACK_VALUE;
    }

    public Mono<String> recoverMono(Throwable failure) {
        return Mono.just(OurService.FALLBACK_VALUE);
    }
}

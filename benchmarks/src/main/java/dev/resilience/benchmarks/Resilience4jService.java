package dev.resilience.benchmarks;

import io.github.resilience4j.bulkhead.annotation.Bulkhead;
import io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker;
import io.github.resilience4j.retry.annotation.Retry;

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

    public String recover(Throwable failure) {
        return OurService.FALLBACK_VALUE;
    }
}

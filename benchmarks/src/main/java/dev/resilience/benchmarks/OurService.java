package dev.resilience.benchmarks;

import java.util.concurrent.CompletableFuture;

import reactor.core.publisher.Mono;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Fallback;
import dev.resilience.annotation.RateLimiter;
import dev.resilience.annotation.Retry;
import dev.resilience.annotation.Timeout;

/** The same method body under each of our annotations; each method has instances of its own. */
public class OurService {

    static final String FALLBACK_VALUE = "fallback";

    private static final CompletableFuture<String> DONE = CompletableFuture.completedFuture("ok");

    @CircuitBreaker(name = "cb")
    public String circuitBreaker() {
        return "ok";
    }

    @Retry(name = "retry")
    public String retry() {
        return "ok";
    }

    /** The same retry with a retry budget of 10 %: each call deposits, none withdraws. */
    @Retry(name = "budgeted")
    public String retryWithBudget() {
        return "ok";
    }

    @Bulkhead(name = "bulkhead")
    public String bulkhead() {
        return "ok";
    }

    /** A limit no benchmark reaches: the cost of taking a permit, never of a refusal or a wait. */
    @RateLimiter(name = "rateLimiter")
    public String rateLimiter() {
        return "ok";
    }

    @Timeout(name = "timeout")
    public String timeout() {
        return "ok";
    }

    @Fallback(method = "recover")
    public String fallback() {
        return "ok";
    }

    /** The counterpart of Resilience4j's three stacked annotations (same order: retry, breaker, bulkhead). */
    @Retry(name = "stack3")
    @CircuitBreaker(name = "stack3")
    @Bulkhead(name = "stack3")
    public String threeStacked() {
        return "ok";
    }

    @Fallback(method = "recover")
    @Retry(name = "all")
    @CircuitBreaker(name = "all")
    @Timeout(name = "all")
    @Bulkhead(name = "all")
    public String allFive() {
        return "ok";
    }

    /** Its breaker is forced open at start: every call is refused and answered by {@link #recover}. */
    @CircuitBreaker(name = "open")
    @Fallback(method = "recover")
    public String openBreakerWithFallback() {
        return "ok";
    }

    @CircuitBreaker(name = "cbAsync")
    public CompletableFuture<String> circuitBreakerAsync() {
        return DONE;
    }

    @CircuitBreaker(name = "monoCb")
    public Mono<String> monoCircuitBreaker() {
        return Mono.just("ok");
    }

    @Retry(name = "monoRetry")
    public Mono<String> monoRetry() {
        return Mono.just("ok");
    }

    @Bulkhead(name = "monoBulkhead")
    public Mono<String> monoBulkhead() {
        return Mono.just("ok");
    }

    @Timeout(name = "monoTimeout")
    public Mono<String> monoTimeout() {
        return Mono.just("ok");
    }

    @Fallback(method = "recoverMono")
    public Mono<String> monoFallback() {
        return Mono.just("ok");
    }

    @Fallback(method = "recoverMono")
    @Retry(name = "monoAll")
    @CircuitBreaker(name = "monoAll")
    @Timeout(name = "monoAll")
    @Bulkhead(name = "monoAll")
    public Mono<String> monoAllFive() {
        return Mono.just("ok");
    }

    public String recover(Throwable failure) {
        return FALLBACK_VALUE;
    }

    public Mono<String> recoverMono(Throwable failure) {
        return Mono.just(FALLBACK_VALUE);
    }
}

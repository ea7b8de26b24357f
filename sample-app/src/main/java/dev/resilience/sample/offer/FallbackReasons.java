package dev.resilience.sample.offer;

import dev.resilience.core.BulkheadFullException;
import dev.resilience.core.CircuitBreakerOpenException;
import dev.resilience.core.TimeoutExceededException;
import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.timeout.Timeout;
import dev.resilience.core.timeout.TimeoutRegistry;

import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClientResponseException;

/** Says, in a few words, why the partner's offer could not be used. */
@Component
public class FallbackReasons {

    private final CircuitBreakerRegistry circuitBreakers;
    private final TimeoutRegistry timeouts;

    public FallbackReasons(CircuitBreakerRegistry circuitBreakers, TimeoutRegistry timeouts) {
        this.circuitBreakers = circuitBreakers;
        this.timeouts = timeouts;
    }

    /**
     * The reason for {@code failure}, e.g. {@code circuit breaker 'partner' is OPEN},
     * {@code timeout after 1000ms}, {@code partner answered 500} or {@code bulkhead 'partner' is full}.
     */
    public String explain(Throwable failure) {
        if (failure instanceof CircuitBreakerOpenException rejected) {
            return "circuit breaker '" + rejected.getName() + "' is " + circuitBreakers.find(rejected.getName())
                    .map(CircuitBreaker::getState).map(Enum::name).orElse("not permitting calls");
        }
        if (failure instanceof TimeoutExceededException timedOut) {
            return timeouts.find(timedOut.getName())
                    .map(timeout -> "timeout after " + timeout.getConfig().timeoutDuration().toMillis() + "ms")
                    .orElse("timeout");
        }
        if (failure instanceof BulkheadFullException full) {
            return "bulkhead '" + full.getName() + "' is full";
        }
        if (failure instanceof RestClientResponseException answered) {
            return "partner answered " + answered.getStatusCode().value();
        }
        if (failure instanceof ResourceAccessException unreachable) {
            return "partner unreachable: " + unreachable.getMessage();
        }
        return "partner call failed: " + failure;
    }
}

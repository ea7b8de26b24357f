package dev.resilience.web;

import dev.resilience.core.BulkheadFullException;
import dev.resilience.core.CircuitBreakerOpenException;
import dev.resilience.core.RateLimitExceededException;
import dev.resilience.core.TimeoutExceededException;
import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

import java.time.Duration;

/**
 * Answers a policy's exception that escapes a Spring MVC or WebFlux handler with an RFC 9457 problem detail:
 *
 * <table>
 * <caption>Statuses</caption>
 * <tr><th>exception</th><th>status</th><th>{@code Retry-After}</th></tr>
 * <tr><td>{@link RateLimitExceededException}</td><td>429</td><td>its {@code getRetryAfter()}</td></tr>
 * <tr><td>{@link CircuitBreakerOpenException}</td><td>503</td><td>what is left of the OPEN wait, when known</td></tr>
 * <tr><td>{@link BulkheadFullException}</td><td>503</td><td>none</td></tr>
 * <tr><td>{@link TimeoutExceededException}</td><td>504</td><td>none</td></tr>
 * </table>
 *
 * <p>{@code Retry-After} is in whole seconds, rounded up. The body is {@code type} {@code about:blank}, {@code title}
 * the status's reason phrase, {@code status}, a {@code detail} that names the instance, {@code instance} the request
 * path (filled in by Spring), and two properties: {@code name}, the instance name, and {@code kind}, its kind as in the
 * settings ({@code ratelimiter}, {@code circuitbreaker}, {@code bulkhead}, {@code timeout}). It never holds an
 * exception's class, message or stack.
 *
 * <p>The lowest precedence of all advice: a handler of the application's own, an {@code @ExceptionHandler} in the
 * controller or in a {@code @ControllerAdvice} (one of the default order too: the application's beans are registered
 * before those of auto-configurations), is asked first and wins, whichever exception type it names.
 *
 * <p>The time left in OPEN is asked of the breaker of the exception's name in the registry when the answer is built,
 * so that a refusal itself stays one preallocated exception per state. A FORCED_OPEN breaker, a HALF_OPEN one with
 * every trial call taken, and a name the registry does not hold answer without {@code Retry-After}.
 */
@ControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class ResilienceExceptionHandler {

    private final @Nullable CircuitBreakerRegistry circuitBreakers;

    /** @param circuitBreakers where to look up an open breaker's time left; {@code null}: never a Retry-After for it */
    public ResilienceExceptionHandler(@Nullable CircuitBreakerRegistry circuitBreakers) {
        this.circuitBreakers = circuitBreakers;
    }

    @ExceptionHandler
    public ResponseEntity<ProblemDetail> handleRateLimitExceeded(RateLimitExceededException exception) {
        String name = exception.getName();
        return problem(HttpStatus.TOO_MANY_REQUESTS, "ratelimiter", name,
                "Rate limiter '" + name + "' permits no further calls for now", exception.getRetryAfter());
    }

    @ExceptionHandler
    public ResponseEntity<ProblemDetail> handleCircuitBreakerOpen(CircuitBreakerOpenException exception) {
        String name = exception.getName();
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "circuitbreaker", name,
                "Circuit breaker '" + name + "' is open", remainingOpenDuration(name));
    }

    @ExceptionHandler
    public ResponseEntity<ProblemDetail> handleBulkheadFull(BulkheadFullException exception) {
        String name = exception.getName();
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "bulkhead", name, "Bulkhead '" + name + "' is full", null);
    }

    @ExceptionHandler
    public ResponseEntity<ProblemDetail> handleTimeoutExceeded(TimeoutExceededException exception) {
        String name = exception.getName();
        return problem(HttpStatus.GATEWAY_TIMEOUT, "timeout", name,
                "Timeout '" + name + "' expired before the call finished", null);
    }

    private @Nullable Duration remainingOpenDuration(String name) {
        if (circuitBreakers == null || name == null) {
            return null;
        }
        return circuitBreakers.find(name).flatMap(CircuitBreaker::getRemainingOpenDuration).orElse(null);
    }

    /**
     * The answer: {@code status}, the body described on the class, and {@code Retry-After} when {@code retryAfter}
     * is known. Override to change them all at once.
     */
    protected ResponseEntity<ProblemDetail> problem(HttpStatus status, String kind, String name, String detail,
            @Nullable Duration retryAfter) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setTitle(status.getReasonPhrase());
        body.setProperty("name", name);
        body.setProperty("kind", kind);
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(status);
        if (retryAfter != null) {
            answer.header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(retryAfter)));
        }
        return answer.body(body);
    }

    /** Whole seconds, rounded up; never negative. */
    static long retryAfterSeconds(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            return 0;
        }
        long seconds = duration.getSeconds();
        return (duration.getNano() > 0 && seconds < Long.MAX_VALUE) ? seconds + 1 : seconds;
    }
}

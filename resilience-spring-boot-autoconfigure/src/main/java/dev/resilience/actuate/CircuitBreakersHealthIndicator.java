package dev.resilience.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Predicate;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerMetrics;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;

/**
 * The {@code circuitBreakers} health contributor: one entry per circuit breaker in the details (its health
 * {@code status}, {@code state}, {@code failureRate}, {@code slowCallRate}, {@code bufferedCalls},
 * {@code failedCalls}), and the worst of their statuses as the component's status.
 *
 * <p>A breaker's status is {@code UP} when CLOSED or DISABLED, {@link #CIRCUIT_HALF_OPEN} when HALF_OPEN, and
 * {@link #CIRCUIT_OPEN} when OPEN or FORCED_OPEN. Those two statuses are not in Spring Boot's status order, so the
 * health endpoint's aggregate stays {@code UP} and answers HTTP 200: a remote dependency being down must not take
 * every replica of the application out of its load balancer, which would turn one failing dependency into a full
 * outage. A breaker with {@code allow-health-indicator-to-fail: true} reports {@code DOWN} instead of
 * {@link #CIRCUIT_OPEN}, which does make the endpoint answer 503.
 */
public class CircuitBreakersHealthIndicator implements HealthIndicator {

    /** An open or forced-open breaker that is not allowed to fail the health status. */
    public static final Status CIRCUIT_OPEN = new Status("CIRCUIT_OPEN", "Calls are refused");

    /** A half-open breaker: a few trial calls decide whether it closes. */
    public static final Status CIRCUIT_HALF_OPEN = new Status("CIRCUIT_HALF_OPEN", "Trial calls are permitted");

    /** Worst first. */
    private static final List<Status> ORDER = List.of(Status.DOWN, CIRCUIT_OPEN, CIRCUIT_HALF_OPEN, Status.UP);

    private final CircuitBreakerRegistry registry;
    private final Predicate<String> allowHealthIndicatorToFail;

    /**
     * @param registry                   the breakers to report
     * @param allowHealthIndicatorToFail whether the breaker of a name reports DOWN when open
     *                                   ({@code resilience.circuitbreaker.instances.<name>.allow-health-indicator-to-fail})
     */
    public CircuitBreakersHealthIndicator(CircuitBreakerRegistry registry, Predicate<String> allowHealthIndicatorToFail) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.allowHealthIndicatorToFail = Objects.requireNonNull(allowHealthIndicatorToFail,
                "allowHealthIndicatorToFail");
    }

    @Override
    public Health health() {
        Map<String, Object> details = new TreeMap<>();
        Status worst = Status.UP;
        for (CircuitBreaker circuitBreaker : registry.getAll()) {
            CircuitBreaker.State state = circuitBreaker.getState();
            CircuitBreakerMetrics metrics = circuitBreaker.getMetrics();
            Status status = statusOf(circuitBreaker.getName(), state);
            if (ORDER.indexOf(status) < ORDER.indexOf(worst)) {
                worst = status;
            }
            Map<String, Object> instance = new LinkedHashMap<>();
            instance.put("status", status.getCode());
            instance.put("state", state.name());
            instance.put("failureRate", metrics.failureRate());
            instance.put("slowCallRate", metrics.slowCallRate());
            instance.put("bufferedCalls", metrics.bufferedCalls());
            instance.put("failedCalls", metrics.failedCalls());
            details.put(circuitBreaker.getName(), instance);
        }
        return Health.status(worst).withDetails(details).build();
    }

    private Status statusOf(String name, CircuitBreaker.State state) {
        return switch (state) {
            case CLOSED, DISABLED -> Status.UP;
            case HALF_OPEN -> CIRCUIT_HALF_OPEN;
            case OPEN, FORCED_OPEN -> allowHealthIndicatorToFail.test(name) ? Status.DOWN : CIRCUIT_OPEN;
        };
    }
}

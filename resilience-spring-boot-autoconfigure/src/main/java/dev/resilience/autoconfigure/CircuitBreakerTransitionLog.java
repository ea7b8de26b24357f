package dev.resilience.autoconfigure;

import java.time.Duration;
import java.util.Locale;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreaker.State;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.circuitbreaker.CircuitBreakerListener;
import dev.resilience.core.circuitbreaker.CircuitBreakerMetrics;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.circuitbreaker.FleetState;
import dev.resilience.core.circuitbreaker.SharedCircuitBreaker;

/**
 * Logs the transitions a person has to act on, one line each: a WARN when a breaker opens (which rate opened it
 * against which threshold, and for how long it refuses calls) or is forced open, an INFO when it closes again, a
 * DEBUG for the others. Listens to every breaker of the registry, those created later included; it is told of
 * transitions only, never of calls, so it costs nothing per call.
 */
final class CircuitBreakerTransitionLog implements CircuitBreakerListener {

    private static final Log logger = LogFactory.getLog(CircuitBreakerTransitionLog.class);

    CircuitBreakerTransitionLog(CircuitBreakerRegistry registry) {
        registry.onAdded(breaker -> breaker.addListener(this));
    }

    @Override
    public void onStateTransition(CircuitBreaker breaker, State from, State to) {
        switch (to) {
            case OPEN -> {
                if (logger.isWarnEnabled()) {
                    logger.warn(opened(breaker, from));
                }
            }
            case FORCED_OPEN -> logger.warn("Circuit breaker '" + breaker.getName() + "' is FORCED_OPEN (from " + from
                    + "): it refuses every call until its state is changed by hand");
            case CLOSED -> {
                if (from != State.CLOSED && logger.isInfoEnabled()) {
                    logger.info("Circuit breaker '" + breaker.getName() + "' is CLOSED (from " + from
                            + "): calls go through again");
                }
            }
            default -> {
                if (logger.isDebugEnabled()) {
                    logger.debug("Circuit breaker '" + breaker.getName() + "' is " + to + " (from " + from + ")");
                }
            }
        }
    }

    /** Why it opened: the rate (or rates) of the window that opened it, at or above their thresholds. */
    static String opened(CircuitBreaker breaker, State from) {
        CircuitBreakerConfig config = breaker.getConfig();
        CircuitBreakerMetrics metrics = breaker.getMetrics();
        StringBuilder message = new StringBuilder("Circuit breaker '").append(breaker.getName())
                .append("' is OPEN (from ").append(from).append("): ");
        if (breaker instanceof SharedCircuitBreaker shared) {
            FleetState fleet = shared.getFleetState();
            if (fleet.state() == State.OPEN && !fleet.origin().equals(shared.getInstanceId())) {
                // this instance's window did not open it: say who did, and how long is left of the fleet's wait
                return message.append("opened by instance ").append(fleet.origin()).append(" of the fleet")
                        .append(fleet.byHand() ? " by hand" : "").append("; it refuses calls for ")
                        .append(duration(fleet.openWait())).toString();
            }
        }
        boolean failures = metrics.failureRate() >= 0 && metrics.failureRate() >= config.failureRateThreshold();
        boolean slow = metrics.slowCallRate() >= 0 && metrics.slowCallRate() >= config.slowCallRateThreshold();
        if (failures) {
            message.append("failure rate ").append(percent(metrics.failureRate())).append(" reached its threshold of ")
                    .append(percent(config.failureRateThreshold()));
        }
        if (slow) {
            message.append(failures ? " and " : "").append("slow-call rate ").append(percent(metrics.slowCallRate()))
                    .append(" reached its threshold of ").append(percent(config.slowCallRateThreshold()));
        }
        if (failures || slow) {
            message.append(" over ").append(metrics.bufferedCalls()).append(" calls");
        } else {
            message.append("opened by hand");
        }
        return message.append("; it refuses calls for ").append(duration(config.waitDurationInOpenState()))
                .append(config.automaticTransitionFromOpenToHalfOpenEnabled()
                        ? ", then lets trial calls through"
                        : ", then lets trial calls through on the next call").toString();
    }

    private static String percent(float value) {
        return String.format(Locale.ROOT, "%.1f%%", value);
    }

    private static String duration(Duration duration) {
        if (duration.toMillis() < 1000) {
            return duration.toMillis() + "ms";
        }
        long seconds = duration.getSeconds();
        return (duration.toMillis() % 1000 == 0) ? seconds + "s"
                : String.format(Locale.ROOT, "%.3fs", duration.toMillis() / 1000.0);
    }
}

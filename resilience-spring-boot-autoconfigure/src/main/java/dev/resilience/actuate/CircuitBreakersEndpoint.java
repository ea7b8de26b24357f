package dev.resilience.actuate;

import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerMetrics;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.circuitbreaker.FleetState;
import dev.resilience.core.circuitbreaker.SharedCircuitBreaker;

/**
 * The {@code circuitbreakers} endpoint: every circuit breaker with its state and window figures, one breaker by
 * name, and a write operation that moves a breaker to another state. Write access is off by default
 * ({@link Access#READ_ONLY}); {@code management.endpoint.circuitbreakers.access: unrestricted} opens it.
 *
 * <p>Over HTTP, {@link CircuitBreakersEndpointWebExtension} answers the write operation with 400 and a message for a
 * bad state and 404 for an unknown name.
 */
@Endpoint(id = CircuitBreakersEndpoint.ID, defaultAccess = Access.READ_ONLY)
public class CircuitBreakersEndpoint {

    /** The endpoint id. */
    public static final String ID = "circuitbreakers";

    private final CircuitBreakerRegistry registry;

    public CircuitBreakersEndpoint(CircuitBreakerRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** {@code GET /actuator/circuitbreakers}: every breaker that exists, by name. */
    @ReadOperation
    public CircuitBreakersDescriptor circuitBreakers() {
        Map<String, CircuitBreakerDescriptor> all = new TreeMap<>();
        for (CircuitBreaker circuitBreaker : registry.getAll()) {
            all.put(circuitBreaker.getName(), CircuitBreakerDescriptor.of(circuitBreaker));
        }
        return new CircuitBreakersDescriptor(all);
    }

    /** {@code GET /actuator/circuitbreakers/{name}}: one breaker; {@code null} (404) when there is none of this name. */
    @ReadOperation
    public @Nullable CircuitBreakerDescriptor circuitBreaker(@Selector String name) {
        return registry.find(name).map(CircuitBreakerDescriptor::of).orElse(null);
    }

    /**
     * {@code POST /actuator/circuitbreakers/{name}} with {@code {"state": "X"}}, or with Resilience4j's body
     * {@code {"updateState": "Y"}}: moves the breaker to X (or to what Y means here) and answers its new figures;
     * {@code CLOSED} also clears the recorded calls. {@code null} when there is no breaker of this name.
     *
     * @throws InvalidEndpointRequestException when X is not one of the states, Y is not one that maps, neither or
     *                                         both are given
     */
    @WriteOperation
    public @Nullable CircuitBreakerDescriptor transition(@Selector String name, @Nullable String state,
            @Nullable String updateState) {
        CircuitBreaker.State target = target(state, updateState);
        return registry.find(name).map(circuitBreaker -> {
            circuitBreaker.transitionTo(target);
            return CircuitBreakerDescriptor.of(circuitBreaker);
        }).orElse(null);
    }

    /**
     * The state asked for: ours with {@code state}, or Resilience4j's with {@code updateState}, so that the scripts of
     * a migration keep working: {@code CLOSE} is {@code CLOSED}, {@code FORCE_OPEN} is {@code FORCED_OPEN},
     * {@code DISABLE} is {@code DISABLED}; {@code METRICS_ONLY} has no equivalent and is refused saying so.
     *
     * @throws InvalidEndpointRequestException naming what is allowed, when neither or both are given or the value is
     *                                         not one of them
     */
    static CircuitBreaker.State target(@Nullable String state, @Nullable String updateState) {
        if (updateState == null) {
            return parseState(state);
        }
        if (state != null) {
            throw invalid("Give either 'state' (" + allowedStates() + ") or Resilience4j's 'updateState' ("
                    + ALLOWED_UPDATE_STATES + "), not both");
        }
        String normalized = updateState.trim().toUpperCase(Locale.ROOT);
        switch (normalized) {
            case "CLOSE":
                return CircuitBreaker.State.CLOSED;
            case "FORCE_OPEN":
                return CircuitBreaker.State.FORCED_OPEN;
            case "DISABLE":
                return CircuitBreaker.State.DISABLED;
            case "METRICS_ONLY":
                throw invalid("Resilience4j's updateState METRICS_ONLY has no equivalent here: a breaker either decides "
                        + "from the calls it records or is DISABLED (permits every call and records nothing). Send "
                        + "{\"state\": \"DISABLED\"} or {\"updateState\": \"DISABLE\"} to stop it deciding");
            default:
                throw invalid("Unknown updateState " + Echo.quoted(updateState) + "; Resilience4j's updateState may be "
                        + ALLOWED_UPDATE_STATES + " (or send 'state': " + allowedStates() + ")");
        }
    }

    private static final String ALLOWED_UPDATE_STATES = "CLOSE, FORCE_OPEN, DISABLE";

    private static String allowedStates() {
        return Arrays.stream(CircuitBreaker.State.values()).map(Enum::name).collect(Collectors.joining(", "));
    }

    private static InvalidEndpointRequestException invalid(String message) {
        return new InvalidEndpointRequestException(message, message);
    }

    /**
     * The state named {@code state} (case-insensitive).
     *
     * @throws InvalidEndpointRequestException naming the allowed states when there is none of this name (repeating
     *                                         at most the first 64 characters of {@code state})
     */
    static CircuitBreaker.State parseState(@Nullable String state) {
        if (state != null) {
            String normalized = state.trim().toUpperCase(Locale.ROOT);
            for (CircuitBreaker.State candidate : CircuitBreaker.State.values()) {
                if (candidate.name().equals(normalized)) {
                    return candidate;
                }
            }
        }
        throw invalid((state == null ? "Missing 'state'" : "Unknown state " + Echo.quoted(state))
                + "; allowed states are " + allowedStates());
    }

    /**
     * Every circuit breaker by name.
     *
     * @param circuitBreakers the breakers, in name order
     */
    public record CircuitBreakersDescriptor(Map<String, CircuitBreakerDescriptor> circuitBreakers) {
    }

    /**
     * The state and window figures of one circuit breaker.
     *
     * @param state             the current state
     * @param failureRate       percent of the buffered calls that failed; -1.0 while fewer than
     *                          {@code minimum-number-of-calls} were recorded
     * @param slowCallRate      percent of the buffered calls that were slow; -1.0 likewise
     * @param bufferedCalls     the calls in the current state's window (OPEN: in the window that opened it)
     * @param failedCalls       the buffered calls that failed
     * @param slowCalls         the buffered calls that were slow
     * @param notPermittedCalls the calls refused since the breaker entered its current state (OPEN: since it entered
     *                          the state it replaced)
     * @param shared            whether the breaker's transitions are shared by the fleet ({@code shared: true})
     * @param fleet             the fleet's view of a shared breaker; {@code null} for one of this instance alone
     */
    public record CircuitBreakerDescriptor(String state, float failureRate, float slowCallRate, int bufferedCalls,
            int failedCalls, int slowCalls, long notPermittedCalls, boolean shared, @Nullable FleetDescriptor fleet) {

        static CircuitBreakerDescriptor of(CircuitBreaker circuitBreaker) {
            // the state first: a transition in between shows the new state with the new (empty) window
            CircuitBreaker.State state = circuitBreaker.getState();
            CircuitBreakerMetrics metrics = circuitBreaker.getMetrics();
            FleetDescriptor fleet = circuitBreaker instanceof SharedCircuitBreaker shared
                    ? FleetDescriptor.of(shared) : null;
            return new CircuitBreakerDescriptor(state.name(), metrics.failureRate(), metrics.slowCallRate(),
                    metrics.bufferedCalls(), metrics.failedCalls(), metrics.slowCalls(), metrics.notPermittedCalls(),
                    fleet != null, fleet);
        }
    }

    /**
     * A shared breaker's state as the fleet knows it, seen from this instance.
     *
     * @param state        the fleet's state, the one this instance applies
     * @param generation   the fleet's decision it belongs to: each transition but the automatic OPEN to HALF_OPEN
     *                     one starts a new generation
     * @param openUntil    in OPEN, when the wait ends (this instance's clock); {@code null} in every other state
     * @param publishedBy  the instance that published the state (for OPEN, the one that opened the breaker)
     * @param byHand       whether it was set by hand (this endpoint, or the breaker's API)
     * @param thisInstance this instance's id in the fleet
     */
    public record FleetDescriptor(String state, long generation, @Nullable Instant openUntil, String publishedBy,
            boolean byHand, String thisInstance) {

        static FleetDescriptor of(SharedCircuitBreaker breaker) {
            FleetState fleet = breaker.getFleetState();
            Instant openUntil = fleet.state() == CircuitBreaker.State.OPEN ? Instant.now().plus(fleet.openWait()) : null;
            return new FleetDescriptor(fleet.state().name(), fleet.generation(), openUntil, fleet.origin(),
                    fleet.byHand(), breaker.getInstanceId());
        }
    }
}

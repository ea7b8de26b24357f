package dev.resilience.core.circuitbreaker;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Where the breakers shared by a fleet exchange their states (a Redis server, or memory in tests). Every method
 * returns at once; its stage completes when the fleet answered, or fails (within the implementation's own command
 * timeout) when it does not: a {@link SharedCircuitBreaker} then goes on with its local state.
 *
 * <p>What an implementation must do, per breaker name:
 * <ul>
 * <li>hold one {@link FleetState}, replaced only by a state that {@linkplain FleetState#rank ranks} higher, so that
 * of two instances publishing the same decision the first one wins, and an OPEN's remaining wait keeps running down
 * while it is held (an implementation may drop a state some time after its wait ran out);</li>
 * <li>deliver each accepted state to every subscriber of the name, its own instance's included;</li>
 * <li>lease each generation's half-open trial to one instance at a time.</li>
 * </ul>
 */
public interface CircuitBreakerFleet {

    /** The id of this instance, the {@link FleetState#origin() origin} of what it publishes. */
    String instanceId();

    /**
     * Offers {@code state} for breaker {@code name}: it replaces the fleet's state when it ranks higher, and is then
     * delivered to the subscribers. Completes with the fleet's state after the offer: {@code state} itself when it
     * was accepted, otherwise the state that stood (with its remaining open wait).
     */
    CompletionStage<FleetState> publish(String name, FleetState state);

    /** The fleet's state of breaker {@code name} (with its remaining open wait), empty when it holds none. */
    CompletionStage<Optional<FleetState>> read(String name);

    /**
     * Leases the half-open trial of breaker {@code name}'s {@code generation} to this instance for {@code lease},
     * unless another instance holds it: completes with {@code true} when this instance now holds it.
     */
    CompletionStage<Boolean> leaseTrial(String name, long generation, Duration lease);

    /**
     * Until the subscription is cancelled: calls {@code onState} with every state accepted for breaker {@code name},
     * and {@code onReachableAgain} each time the fleet answers again after it could not be reached (or answers for the
     * first time), so that the states missed meanwhile are exchanged. Both may run on the fleet's threads: they must
     * be quick.
     */
    Subscription subscribe(String name, Consumer<FleetState> onState, Runnable onReachableAgain);

    /** How often a shared breaker reads the fleet's state to catch up with what it may have missed. */
    Duration reconcileInterval();

    /** A subscription to the states of one breaker. */
    @FunctionalInterface
    interface Subscription {

        void cancel();
    }
}

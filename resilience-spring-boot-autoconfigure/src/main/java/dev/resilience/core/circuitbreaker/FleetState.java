package dev.resilience.core.circuitbreaker;

import dev.resilience.core.circuitbreaker.CircuitBreaker.State;

import java.time.Duration;
import java.util.Objects;

/**
 * A shared breaker's state as the fleet exchanges it: what one instance published, or what the fleet holds.
 *
 * <p>The generation counts the fleet's decisions: every transition but the automatic OPEN to HALF_OPEN one starts a
 * new generation, and that HALF_OPEN ranks just above the OPEN it ends. A state is applied only when it ranks above
 * the one an instance knows, so messages that arrive late or twice change nothing.
 *
 * @param state      the state
 * @param generation the decision it belongs to
 * @param openWait   in OPEN, what was left of the wait when it was published or read (zero in every other state):
 *                   the fleet exchanges remaining durations, never the instances' clock readings
 * @param origin     the id of the instance that published it
 * @param byHand     set by hand (the endpoint, {@code transitionTo}, {@code reset}): applied even to an instance that is
 *                   in that state already, restarting it
 */
public record FleetState(State state, long generation, Duration openWait, String origin, boolean byHand) {

    public FleetState {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(openWait, "openWait");
        Objects.requireNonNull(origin, "origin");
        if (generation < 0) {
            throw new IllegalArgumentException("generation must be 0 or more, was " + generation);
        }
        if (openWait.isNegative()) {
            openWait = Duration.ZERO;
        }
    }

    /** Orders states: a higher rank is newer. */
    public long rank() {
        return generation * 2 + (state == State.HALF_OPEN ? 1 : 0);
    }

    /** Whether {@code other} is newer than this one. */
    public boolean isOlderThan(FleetState other) {
        return rank() < other.rank();
    }

    /** This state with {@code remaining} left of its open wait. */
    public FleetState withOpenWait(Duration remaining) {
        return new FleetState(state, generation, state == State.OPEN ? remaining : Duration.ZERO, origin, byHand);
    }
}

package dev.resilience.parity;

import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerListener;
import dev.resilience.core.circuitbreaker.CircuitBreakerMetrics;
import dev.resilience.core.circuitbreaker.LocalCircuitBreaker;
import io.github.resilience4j.circuitbreaker.internal.CircuitBreakerStateMachine;
import io.github.resilience4j.circuitbreaker.internal.SchedulerFactory;
import org.junit.jupiter.api.Test;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static dev.resilience.parity.Scenarios.pick;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * Our circuit breaker and Resilience4j 2.4.0's, built from the same yml keys, driven through their permission APIs
 * by the same seeded random sequence of steps on one manual clock: calls that succeed or fail (every exception kind,
 * wrapped or not, against record and ignore lists) after durations around the slow-call threshold, calls held in
 * flight across state changes and then ended, given back or ignored, clock advances around the open-state wait and
 * the window's seconds, manual transitions and resets. After every step the decision, the state, every figure of
 * the metrics and the state transitions heard by listeners must be the same.
 *
 * <p>What the steps stay clear of, because it differs on purpose (each is shown side by side in
 * {@link DeliberateDifferencesTest}): sub-millisecond waits (Resilience4j truncates them), a transition Resilience4j
 * refuses (CLOSED to HALF_OPEN: ours permits it), the listener event of a transition to the state the breaker is in
 * (Resilience4j tells no listener; the transition itself is compared), a reset while an automatic transition is
 * pending (Resilience4j's timer survives the reset), an outcome reported while OPEN after FORCED_OPEN or DISABLED
 * (Resilience4j's window there has no room and throws: the step gives the permission back instead), a full bulkhead
 * (ours records none, Resilience4j a failure), and outcomes recorded through {@code decorate}, where ours counts a call
 * in the state that permitted it.
 */
class CircuitBreakerParityTest {

    private static final Throwable[] FAILURES = {
            new IOException("io"), new FileNotFoundException("file"), new TimeoutException("timeout"),
            new IllegalStateException("state"), new IllegalArgumentException("argument"),
            new NumberFormatException("number"), new RuntimeException("runtime"),
            new CompletionException(new IOException("io in a completion")),
            new ExecutionException(new IllegalStateException("state in an execution")),
            new CompletionException(new NumberFormatException("number in a completion")),
    };

    private static final String[] EXCEPTION_LISTS = {
            "java.io.IOException", "java.io.IOException,java.util.concurrent.TimeoutException",
            "java.lang.IllegalArgumentException", "java.lang.RuntimeException", "java.lang.Exception",
            "java.io.FileNotFoundException,java.lang.NumberFormatException",
    };

    @Test
    void sameDecisionsStatesAndFiguresAsResilience4j() {
        int steps = Scenarios.check("circuit breaker", 400, BreakerScenario::new);
        assertThat(steps).isGreaterThan(400 * 150);
    }

    // ------------------------------------------------------------------ steps

    sealed interface Step permits Call, Start, Finish, Advance, Transition, Reset {
    }

    /** Asks for a permission and, when given, reports the outcome at once. */
    record Call(boolean success, long durationNanos, int failure) implements Step {
        @Override
        public String toString() {
            return success ? "call succeeds after " + show(durationNanos)
                    : "call fails after " + show(durationNanos) + " with " + FAILURES[failure];
        }
    }

    /** Asks for a permission and, when given, keeps the call in flight. */
    record Start() implements Step {
        @Override
        public String toString() {
            return "call starts (stays in flight)";
        }
    }

    /** Ends the in-flight call {@code which} (modulo their number): 0 success, 1 failure, 2 permission given back. */
    record Finish(int which, int outcome, long durationNanos, int failure) implements Step {
        @Override
        public String toString() {
            String how = switch (outcome) {
                case 0 -> "succeeds after " + show(durationNanos);
                case 1 -> "fails after " + show(durationNanos) + " with " + FAILURES[failure];
                default -> "gives its permission back";
            };
            return "in-flight call #" + which + " " + how;
        }
    }

    record Advance(long nanos) implements Step {
        @Override
        public String toString() {
            return "clock advances " + show(nanos);
        }
    }

    record Transition(CircuitBreaker.State target) implements Step {
        @Override
        public String toString() {
            return "transition to " + target + " by hand";
        }
    }

    record Reset() implements Step {
        @Override
        public String toString() {
            return "reset";
        }
    }

    static String show(long nanos) {
        return Duration.ofNanos(nanos).toString().substring(2).toLowerCase() + (nanos % 1_000_000 != 0 ? " (" + nanos + "ns)" : "");
    }

    // ------------------------------------------------------------------ scenario

    static final class BreakerScenario implements Scenarios.Scenario<Step> {

        private final SameKeys keys;
        private final List<Step> steps = new ArrayList<>();

        BreakerScenario(Random random) {
            Map<String, String> map = new LinkedHashMap<>();
            boolean timeBased = random.nextInt(4) == 0;
            if (timeBased) {
                map.put("sliding-window-type", "TIME_BASED");
            } else if (random.nextBoolean()) {
                map.put("sliding-window-type", "COUNT_BASED");
            }
            int size = timeBased ? 1 + random.nextInt(8) : 1 + random.nextInt(16);
            if (random.nextInt(10) != 0) {
                map.put("sliding-window-size", String.valueOf(size));
            }
            if (random.nextInt(10) != 0) {
                map.put("minimum-number-of-calls", String.valueOf(1 + random.nextInt(timeBased ? 12 : 20)));
            }
            if (random.nextInt(5) != 0) {
                map.put("failure-rate-threshold", threshold(random));
            }
            if (random.nextBoolean()) {
                map.put("slow-call-rate-threshold", threshold(random));
            }
            long slowNanos = pick(random, 1L, 10L, 100L, 1000L, 60_000L) * 1_000_000;
            if (random.nextInt(5) != 0) {
                map.put("slow-call-duration-threshold", slowNanos / 1_000_000 + "ms");
            } else {
                slowNanos = Duration.ofSeconds(60).toNanos();
            }
            long waitNanos = pick(random, 1L, 7L, 50L, 1000L, 5000L, 60_000L) * 1_000_000;
            if (random.nextInt(6) != 0) {
                map.put("wait-duration-in-open-state", waitNanos / 1_000_000 + "ms");
            } else {
                waitNanos = Duration.ofSeconds(60).toNanos();
            }
            if (random.nextInt(6) != 0) {
                map.put("permitted-number-of-calls-in-half-open-state", String.valueOf(1 + random.nextInt(8)));
            }
            boolean automatic = random.nextInt(3) == 0;
            if (automatic || random.nextInt(4) == 0) {
                map.put("automatic-transition-from-open-to-half-open-enabled", String.valueOf(automatic));
            }
            if (random.nextInt(3) == 0) {
                map.put("record-exceptions", pick(random, EXCEPTION_LISTS));
            }
            if (random.nextInt(3) == 0) {
                map.put("ignore-exceptions", pick(random, EXCEPTION_LISTS));
            }
            if (random.nextInt(4) == 0) {
                // some keys in the default template instead; the instance's own keys still win over it
                Map<String, String> layered = new LinkedHashMap<>();
                map.forEach((key, value) -> {
                    int where = random.nextInt(3);
                    if (where != 0) {
                        layered.put(SameKeys.TEMPLATE + key, where == 1 ? value : decoy(key));
                    }
                    if (where != 1) {
                        layered.put(key, value);
                    }
                });
                map = layered;
            }
            keys = new SameKeys(map);

            int count = 150 + random.nextInt(250);
            int failurePercent = pick(random, 0, 10, 30, 50, 70, 95);
            int slowPercent = pick(random, 0, 10, 40, 90);
            for (int i = 0; i < count; i++) {
                int kind = random.nextInt(100);
                if (kind < 45) {
                    boolean success = random.nextInt(100) >= failurePercent;
                    steps.add(new Call(success, duration(random, slowNanos, slowPercent), random.nextInt(FAILURES.length)));
                } else if (kind < 55) {
                    steps.add(new Start());
                } else if (kind < 65) {
                    int outcome = random.nextInt(10) < 2 ? 2 : random.nextInt(100) >= failurePercent ? 0 : 1;
                    steps.add(new Finish(random.nextInt(4), outcome, duration(random, slowNanos, slowPercent),
                            random.nextInt(FAILURES.length)));
                } else if (kind < 90) {
                    steps.add(new Advance(advance(random, waitNanos, timeBased)));
                } else if (kind < 98) {
                    steps.add(new Transition(pick(random, CircuitBreaker.State.values())));
                } else if (!automatic) {
                    steps.add(new Reset());
                }
            }
        }

        /** Another valid value of the key, for a template that the instance's own value must win over. */
        private static String decoy(String key) {
            return switch (key) {
                case "sliding-window-type" -> "TIME_BASED";
                case "failure-rate-threshold", "slow-call-rate-threshold" -> "42";
                case "slow-call-duration-threshold", "wait-duration-in-open-state" -> "3ms";
                case "automatic-transition-from-open-to-half-open-enabled" -> "true";
                case "record-exceptions", "ignore-exceptions" -> "java.lang.IllegalStateException";
                default -> "3";
            };
        }

        private static String threshold(Random random) {
            return pick(random, "1", "10", "20", "25", "33.3", "50", "60", "66.67", "75", "80", "99.9", "100",
                    String.valueOf(1 + random.nextInt(100)));
        }

        private static long duration(Random random, long slowNanos, int slowPercent) {
            if (random.nextInt(100) < slowPercent) {
                return pick(random, slowNanos, slowNanos + 1, slowNanos * 2, slowNanos + 1_000_000);
            }
            return pick(random, 0L, 1L, slowNanos / 2, slowNanos - 1, slowNanos);
        }

        private static long advance(Random random, long waitNanos, boolean timeBased) {
            long second = 1_000_000_000L;
            return timeBased && random.nextBoolean()
                    ? pick(random, second, second / 2, second - 1, 1L, 3 * second)
                    : pick(random, waitNanos, waitNanos - 1, 1L, waitNanos / 2 + 1, 1_000_000L, second, waitNanos + 1);
        }

        @Override
        public Object settings() {
            return keys;
        }

        @Override
        public List<Step> steps() {
            return steps;
        }

        @Override
        public String run(List<Step> toRun) {
            return new Pair(keys).run(toRun);
        }
    }

    // ------------------------------------------------------------------ the two breakers side by side

    private static final class Pair {

        private final ParityTime time = new ParityTime();
        private final CircuitBreaker ours;
        private final io.github.resilience4j.circuitbreaker.CircuitBreaker theirs;
        private final List<String> ourTransitions = new ArrayList<>();
        private final List<String> theirTransitions = new ArrayList<>();
        private final List<Boolean> inFlight = new ArrayList<>();
        /** Resilience4j's OPEN after FORCED_OPEN or DISABLED keeps a window without room: an outcome there throws. */
        private boolean theirOpenWindowHasNoRoom;

        Pair(SameKeys keys) {
            ours = new LocalCircuitBreaker(SameKeys.NAME, keys.ourCircuitBreaker(), time.ticker, time.scheduler);
            ours.addListener(new CircuitBreakerListener() {
                @Override
                public void onStateTransition(CircuitBreaker breaker, CircuitBreaker.State from, CircuitBreaker.State to) {
                    if (from != to) {
                        ourTransitions.add(from + "->" + to);
                    }
                }
            });
            SchedulerFactory schedulers = mock(SchedulerFactory.class);
            when(schedulers.getScheduler()).thenReturn(time.executor);
            theirs = new CircuitBreakerStateMachine(SameKeys.NAME,
                    io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.from(keys.theirCircuitBreaker())
                            .clock(time.clock).build(), schedulers);
            theirs.getEventPublisher().onStateTransition(event -> theirTransitions.add(
                    event.getStateTransition().getFromState() + "->" + event.getStateTransition().getToState()));
        }

        String run(List<Step> steps) {
            String mismatch = compare("at the start");
            for (int index = 0; index < steps.size() && mismatch == null; index++) {
                Step step = steps.get(index);
                String decision;
                try {
                    decision = apply(step);
                } catch (RuntimeException unexpected) {
                    return "step " + (index + 1) + " (" + step + ") threw " + unexpected;
                }
                mismatch = decision != null ? "step " + (index + 1) + " (" + step + "): " + decision
                        : compare("after step " + (index + 1) + " (" + step + ")");
            }
            return mismatch;
        }

        /** Applies the step on both sides; a difference in the decision, or null. */
        private String apply(Step step) {
            CircuitBreaker.State before = ours.getState();
            if (step instanceof Call call) {
                boolean our = ours.tryAcquirePermission();
                boolean their = theirs.tryAcquirePermission();
                if (our != their) {
                    return "permitted here " + our + ", by Resilience4j " + their;
                }
                if (our) {
                    report(call.success ? 0 : 1, call.durationNanos, call.failure);
                }
            } else if (step instanceof Start) {
                boolean our = ours.tryAcquirePermission();
                boolean their = theirs.tryAcquirePermission();
                if (our != their) {
                    return "permitted here " + our + ", by Resilience4j " + their;
                }
                if (our) {
                    inFlight.add(Boolean.TRUE);
                }
            } else if (step instanceof Finish finish) {
                if (!inFlight.isEmpty()) {
                    inFlight.remove(finish.which % inFlight.size());
                    int outcome = finish.outcome;
                    if (outcome != 2 && theirOpenWindowHasNoRoom && ours.getState() == CircuitBreaker.State.OPEN) {
                        outcome = 2;
                    }
                    report(outcome, finish.durationNanos, finish.failure);
                }
            } else if (step instanceof Advance advance) {
                time.advance(Duration.ofNanos(advance.nanos));
            } else if (step instanceof Transition transition) {
                CircuitBreaker.State target = transition.target;
                if (before == CircuitBreaker.State.CLOSED && target == CircuitBreaker.State.HALF_OPEN) {
                    return null;
                }
                ours.transitionTo(target);
                switch (target) {
                    case CLOSED -> theirs.transitionToClosedState();
                    case OPEN -> theirs.transitionToOpenState();
                    case HALF_OPEN -> theirs.transitionToHalfOpenState();
                    case FORCED_OPEN -> theirs.transitionToForcedOpenState();
                    case DISABLED -> theirs.transitionToDisabledState();
                }
                if (target == CircuitBreaker.State.OPEN) {
                    // OPEN after OPEN keeps the window it had
                    theirOpenWindowHasNoRoom = before == CircuitBreaker.State.FORCED_OPEN
                            || before == CircuitBreaker.State.DISABLED
                            || before == CircuitBreaker.State.OPEN && theirOpenWindowHasNoRoom;
                }
            } else if (step instanceof Reset) {
                ours.reset();
                theirs.reset();
            }
            if (ours.getState() != CircuitBreaker.State.OPEN) {
                theirOpenWindowHasNoRoom = false;
            }
            return null;
        }

        private void report(int outcome, long durationNanos, int failure) {
            switch (outcome) {
                case 0 -> {
                    ours.onSuccess(durationNanos);
                    theirs.onSuccess(durationNanos, TimeUnit.NANOSECONDS);
                }
                case 1 -> {
                    ours.onError(durationNanos, FAILURES[failure]);
                    theirs.onError(durationNanos, TimeUnit.NANOSECONDS, FAILURES[failure]);
                }
                default -> {
                    ours.releasePermission();
                    theirs.releasePermission();
                }
            }
        }

        private String compare(String when) {
            String our = describe(ours.getState().name(), ours.getMetrics());
            io.github.resilience4j.circuitbreaker.CircuitBreaker.Metrics metrics = theirs.getMetrics();
            String their = theirs.getState().name() + " failureRate=" + metrics.getFailureRate()
                    + " slowCallRate=" + metrics.getSlowCallRate() + " buffered=" + metrics.getNumberOfBufferedCalls()
                    + " failed=" + metrics.getNumberOfFailedCalls() + " slow=" + metrics.getNumberOfSlowCalls()
                    + " successful=" + metrics.getNumberOfSuccessfulCalls()
                    + " notPermitted=" + metrics.getNumberOfNotPermittedCalls();
            if (!our.equals(their)) {
                return when + ": here " + our + ", Resilience4j " + their;
            }
            if (!Objects.equals(ourTransitions, theirTransitions)) {
                return when + ": transitions here " + ourTransitions + ", Resilience4j " + theirTransitions;
            }
            return null;
        }

        private static String describe(String state, CircuitBreakerMetrics metrics) {
            return state + " failureRate=" + metrics.failureRate() + " slowCallRate=" + metrics.slowCallRate()
                    + " buffered=" + metrics.bufferedCalls() + " failed=" + metrics.failedCalls()
                    + " slow=" + metrics.slowCalls() + " successful=" + metrics.successfulCalls()
                    + " notPermitted=" + metrics.notPermittedCalls();
        }
    }
}

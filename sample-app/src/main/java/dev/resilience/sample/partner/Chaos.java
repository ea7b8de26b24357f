package dev.resilience.sample.partner;

import java.time.Duration;

/**
 * How the partner misbehaves: each call first waits {@code latency}, plus {@code latencyPerConcurrentCall} for each
 * call the partner is serving when it arrives (itself included: an overloaded partner slows down in proportion to
 * its load), then fails with {@code status} with probability {@code failureRate}.
 *
 * @param failureRate              the share of calls that fail, from 0 (none) to 1 (all)
 * @param status                   the HTTP status of a failed call, 400 to 599
 * @param latency                  how long every call waits before it answers, zero or positive
 * @param latencyPerConcurrentCall the further wait for each call being served at once, zero or positive
 */
public record Chaos(double failureRate, int status, Duration latency, Duration latencyPerConcurrentCall) {

    /** A healthy partner: no failure, no latency. */
    public static final Chaos NONE = new Chaos(0.0, 500, Duration.ZERO, Duration.ZERO);

    public Chaos {
        if (!(failureRate >= 0.0 && failureRate <= 1.0)) {
            throw new InvalidChaosException("failureRate must be between 0 and 1, was " + failureRate);
        }
        if (status < 400 || status > 599) {
            throw new InvalidChaosException("status must be an HTTP error status from 400 to 599, was " + status);
        }
        if (latency == null || latency.isNegative()) {
            throw new InvalidChaosException("latency must be zero or positive, was " + latency);
        }
        if (latencyPerConcurrentCall == null || latencyPerConcurrentCall.isNegative()) {
            throw new InvalidChaosException("latencyPerConcurrentCall must be zero or positive, was "
                    + latencyPerConcurrentCall);
        }
    }

    /** The wait of a call that arrives while {@code concurrentCalls} calls (itself included) are being served. */
    public Duration latencyAt(int concurrentCalls) {
        return latency.plus(latencyPerConcurrentCall.multipliedBy(concurrentCalls));
    }

    /** Whether a call fails, given a random number drawn uniformly from [0, 1). */
    boolean fails(double random) {
        return random < failureRate;
    }
}

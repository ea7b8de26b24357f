package dev.resilience.core.circuitbreaker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Writes down everything a breaker tells it; thread-safe. */
final class RecordingListener implements CircuitBreakerListener {

    final List<String> transitions = Collections.synchronizedList(new ArrayList<>());
    final List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
    final List<Throwable> ignored = Collections.synchronizedList(new ArrayList<>());
    final List<Long> durations = Collections.synchronizedList(new ArrayList<>());
    final AtomicLong successes = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong ignoredCount = new AtomicLong();
    final AtomicLong notPermitted = new AtomicLong();
    final AtomicLong resets = new AtomicLong();

    @Override
    public void onStateTransition(CircuitBreaker circuitBreaker, CircuitBreaker.State from, CircuitBreaker.State to) {
        transitions.add(from + "->" + to);
    }

    @Override
    public void onSuccess(CircuitBreaker circuitBreaker, long durationNanos) {
        successes.incrementAndGet();
        durations.add(durationNanos);
    }

    @Override
    public void onError(CircuitBreaker circuitBreaker, long durationNanos, Throwable error) {
        failures.incrementAndGet();
        errors.add(error);
        durations.add(durationNanos);
    }

    @Override
    public void onIgnoredError(CircuitBreaker circuitBreaker, long durationNanos, Throwable error) {
        ignoredCount.incrementAndGet();
        ignored.add(error);
    }

    @Override
    public void onCallNotPermitted(CircuitBreaker circuitBreaker) {
        notPermitted.incrementAndGet();
    }

    @Override
    public void onReset(CircuitBreaker circuitBreaker) {
        resets.incrementAndGet();
        transitions.add("reset");
    }
}

package dev.resilience.actuate;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerListener;

/**
 * Keeps the most recent events of one circuit breaker in a ring of fixed size: state transitions, resets,
 * failures, ignored failures and refused calls. Successful calls are not kept, so that the buffer shows what
 * needs attention rather than being flushed by healthy traffic.
 *
 * <p>Adding is lock-free (one atomic increment and one slot write); an event is allocated only for the outcomes
 * above, never for a success.
 */
public final class CircuitBreakerEventBuffer implements CircuitBreakerListener {

    private final int capacity;
    private final Clock clock;
    private final AtomicReferenceArray<Entry> slots;
    private final AtomicLong sequence = new AtomicLong();

    /**
     * @param capacity the events kept, at least 1; older ones are dropped
     * @param clock    the time stamped on each event
     */
    public CircuitBreakerEventBuffer(int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.slots = new AtomicReferenceArray<>(capacity);
    }

    public int capacity() {
        return capacity;
    }

    /** The kept events, oldest first, newest last. */
    public List<CircuitBreakerEvent> events() {
        long end = sequence.get();
        long start = Math.max(0, end - capacity);
        List<Entry> entries = new ArrayList<>(capacity);
        for (int i = 0; i < capacity; i++) {
            Entry entry = slots.get(i);
            // an entry overwritten or added while reading may fall outside [start, end): leave it out
            if (entry != null && entry.sequence >= start && entry.sequence < end) {
                entries.add(entry);
            }
        }
        entries.sort(Comparator.comparingLong(Entry::sequence));
        List<CircuitBreakerEvent> events = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            events.add(entry.event);
        }
        return events;
    }

    @Override
    public void onStateTransition(CircuitBreaker circuitBreaker, CircuitBreaker.State from, CircuitBreaker.State to) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("from", from.name());
        details.put("to", to.name());
        add(CircuitBreakerEvent.Type.STATE_TRANSITION, details);
    }

    @Override
    public void onReset(CircuitBreaker circuitBreaker) {
        add(CircuitBreakerEvent.Type.RESET, Map.of());
    }

    @Override
    public void onError(CircuitBreaker circuitBreaker, long durationNanos, Throwable error) {
        add(CircuitBreakerEvent.Type.ERROR, failure(durationNanos, error));
    }

    @Override
    public void onIgnoredError(CircuitBreaker circuitBreaker, long durationNanos, Throwable error) {
        add(CircuitBreakerEvent.Type.IGNORED_ERROR, failure(durationNanos, error));
    }

    @Override
    public void onCallNotPermitted(CircuitBreaker circuitBreaker) {
        add(CircuitBreakerEvent.Type.NOT_PERMITTED, Map.of("state", circuitBreaker.getState().name()));
    }

    private static Map<String, Object> failure(long durationNanos, Throwable error) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("exception", error.getClass().getName());
        details.put("message", error.getMessage());
        details.put("duration", Duration.ofNanos(durationNanos).toString());
        return details;
    }

    private void add(CircuitBreakerEvent.Type type, Map<String, Object> details) {
        CircuitBreakerEvent event = new CircuitBreakerEvent(clock.instant(), type, details);
        long next = sequence.getAndIncrement();
        slots.set((int) (next % capacity), new Entry(next, event));
    }

    private record Entry(long sequence, CircuitBreakerEvent event) {
    }
}

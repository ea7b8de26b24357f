package dev.resilience.dashboard;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import dev.resilience.core.Durations;
import dev.resilience.core.Policy;
import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.circuitbreaker.CircuitBreakerListener;
import dev.resilience.core.circuitbreaker.CircuitBreakerMetrics;

/**
 * A circuit breaker: its state, the rates of its window, and, heard from its listener, every call's outcome and
 * duration (the window's figures restart with each state, the live view's counters do not). Transitions are told
 * as events the moment they happen.
 */
final class CircuitBreakerTrack extends Track implements CircuitBreakerListener {

    static final String KIND = "circuitbreaker";

    static final String SUCCESSFUL = "successful";
    static final String FAILED = "failed";
    static final String IGNORED = "ignored";
    static final String NOT_PERMITTED = "notPermitted";
    static final String SLOW = "slow";

    private static final List<Counter> COUNTERS = List.of(
            Counter.calls(SUCCESSFUL),
            Counter.bad(FAILED, "calls fail", "no more failures"),
            Counter.calls(IGNORED),
            new Counter(NOT_PERMITTED, true, true, false, null, null),
            Counter.other(SLOW));

    private final CircuitBreaker circuitBreaker;
    private final EventLog events;
    private final long slowNanos;
    private final LongAdder successful = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder ignored = new LongAdder();
    private final LongAdder notPermitted = new LongAdder();
    private final LongAdder slow = new LongAdder();
    private final LatencyHistogram latency = new LatencyHistogram();
    private volatile Throwable lastError;

    CircuitBreakerTrack(CircuitBreaker circuitBreaker, EventLog events) {
        super(KIND, circuitBreaker.getName());
        this.circuitBreaker = circuitBreaker;
        this.events = events;
        this.slowNanos = Durations.saturatedNanos(circuitBreaker.getConfig().slowCallDurationThreshold());
        circuitBreaker.addListener(this);
    }

    @Override
    List<Counter> counters() {
        return COUNTERS;
    }

    @Override
    void readCounters(long[] into) {
        into[0] = successful.sum();
        into[1] = failed.sum();
        into[2] = ignored.sum();
        into[3] = notPermitted.sum();
        into[4] = slow.sum();
    }

    @Override
    String state() {
        return circuitBreaker.getState().name();
    }

    /** Transitions are told by the breaker itself, as they happen. */
    @Override
    boolean watchesState() {
        return false;
    }

    @Override
    void gauges(Map<String, Object> into) {
        CircuitBreakerMetrics metrics = circuitBreaker.getMetrics();
        CircuitBreakerConfig config = circuitBreaker.getConfig();
        into.put("failureRate", metrics.failureRate());
        into.put("slowCallRate", metrics.slowCallRate());
        into.put("bufferedCalls", metrics.bufferedCalls());
        into.put("failedCalls", metrics.failedCalls());
        into.put("slowCalls", metrics.slowCalls());
        into.put("notPermittedCalls", metrics.notPermittedCalls());
        into.put("failureRateThreshold", config.failureRateThreshold());
        into.put("slowCallRateThreshold", config.slowCallRateThreshold());
        into.put("minimumNumberOfCalls", config.minimumNumberOfCalls());
        into.put("remainingOpenMillis", circuitBreaker.getRemainingOpenDuration().map(Duration::toMillis).orElse(-1L));
    }

    @Override
    LatencyHistogram latency() {
        return latency;
    }

    @Override
    String detail(Counter counter) {
        Throwable error = lastError;
        return error == null ? "" : ": " + describe(error);
    }

    @Override
    Policy policy() {
        return circuitBreaker;
    }

    CircuitBreaker circuitBreaker() {
        return circuitBreaker;
    }

    // the listener: on the thread of each call, one or two adder increments and a histogram bucket

    @Override
    public void onSuccess(CircuitBreaker breaker, long durationNanos) {
        successful.increment();
        measured(durationNanos);
    }

    @Override
    public void onError(CircuitBreaker breaker, long durationNanos, Throwable error) {
        failed.increment();
        lastError = error;
        measured(durationNanos);
    }

    @Override
    public void onIgnoredError(CircuitBreaker breaker, long durationNanos, Throwable error) {
        ignored.increment();
    }

    @Override
    public void onCallNotPermitted(CircuitBreaker breaker) {
        notPermitted.increment();
    }

    @Override
    public void onStateTransition(CircuitBreaker breaker, CircuitBreaker.State from, CircuitBreaker.State to) {
        String change = from == to ? to + " again, with an empty window" : from + " \u2192 " + to;
        events.add(KIND, name(), level(to), change + ": " + meaning(breaker, to));
    }

    @Override
    public void onReset(CircuitBreaker breaker) {
        events.add(KIND, name(), EventLog.Level.INFO, "reset: CLOSED with an empty window");
    }

    private void measured(long durationNanos) {
        if (durationNanos > slowNanos) { // longer than the threshold, as the breaker itself counts
            slow.increment();
        }
        latency.record(durationNanos);
    }

    private static EventLog.Level level(CircuitBreaker.State state) {
        return switch (state) {
            case OPEN, FORCED_OPEN -> EventLog.Level.BAD;
            case HALF_OPEN -> EventLog.Level.WARN;
            case CLOSED -> EventLog.Level.GOOD;
            case DISABLED -> EventLog.Level.INFO;
        };
    }

    private static String meaning(CircuitBreaker breaker, CircuitBreaker.State to) {
        CircuitBreakerConfig config = breaker.getConfig();
        return switch (to) {
            case OPEN -> {
                CircuitBreakerMetrics metrics = breaker.getMetrics();
                String why = metrics.failureRate() >= config.failureRateThreshold()
                        ? " (failure rate " + percent(metrics.failureRate()) + ")"
                        : metrics.slowCallRate() >= config.slowCallRateThreshold()
                                ? " (slow calls " + percent(metrics.slowCallRate()) + ")" : "";
                yield "calls are refused for " + Words.duration(config.waitDurationInOpenState()) + why;
            }
            case HALF_OPEN -> config.permittedNumberOfCallsInHalfOpenState() + " trial calls decide";
            case CLOSED -> "calls flow";
            case FORCED_OPEN -> "every call is refused until changed by hand";
            case DISABLED -> "every call is let through, nothing is recorded";
        };
    }

    private static String percent(float rate) {
        return Math.round(rate) + "%";
    }

    /** The exception in one short line: its simple class name and the start of its message. */
    static String describe(Throwable error) {
        String message = error.getMessage() == null ? "" : error.getMessage().strip().replaceAll("\\s+", " ");
        String text = error.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
        return text.length() > 120 ? text.substring(0, 119) + "\u2026" : text;
    }
}

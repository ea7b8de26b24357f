package dev.resilience.actuate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerListener;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;

/**
 * The circuit breaker meters, tagged {@code name}:
 * <ul>
 * <li>{@code resilience.circuitbreaker.calls}, a timer of the protected calls' durations, tagged {@code kind}
 * {@code successful}, {@code failed}, {@code ignored} or {@code not_permitted} (a refused call is recorded with a
 * duration of zero); all four exist from the start, at zero;</li>
 * <li>{@code resilience.circuitbreaker.state}, one gauge per {@code state} (lower case: {@code closed},
 * {@code open}, {@code half_open}, {@code forced_open}, {@code disabled}), 1 for the current state, 0 for the
 * others;</li>
 * <li>{@code resilience.circuitbreaker.failure.rate} and {@code resilience.circuitbreaker.slow.call.rate}, in
 * percent, -1 while the window holds too few calls.</li>
 * </ul>
 */
public class CircuitBreakerMeterBinder extends InstanceMeterBinder<CircuitBreaker> {

    public static final String CALLS = "resilience.circuitbreaker.calls";
    public static final String STATE = "resilience.circuitbreaker.state";
    public static final String FAILURE_RATE = "resilience.circuitbreaker.failure.rate";
    public static final String SLOW_CALL_RATE = "resilience.circuitbreaker.slow.call.rate";

    public CircuitBreakerMeterBinder(CircuitBreakerRegistry registry) {
        super(registry);
    }

    @Override
    protected List<Meter> register(CircuitBreaker circuitBreaker, MeterRegistry registry) {
        Tags tags = Tags.of(NAME_TAG, circuitBreaker.getName());
        List<Meter> meters = new ArrayList<>();
        Timer successful = callTimer("successful", "Calls that succeeded", tags, registry);
        Timer failed = callTimer("failed", "Calls that failed with an exception that counts as a failure", tags,
                registry);
        Timer ignored = callTimer("ignored", "Calls that failed with an ignored exception", tags, registry);
        Timer notPermitted = callTimer("not_permitted", "Calls that were refused", tags, registry);
        meters.addAll(List.of(successful, failed, ignored, notPermitted));
        for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
            meters.add(Gauge.builder(STATE, circuitBreaker, breaker -> breaker.getState() == state ? 1 : 0)
                    .description("1 for the current state of the circuit breaker, 0 otherwise")
                    .tags(tags).tag("state", state.name().toLowerCase(Locale.ROOT))
                    .strongReference(true)
                    .register(registry));
        }
        meters.add(Gauge.builder(FAILURE_RATE, circuitBreaker, breaker -> breaker.getMetrics().failureRate())
                .description("Percent of the buffered calls that failed, -1 while too few calls were recorded")
                .baseUnit("percent").tags(tags).strongReference(true).register(registry));
        meters.add(Gauge.builder(SLOW_CALL_RATE, circuitBreaker, breaker -> breaker.getMetrics().slowCallRate())
                .description("Percent of the buffered calls that were slow, -1 while too few calls were recorded")
                .baseUnit("percent").tags(tags).strongReference(true).register(registry));
        circuitBreaker.addListener(new CallRecorder(successful, failed, ignored, notPermitted));
        return meters;
    }

    private static Timer callTimer(String kind, String description, Tags tags, MeterRegistry registry) {
        return Timer.builder(CALLS).description(description).tags(tags).tag(KIND_TAG, kind).register(registry);
    }

    /** Records each call in the timer of its outcome; holds the timers so that nothing is looked up per call. */
    private static final class CallRecorder implements CircuitBreakerListener {

        private final Timer successful;
        private final Timer failed;
        private final Timer ignored;
        private final Timer notPermitted;

        CallRecorder(Timer successful, Timer failed, Timer ignored, Timer notPermitted) {
            this.successful = successful;
            this.failed = failed;
            this.ignored = ignored;
            this.notPermitted = notPermitted;
        }

        @Override
        public void onSuccess(CircuitBreaker circuitBreaker, long durationNanos) {
            successful.record(durationNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void onError(CircuitBreaker circuitBreaker, long durationNanos, Throwable error) {
            failed.record(durationNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void onIgnoredError(CircuitBreaker circuitBreaker, long durationNanos, Throwable error) {
            ignored.record(durationNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void onCallNotPermitted(CircuitBreaker circuitBreaker) {
            notPermitted.record(0, TimeUnit.NANOSECONDS);
        }
    }
}

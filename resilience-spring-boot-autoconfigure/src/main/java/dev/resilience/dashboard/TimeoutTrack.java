package dev.resilience.dashboard;

import java.util.List;
import java.util.Map;

import dev.resilience.core.Policy;
import dev.resilience.core.timeout.Timeout;
import dev.resilience.core.timeout.TimeoutMetrics;

/** A timeout: how its calls ended, read from its own counts (each call once). */
final class TimeoutTrack extends Track {

    static final String KIND = "timeout";

    static final String SUCCESSFUL = "successful";
    static final String FAILED = "failed";
    static final String TIMED_OUT = "timedOut";

    private final Timeout timeout;
    private final List<Counter> counters;

    TimeoutTrack(Timeout timeout) {
        super(KIND, timeout.getName());
        this.timeout = timeout;
        this.counters = List.of(
                Counter.calls(SUCCESSFUL),
                Counter.calls(FAILED),
                Counter.bad(TIMED_OUT, "calls time out after " + Words.duration(timeout.getConfig().timeoutDuration()),
                        "no more timeouts"));
    }

    @Override
    List<Counter> counters() {
        return counters;
    }

    @Override
    void readCounters(long[] into) {
        TimeoutMetrics metrics = timeout.getMetrics();
        into[0] = metrics.successfulCalls();
        into[1] = metrics.failedCalls();
        into[2] = metrics.timedOutCalls();
    }

    @Override
    void gauges(Map<String, Object> into) {
        into.put("timeoutMillis", timeout.getConfig().timeoutDuration().toMillis());
    }

    @Override
    Policy policy() {
        return timeout;
    }

    Timeout timeout() {
        return timeout;
    }
}

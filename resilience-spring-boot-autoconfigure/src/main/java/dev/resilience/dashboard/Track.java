package dev.resilience.dashboard;

import java.util.List;
import java.util.Map;

import dev.resilience.core.Policy;

/**
 * What the live view reads of one policy instance at each tick: counters that only grow (the view subtracts two
 * readings to get the calls in between), the current state and gauges, and, where the policy reports durations, a
 * {@link LatencyHistogram}. One subclass per kind the view knows, and {@link GenericTrack} for any other kind, so that
 * a kind added later shows up without a change here.
 *
 * <p>Reading happens on the view's own thread; whatever a subclass records per call (listeners) must be as cheap as
 * one {@link java.util.concurrent.atomic.LongAdder} increment.
 */
abstract class Track {

    /**
     * One counter of a kind.
     *
     * @param name      its name in the frames ({@code failed}, {@code rejected}, …)
     * @param call      whether it counts calls: the calls per second of an instance add up every such counter, so
     *                  each call must count in exactly one of them
     * @param rejection whether it counts calls the policy turned away
     * @param bad       whether it counts calls that went wrong: drawn red in the sparkline, and an event when such
     *                  calls start and when they stop
     * @param started   the event text when bad calls start (after a window without any), or {@code null}
     * @param stopped   the event text when a whole window passed without one, or {@code null}
     */
    record Counter(String name, boolean call, boolean rejection, boolean bad, String started, String stopped) {

        static Counter calls(String name) {
            return new Counter(name, true, false, false, null, null);
        }

        static Counter other(String name) {
            return new Counter(name, false, false, false, null, null);
        }

        static Counter rejections(String name, String started, String stopped) {
            return new Counter(name, true, true, true, started, stopped);
        }

        static Counter bad(String name, String started, String stopped) {
            return new Counter(name, true, false, true, started, stopped);
        }
    }

    private final String kind;
    private final String name;

    Track(String kind, String name) {
        this.kind = kind;
        this.name = name;
    }

    /** The kind, as in the settings: {@code circuitbreaker}, {@code retry}, {@code timeout}, {@code bulkhead}, … */
    final String kind() {
        return kind;
    }

    final String name() {
        return name;
    }

    /** The counters of this kind, always the same list for one instance. */
    abstract List<Counter> counters();

    /** Reads every counter, in the order of {@link #counters()}. */
    abstract void readCounters(long[] into);

    /** The current state in words ({@code CLOSED}, {@code OPEN}, …), or {@code null} for a kind without states. */
    String state() {
        return null;
    }

    /**
     * Whether the view tells a change of {@link #state()} between two ticks as an event; {@code false} for a kind
     * that tells its transitions itself, as they happen.
     */
    boolean watchesState() {
        return true;
    }

    /** Adds the current gauges (numbers that go up and down) and settings worth seeing, in display order. */
    void gauges(Map<String, Object> into) {
    }

    /** The durations of the calls, or {@code null} when this kind does not learn them. */
    LatencyHistogram latency() {
        return null;
    }

    /**
     * What the text of a {@link Counter#started()} event adds, for example the last failure; {@code ""} when
     * nothing.
     */
    String detail(Counter counter) {
        return "";
    }

    /** The text of the event when the state changed from {@code from} to {@code to} between two ticks. */
    String stateChange(String from, String to) {
        return from + " \u2192 " + to;
    }

    /**
     * Called on the view's thread once per tick, after {@link #readCounters}: for a kind that keeps a gauge over the
     * window (the most calls in a bulkhead at once). Does nothing by default.
     */
    void ticked() {
    }

    /** The policy instance, for the formats that show its settings. */
    abstract Policy policy();
}

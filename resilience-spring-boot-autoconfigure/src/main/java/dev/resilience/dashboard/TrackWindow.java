package dev.resilience.dashboard;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The readings of one {@link Track} at the last ticks, so that each tick can say what happened in the window (the
 * last {@code windowTicks} intervals) and in the last interval, and the sparkline's points over the history. Bounded:
 * a ring of {@code windowTicks + 1} readings and one of {@code historyPoints} points, whatever the traffic.
 *
 * <p>Created on whichever thread creates the instance, with a first reading; used afterwards on the view's thread
 * only.
 */
final class TrackWindow {

    private final Track track;
    private final List<Track.Counter> counters;
    private final int capacity;
    private final long[][] counts;
    private final long[] times;
    private final long[][] latencyCounts;
    private final long[] latencyTotals;
    /** The longest call of the interval that ended at each reading. */
    private final long[] latencyMax;
    private int newest;
    private int size;

    private final float[] sparkCalls;
    private final float[] sparkBad;
    private int sparkNewest = -1;
    private int sparkSize;

    /** Per counter that tells events: whether its calls are going on, and its count when they started. */
    private final boolean[] active;
    private final long[] activeFrom;
    private String lastState;

    TrackWindow(Track track, int windowTicks, int historyPoints, long nowNanos) {
        this.track = track;
        this.counters = track.counters();
        this.capacity = windowTicks + 1;
        this.counts = new long[capacity][counters.size()];
        this.times = new long[capacity];
        boolean measured = track.latency() != null;
        this.latencyCounts = measured ? new long[capacity][LatencyHistogram.BUCKETS] : null;
        this.latencyTotals = measured ? new long[capacity] : null;
        this.latencyMax = measured ? new long[capacity] : null;
        this.sparkCalls = new float[historyPoints];
        this.sparkBad = new float[historyPoints];
        this.active = new boolean[counters.size()];
        this.activeFrom = new long[counters.size()];
        read(0, nowNanos);
        size = 1;
        lastState = track.state();
    }

    Track track() {
        return track;
    }

    /**
     * Takes a reading at {@code nowNanos} and answers the figures of the window that ends there; tells {@code events}
     * what started or stopped since the previous tick.
     */
    Figures advance(long nowNanos, EventLog events, Duration window) {
        int previous = newest;
        newest = (newest + 1) % capacity;
        read(newest, nowNanos);
        size = Math.min(size + 1, capacity);
        int oldest = size < capacity ? 0 : (newest + 1) % capacity;
        track.ticked();

        long windowNanos = Math.max(1, nowNanos - times[oldest]);
        long intervalNanos = Math.max(1, nowNanos - times[previous]);
        int n = counters.size();
        long[] windowCounts = new long[n];
        double[] rates = new double[n];
        long calls = 0;
        long rejections = 0;
        long bad = 0;
        long lastCalls = 0;
        long lastBad = 0;
        for (int i = 0; i < n; i++) {
            Track.Counter counter = counters.get(i);
            long inWindow = Math.max(0, counts[newest][i] - counts[oldest][i]);
            long inInterval = Math.max(0, counts[newest][i] - counts[previous][i]);
            windowCounts[i] = inWindow;
            rates[i] = perSecond(inWindow, windowNanos);
            if (counter.call()) {
                calls += inWindow;
                lastCalls += inInterval;
            }
            if (counter.rejection()) {
                rejections += inWindow;
            }
            if (counter.bad()) {
                bad += inWindow;
                lastBad += inInterval;
            }
            tell(events, counter, i, inWindow, window);
        }
        String state = track.state();
        if (track.watchesState() && state != null && lastState != null && !state.equals(lastState)) {
            events.add(track.kind(), track.name(), EventLog.Level.INFO, track.stateChange(lastState, state));
        }
        lastState = state;

        sparkNewest = (sparkNewest + 1) % sparkCalls.length;
        sparkCalls[sparkNewest] = (float) perSecond(lastCalls, intervalNanos);
        sparkBad[sparkNewest] = (float) perSecond(lastBad, intervalNanos);
        sparkSize = Math.min(sparkSize + 1, sparkCalls.length);

        Map<String, Object> gauges = new LinkedHashMap<>();
        track.gauges(gauges);
        return new Figures(track, state, windowNanos, windowCounts, rates, perSecond(calls, windowNanos),
                perSecond(rejections, windowNanos), perSecond(bad, windowNanos), sparkCalls[sparkNewest],
                sparkBad[sparkNewest], gauges, latency(oldest));
    }

    /** The sparkline's calls per second, one point per interval, oldest first. */
    float[] sparkCalls() {
        return spark(sparkCalls);
    }

    /** The sparkline's calls that went wrong per second, one point per interval, oldest first. */
    float[] sparkBad() {
        return spark(sparkBad);
    }

    private float[] spark(float[] ring) {
        float[] points = new float[sparkSize];
        for (int i = 0; i < sparkSize; i++) {
            points[i] = ring[Math.floorMod(sparkNewest - sparkSize + 1 + i, ring.length)];
        }
        return points;
    }

    private void read(int slot, long nowNanos) {
        track.readCounters(counts[slot]);
        times[slot] = nowNanos;
        LatencyHistogram histogram = track.latency();
        if (histogram != null) {
            histogram.copyCounts(latencyCounts[slot]);
            latencyTotals[slot] = histogram.totalNanos();
            latencyMax[slot] = histogram.takeMax();
        }
    }

    private Figures.Latency latency(int oldest) {
        if (latencyCounts == null) {
            return null;
        }
        long[] inWindow = new long[LatencyHistogram.BUCKETS];
        long count = 0;
        for (int i = 0; i < inWindow.length; i++) {
            inWindow[i] = Math.max(0, latencyCounts[newest][i] - latencyCounts[oldest][i]);
            count += inWindow[i];
        }
        if (count == 0) {
            return Figures.Latency.NONE;
        }
        long max = 0;
        for (int slot = (oldest + 1) % capacity; ; slot = (slot + 1) % capacity) {
            max = Math.max(max, latencyMax[slot]);
            if (slot == newest) {
                break;
            }
        }
        double[] wanted = Figures.Latency.PERCENTILES;
        long[] percentiles = new long[wanted.length];
        for (int i = 0; i < wanted.length; i++) {
            percentiles[i] = LatencyHistogram.percentile(inWindow, count, wanted[i], max);
        }
        double mean = (double) (latencyTotals[newest] - latencyTotals[oldest]) / count;
        return new Figures.Latency(count, mean, percentiles, max);
    }

    private void tell(EventLog events, Track.Counter counter, int index, long inWindow, Duration window) {
        if (counter.started() == null) {
            return;
        }
        if (inWindow > 0 && !active[index]) {
            active[index] = true;
            activeFrom[index] = counts[newest][index] - inWindow;
            events.add(track.kind(), track.name(), counter.rejection() ? EventLog.Level.WARN : EventLog.Level.BAD,
                    counter.started() + track.detail(counter));
        }
        else if (inWindow == 0 && active[index]) {
            active[index] = false;
            long total = counts[newest][index] - activeFrom[index];
            events.add(track.kind(), track.name(), EventLog.Level.GOOD, counter.stopped() + " (" + total
                    + " in all, none for the last " + Words.duration(window) + ")");
        }
    }

    private static double perSecond(long count, long nanos) {
        return count * 1e9 / nanos;
    }
}

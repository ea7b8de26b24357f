package dev.resilience.dashboard;

import java.util.List;
import java.util.Map;

/**
 * What one tick read of one instance: the state, the rates over the window, the gauges and the latency. Immutable;
 * both streams are written from it.
 *
 * @param track        the instance's track
 * @param state        its state in words, or {@code null} for a kind without states
 * @param windowNanos  the time the window covers (shorter than the window while the view is young)
 * @param windowCounts per counter of the kind, the calls it counted in the window
 * @param rates        per counter, those calls per second
 * @param calls        calls per second over the window: every call, whatever became of it
 * @param rejections   calls turned away per second over the window
 * @param bad          calls that went wrong per second over the window (failed, timed out, turned away)
 * @param lastCalls    calls per second over the last interval alone: the newest point of the sparkline
 * @param lastBad      calls that went wrong per second over the last interval alone
 * @param gauges       current values and settings, in display order
 * @param latency      the durations over the window, or {@code null} when the kind does not learn them
 */
record Figures(Track track, String state, long windowNanos, long[] windowCounts, double[] rates, double calls,
        double rejections, double bad, double lastCalls, double lastBad, Map<String, Object> gauges,
        Latency latency) {

    String kind() {
        return track.kind();
    }

    String name() {
        return track.name();
    }

    /** The calls the counter of this name counted in the window; 0 for a name the kind does not have. */
    long windowCount(String counter) {
        List<Track.Counter> counters = track.counters();
        for (int i = 0; i < counters.size(); i++) {
            if (counters.get(i).name().equals(counter)) {
                return windowCounts[i];
            }
        }
        return 0;
    }

    /**
     * Call durations over a window, in nanoseconds.
     *
     * @param count       the calls measured
     * @param meanNanos   their mean duration
     * @param percentiles their durations at {@link #PERCENTILES}, in that order
     * @param maxNanos    the longest
     */
    record Latency(long count, double meanNanos, long[] percentiles, long maxNanos) {

        /** The percentiles every latency holds: those of Hystrix's stream. */
        static final double[] PERCENTILES = {0, 25, 50, 75, 90, 95, 99, 99.5, 100};

        static final Latency NONE = new Latency(0, 0, new long[PERCENTILES.length], 0);

        /** The duration at {@code percent}, one of {@link #PERCENTILES}. */
        long percentile(double percent) {
            for (int i = 0; i < PERCENTILES.length; i++) {
                if (PERCENTILES[i] == percent) {
                    return percentiles[i];
                }
            }
            throw new IllegalArgumentException("not a kept percentile: " + percent);
        }
    }
}

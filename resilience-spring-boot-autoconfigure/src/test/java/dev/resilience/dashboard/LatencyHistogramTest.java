package dev.resilience.dashboard;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencyHistogramTest {

    @Test
    void bucketsAreContiguousAndEachDurationFallsIntoItsOwn() {
        assertThat(LatencyHistogram.lowerBound(0)).isZero();
        for (int i = 0; i < LatencyHistogram.BUCKETS - 1; i++) {
            assertThat(LatencyHistogram.upperBound(i)).as("bucket %d", i).isGreaterThan(LatencyHistogram.lowerBound(i));
            assertThat(LatencyHistogram.bucket(LatencyHistogram.lowerBound(i))).as("lower bound of %d", i).isEqualTo(i);
            assertThat(LatencyHistogram.bucket(LatencyHistogram.upperBound(i) - 1)).as("end of %d", i).isEqualTo(i);
        }
        // four buckets to an octave: each at most a quarter wider than where it starts (past the first microseconds)
        for (int i = 8; i < LatencyHistogram.BUCKETS - 1; i++) {
            double width = LatencyHistogram.upperBound(i) - LatencyHistogram.lowerBound(i);
            assertThat(width / LatencyHistogram.lowerBound(i)).isLessThanOrEqualTo(0.25);
        }
        assertThat(LatencyHistogram.bucket(TimeUnit.HOURS.toNanos(5))).isEqualTo(LatencyHistogram.BUCKETS - 1);
        assertThat(LatencyHistogram.bucket(0)).isZero();
    }

    @Test
    void percentilesAreWithinTheBucketPrecisionAndTheMeanAndMaximumAreExact() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (int millis = 1; millis <= 1000; millis++) {
            histogram.record(TimeUnit.MILLISECONDS.toNanos(millis));
        }
        long[] counts = new long[LatencyHistogram.BUCKETS];
        histogram.copyCounts(counts);
        long max = histogram.takeMax();
        assertThat(max).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1000));
        assertThat(histogram.takeMax()).as("restarted").isZero();
        assertThat(histogram.totalNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(500_500));
        for (double percent : new double[] {25, 50, 90, 99, 99.5}) {
            double expected = TimeUnit.MILLISECONDS.toNanos((long) Math.ceil(percent * 10));
            assertThat((double) LatencyHistogram.percentile(counts, 1000, percent, max)).as("p%s", percent)
                    .isCloseTo(expected, within(expected * 0.12));
        }
        assertThat(LatencyHistogram.percentile(counts, 1000, 100, max)).isEqualTo(max);
        assertThat(LatencyHistogram.percentile(new long[LatencyHistogram.BUCKETS], 0, 50, 0)).isZero();
    }

    @Test
    void aPercentileNeverExceedsTheLongestCall() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(TimeUnit.MILLISECONDS.toNanos(10));
        long[] counts = new long[LatencyHistogram.BUCKETS];
        histogram.copyCounts(counts);
        assertThat(LatencyHistogram.percentile(counts, 1, 50, TimeUnit.MILLISECONDS.toNanos(10)))
                .isLessThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(10))
                .isGreaterThan(TimeUnit.MILLISECONDS.toNanos(8));
    }
}

package dev.resilience.parity;

import dev.resilience.core.bulkhead.BulkheadConfig;
import dev.resilience.core.bulkhead.SemaphoreBulkhead;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.resilience.parity.Scenarios.pick;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our semaphore bulkhead and Resilience4j 2.4.0's, built from the same yml keys, asked for permits and given them
 * back in the same seeded random order, some asks from an interrupted thread: after every step the decision and the
 * permits left must be the same. No step waits: with a {@code max-wait-duration} above zero a full bulkhead is only
 * asked from an interrupted thread (both refuse at once); waiting for a permit that another thread gives back is
 * covered by our own concurrency tests, and sub-millisecond waits differ on purpose (Resilience4j truncates them).
 */
class BulkheadParityTest {

    @Test
    void samePermitsAsResilience4j() {
        int steps = Scenarios.check("semaphore bulkhead", 400, BulkheadScenario::new);
        assertThat(steps).isGreaterThan(400 * 100);
    }

    /** {@code acquire}: ask for a permit (from an interrupted thread when {@code interrupted}); otherwise give one back. */
    record Step(boolean acquire, boolean interrupted) {
        @Override
        public String toString() {
            return acquire ? "ask for a permit" + (interrupted ? " from an interrupted thread" : "")
                    : "give a permit back";
        }
    }

    static final class BulkheadScenario implements Scenarios.Scenario<Step> {

        private final SameKeys keys;
        private final List<Step> steps = new ArrayList<>();

        BulkheadScenario(Random random) {
            Map<String, String> map = new LinkedHashMap<>();
            if (random.nextInt(6) != 0) {
                map.put("max-concurrent-calls", String.valueOf(1 + random.nextInt(10)));
            }
            if (random.nextBoolean()) {
                map.put("max-wait-duration", pick(random, "0", "0ms", "1ms", "250ms", "1s"));
            }
            keys = new SameKeys(map);
            int count = 100 + random.nextInt(300);
            int acquirePercent = pick(random, 40, 50, 60, 75);
            for (int i = 0; i < count; i++) {
                steps.add(new Step(random.nextInt(100) < acquirePercent, random.nextInt(10) == 0));
            }
        }

        @Override
        public Object settings() {
            return keys;
        }

        @Override
        public List<Step> steps() {
            return steps;
        }

        @Override
        public String run(List<Step> toRun) {
            BulkheadConfig ourConfig = keys.ourBulkhead();
            SemaphoreBulkhead ours = new SemaphoreBulkhead(SameKeys.NAME, ourConfig);
            io.github.resilience4j.bulkhead.Bulkhead theirs = io.github.resilience4j.bulkhead.Bulkhead.of(SameKeys.NAME,
                    keys.theirBulkhead());
            boolean waits = !ourConfig.maxWaitDuration().isZero();
            int held = 0;
            String mismatch = compare("at the start", ours, theirs);
            for (int index = 0; index < toRun.size() && mismatch == null; index++) {
                Step step = toRun.get(index);
                String when = "after step " + (index + 1) + " (" + step + ")";
                if (step.acquire) {
                    if (waits && !step.interrupted && ours.getAvailableConcurrentCalls() == 0) {
                        continue;
                    }
                    boolean our = ask(ours::tryAcquirePermission, step.interrupted);
                    boolean their = ask(theirs::tryAcquirePermission, step.interrupted);
                    if (our != their) {
                        return "step " + (index + 1) + " (" + step + "): permitted here " + our + ", by Resilience4j "
                                + their;
                    }
                    held += our ? 1 : 0;
                } else if (held > 0) {
                    ours.releasePermission();
                    theirs.onComplete();
                    held--;
                }
                mismatch = compare(when, ours, theirs);
            }
            return mismatch;
        }

        private static boolean ask(java.util.function.BooleanSupplier acquire, boolean interrupted) {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            try {
                return acquire.getAsBoolean();
            } finally {
                Thread.interrupted();
            }
        }

        private static String compare(String when, SemaphoreBulkhead ours, io.github.resilience4j.bulkhead.Bulkhead theirs) {
            String our = ours.getAvailableConcurrentCalls() + " of " + ours.getMaxConcurrentCalls();
            String their = theirs.getMetrics().getAvailableConcurrentCalls() + " of "
                    + theirs.getMetrics().getMaxAllowedConcurrentCalls();
            return our.equals(their) ? null : when + ": permits left here " + our + ", Resilience4j " + their;
        }
    }
}

package dev.resilience.parity;

import dev.resilience.core.ManualScheduler;
import dev.resilience.core.ManualTicker;
import dev.resilience.core.ratelimiter.LocalRateLimiter;
import dev.resilience.core.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.resilience.parity.Scenarios.pick;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our rate limiter and Resilience4j 2.4.0's {@code AtomicRateLimiter}, built from the same yml keys and reading the
 * same manual clock, asked for permits in the same seeded random order with the clock moved in between (by nothing,
 * a nanosecond, parts of a period, whole periods): after every step the decision (free now, free after the same
 * wait, refused) and the permits available must be the same. Both are asked without waiting ({@code
 * reservePermission}), so nothing waits in real time; how each side then waits is not a decision and differs on
 * purpose (see the README).
 */
class RateLimiterParityTest {

    @Test
    void samePermitsAsResilience4j() {
        int steps = Scenarios.check("rate limiter", 400, RateLimiterScenario::new);
        assertThat(steps).isGreaterThan(400 * 100);
    }

    /** {@code advanceNanos} below zero: ask for a permit; otherwise move the clock by that much. */
    record Step(long advanceNanos) {
        @Override
        public String toString() {
            return advanceNanos < 0 ? "ask for a permit" : "move the clock " + Duration.ofNanos(advanceNanos);
        }
    }

    static final class RateLimiterScenario implements Scenarios.Scenario<Step> {

        private final SameKeys keys;
        private final List<Step> steps = new ArrayList<>();

        RateLimiterScenario(Random random) {
            Map<String, String> map = new LinkedHashMap<>();
            String where = random.nextInt(4) == 0 ? SameKeys.TEMPLATE : "";
            if (random.nextInt(6) != 0) {
                map.put(where + "limit-for-period", String.valueOf(1 + random.nextInt(6)));
            }
            if (random.nextInt(6) != 0) {
                map.put("limit-refresh-period", pick(random, "500ns", "1ms", "10ms", "100ms", "1s", "1m"));
            }
            if (random.nextInt(6) != 0) {
                map.put(pick(random, "", SameKeys.TEMPLATE) + "timeout-duration",
                        pick(random, "0", "0ms", "1ns", "1ms", "5ms", "50ms", "1s", "5s"));
            }
            keys = new SameKeys(map);
            long period = keys.ourRateLimiter().limitRefreshPeriod().toNanos();
            int count = 100 + random.nextInt(300);
            int askPercent = pick(random, 50, 70, 85);
            for (int i = 0; i < count; i++) {
                if (random.nextInt(100) < askPercent) {
                    steps.add(new Step(-1));
                } else {
                    steps.add(new Step(pick(random, 0L, 1L, period / 4, period / 2, period - 1, period, period + 1,
                            3 * period, (long) (random.nextDouble() * 2 * period))));
                }
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
            ManualTicker ticker = new ManualTicker();
            RateLimiterConfig ourConfig = keys.ourRateLimiter();
            LocalRateLimiter ours = new LocalRateLimiter(SameKeys.NAME, ourConfig, ticker, new ManualScheduler(ticker));
            AtomicRateLimiter theirs = new AtomicRateLimiter(SameKeys.NAME, keys.theirRateLimiter(), ticker::nanoTime);
            String settings = compareSettings(ourConfig, theirs);
            if (settings != null) {
                return settings;
            }
            String mismatch = compare("at the start", ours, theirs);
            for (int index = 0; index < toRun.size() && mismatch == null; index++) {
                Step step = toRun.get(index);
                if (step.advanceNanos >= 0) {
                    ticker.advance(Duration.ofNanos(step.advanceNanos));
                } else {
                    long our = ours.reservePermission();
                    long their = theirs.reservePermission();
                    if (their == -1 ? our >= 0 : our != their) {
                        return "step " + (index + 1) + " (" + step + "): here " + described(our) + ", Resilience4j "
                                + described(their < 0 ? Long.MIN_VALUE : their);
                    }
                }
                mismatch = compare("after step " + (index + 1) + " (" + step + ")", ours, theirs);
            }
            return mismatch;
        }

        private static String described(long reservation) {
            return reservation == 0 ? "permitted at once" : reservation > 0 ? "permitted after " + reservation + "ns"
                    : "refused";
        }

        private static String compareSettings(RateLimiterConfig ours, AtomicRateLimiter theirs) {
            var their = theirs.getRateLimiterConfig();
            String our = ours.limitForPeriod() + " per " + ours.limitRefreshPeriod() + ", timeout "
                    + ours.timeoutDuration();
            String resilience4j = their.getLimitForPeriod() + " per " + their.getLimitRefreshPeriod() + ", timeout "
                    + their.getTimeoutDuration();
            return our.equals(resilience4j) ? null : "settings here " + our + ", Resilience4j " + resilience4j;
        }

        private static String compare(String when, LocalRateLimiter ours, AtomicRateLimiter theirs) {
            long our = ours.getMetrics().availablePermissions();
            long their = theirs.getMetrics().getAvailablePermissions();
            return our == their ? null : when + ": permits available here " + our + ", Resilience4j " + their;
        }
    }
}

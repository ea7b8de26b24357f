package dev.resilience.parity;

import dev.resilience.core.Call;
import dev.resilience.core.retry.Retry;
import dev.resilience.core.retry.RetryConfig;
import dev.resilience.core.retry.RetryMetrics;
import io.github.resilience4j.core.functions.CheckedConsumer;
import io.github.resilience4j.retry.internal.RetryImpl;
import org.junit.jupiter.api.Test;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import static dev.resilience.parity.Scenarios.pick;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our retry and Resilience4j 2.4.0's, built from the same yml keys, each running the same seeded random calls, every
 * call a script of attempt outcomes (a value, or an exception of any kind against retry and ignore lists): for each
 * call the attempts made, the waits between them (the wait itself, or with randomized waits the range Resilience4j
 * draws from), the value or the very exception that surfaces, and the four counters must be the same.
 *
 * <p>What the calls and settings stay clear of, because it differs on purpose (shown side by side in
 * {@link DeliberateDifferencesTest}): sub-millisecond waits (Resilience4j truncates them to whole milliseconds), a
 * rejection by an open breaker or a full bulkhead (ours retries neither by default), an {@link Error} (Resilience4j's
 * synchronous retry lets it through uncounted), a call that fails without being retried after a retry (Resilience4j
 * counts it as failed without retry), and the key combinations where Resilience4j leaves a key unread:
 * {@code enable-exponential-backoff} or {@code enable-randomized-wait} without {@code wait-duration},
 * {@code exponential-max-wait-duration} without {@code exponential-backoff-multiplier}, and randomized exponential
 * waits without both the multiplier and {@code randomized-wait-factor}.
 */
class RetryParityTest {

    private static final Exception[] FAILURES = {
            new IOException("io"), new FileNotFoundException("file"), new TimeoutException("timeout"),
            new IllegalStateException("state"), new IllegalArgumentException("argument"),
            new NumberFormatException("number"), new UncheckedIOException(new IOException("unchecked io")),
            new CompletionException(new IOException("io in a completion")),
    };

    private static final String[] EXCEPTION_LISTS = {
            "java.io.IOException", "java.io.IOException,java.util.concurrent.TimeoutException",
            "java.lang.IllegalArgumentException", "java.lang.RuntimeException", "java.lang.Exception",
            "java.io.FileNotFoundException,java.lang.NumberFormatException",
    };

    @Test
    void sameAttemptsWaitsOutcomesAndCountersAsResilience4j() {
        int calls = Scenarios.check("retry", 400, RetryScenario::new);
        assertThat(calls).isGreaterThan(400 * 50);
    }

    /**
     * One call: the outcome of each attempt in turn ({@code -1} a value, otherwise the index of the exception); an
     * attempt past the script's end returns a value.
     */
    record CallScript(int[] attempts) {
        @Override
        public String toString() {
            return java.util.Arrays.stream(attempts).mapToObj(a -> a < 0 ? "value" : FAILURES[a].toString())
                    .collect(Collectors.joining(", then ", "call: ", ""));
        }
    }

    static final class RetryScenario implements Scenarios.Scenario<CallScript> {

        private final SameKeys keys;
        private final boolean randomized;
        private final long randomSeed;
        private final List<CallScript> calls = new ArrayList<>();

        RetryScenario(Random random) {
            Map<String, String> map = new LinkedHashMap<>();
            int maxAttempts = 1 + random.nextInt(6);
            if (random.nextInt(6) != 0) {
                map.put("max-attempts", String.valueOf(maxAttempts));
            } else {
                maxAttempts = 3;
            }
            boolean exponential = random.nextInt(3) == 0;
            randomized = random.nextInt(4) == 0;
            if (exponential || randomized || random.nextInt(4) != 0) {
                // Resilience4j reads enable-exponential-backoff and enable-randomized-wait only with wait-duration set
                map.put("wait-duration", pick(random, exponential || randomized ? "1ms" : "0ms", "1ms", "10ms", "100ms",
                        "500ms", "2s", "7ms"));
            }
            if (exponential) {
                map.put("enable-exponential-backoff", "true");
            } else if (random.nextInt(5) == 0) {
                map.put("enable-exponential-backoff", "false");
            }
            boolean multiplier = exponential && (randomized || random.nextBoolean());
            if (multiplier || random.nextInt(8) == 0) {
                map.put("exponential-backoff-multiplier", pick(random, "0.5", "1", "1.5", "2", "3.3", "1.01"));
            }
            if (exponential && multiplier && random.nextBoolean() || !exponential && random.nextInt(8) == 0) {
                // Resilience4j applies the cap only when the multiplier is set too
                map.put("exponential-max-wait-duration", pick(random, "1ms", "50ms", "300ms", "1s"));
            }
            if (randomized) {
                map.put("enable-randomized-wait", "true");
                map.put("randomized-wait-factor", pick(random, "0", "0.1", "0.5", "0.9"));
            } else if (random.nextInt(5) == 0) {
                map.put("randomized-wait-factor", pick(random, "0", "0.1", "0.5", "0.9"));
            }
            if (random.nextInt(3) == 0) {
                map.put("retry-exceptions", pick(random, EXCEPTION_LISTS));
            }
            if (random.nextInt(3) == 0) {
                map.put("ignore-exceptions", pick(random, EXCEPTION_LISTS));
            }
            keys = new SameKeys(map);
            randomSeed = random.nextLong();

            int count = 50 + random.nextInt(150);
            int failurePercent = pick(random, 10, 40, 70, 95);
            for (int i = 0; i < count; i++) {
                int[] attempts = new int[1 + random.nextInt(maxAttempts + 1)];
                for (int a = 0; a < attempts.length; a++) {
                    attempts[a] = random.nextInt(100) < failurePercent ? random.nextInt(FAILURES.length) : -1;
                }
                calls.add(new CallScript(attempts));
            }
        }

        @Override
        public Object settings() {
            return keys;
        }

        @Override
        public List<CallScript> steps() {
            return calls;
        }

        @Override
        public String run(List<CallScript> toRun) {
            List<Long> ourWaits = new ArrayList<>();
            List<Long> theirWaits = new ArrayList<>();
            RetryConfig ourConfig = keys.ourRetry();
            Random draws = new Random(randomSeed);
            Retry ours = new Retry(SameKeys.NAME, ourConfig, new ParityTime().scheduler, ourWaits::add, draws::nextDouble);
            // the same waits, neither randomized nor capped, for the range a randomized wait is drawn from
            Retry unrandomized = new Retry(SameKeys.NAME, ourConfig.toBuilder().enableRandomizedWait(false)
                    .exponentialMaxWaitDuration(null).build(), new ParityTime().scheduler, nanos -> { }, () -> 0.5);
            io.github.resilience4j.retry.Retry theirs = io.github.resilience4j.retry.Retry.of(SameKeys.NAME, keys.theirRetry());
            CheckedConsumer<Long> previous = sleepFunction();
            RetryImpl.setSleepFunction(millis -> theirWaits.add(millis * 1_000_000));
            try {
                for (int index = 0; index < toRun.size(); index++) {
                    String mismatch = compare(toRun.get(index), ours, theirs, unrandomized, ourWaits, theirWaits);
                    if (mismatch != null) {
                        return "call " + (index + 1) + " (" + toRun.get(index) + "): " + mismatch;
                    }
                }
                return null;
            } finally {
                RetryImpl.setSleepFunction(previous);
            }
        }

        private String compare(CallScript script, Retry ours, io.github.resilience4j.retry.Retry theirs, Retry unrandomized,
                List<Long> ourWaits, List<Long> theirWaits) {
            ourWaits.clear();
            theirWaits.clear();
            int[] ourAttempts = {0};
            int[] theirAttempts = {0};
            Call<Object> ourCall = ours.decorate(context -> attempt(script, ourAttempts));
            Object ourOutcome;
            try {
                ourOutcome = ourCall.invoke(null);
            } catch (Throwable thrown) {
                ourOutcome = thrown;
            }
            Object theirOutcome;
            try {
                theirOutcome = io.github.resilience4j.retry.Retry.decorateCheckedSupplier(theirs,
                        () -> attempt(script, theirAttempts)).get();
            } catch (Throwable thrown) {
                theirOutcome = thrown;
            }
            if (ourAttempts[0] != theirAttempts[0]) {
                return "attempts here " + ourAttempts[0] + ", Resilience4j " + theirAttempts[0];
            }
            if (ourOutcome != theirOutcome) {
                return "outcome here " + ourOutcome + ", Resilience4j " + theirOutcome;
            }
            if (!randomized && !ourWaits.equals(theirWaits)) {
                return "waits (ns) here " + ourWaits + ", Resilience4j " + theirWaits;
            }
            if (randomized) {
                if (ourWaits.size() != theirWaits.size()) {
                    return "waits (ns) here " + ourWaits + ", Resilience4j " + theirWaits;
                }
                double factor = ours.getConfig().randomizedWaitFactor();
                for (int retry = 1; retry <= ourWaits.size(); retry++) {
                    String outside = outsideRange(unrandomized.waitNanosBeforeRetry(retry), factor, ours.getConfig(),
                            ourWaits.get(retry - 1), theirWaits.get(retry - 1));
                    if (outside != null) {
                        return "randomized wait before retry " + retry + ": " + outside;
                    }
                }
            }
            RetryMetrics our = ours.getMetrics();
            io.github.resilience4j.retry.Retry.Metrics their = theirs.getMetrics();
            String ourCounters = our.successfulCallsWithoutRetry() + "/" + our.successfulCallsWithRetry() + "/"
                    + our.failedCallsWithRetry() + "/" + our.failedCallsWithoutRetry();
            String theirCounters = their.getNumberOfSuccessfulCallsWithoutRetryAttempt() + "/"
                    + their.getNumberOfSuccessfulCallsWithRetryAttempt() + "/"
                    + their.getNumberOfFailedCallsWithRetryAttempt() + "/"
                    + their.getNumberOfFailedCallsWithoutRetryAttempt();
            if (!ourCounters.equals(theirCounters)) {
                return "counters (successful without/with retry, failed with/without retry) here " + ourCounters
                        + ", Resilience4j " + theirCounters;
            }
            return null;
        }

        /**
         * Resilience4j draws a randomized wait w from [w(1-f), w(1+f) + 1ms) in milliseconds, rounds it down and caps it;
         * ours draws from [w(1-f), w(1+f)] in nanoseconds (deliberately not rounded) and caps it: both must lie within
         * Resilience4j's range.
         */
        private static String outsideRange(long uncappedNanos, double factor, RetryConfig config, long our, long their) {
            long cap = config.enableExponentialBackoff() && config.exponentialMaxWaitDuration() != null
                    ? config.exponentialMaxWaitDuration().toNanos() : Long.MAX_VALUE;
            double low = Math.min(cap, Math.floor(uncappedNanos * (1 - factor) / 1_000_000) * 1_000_000);
            double high = Math.min(cap, uncappedNanos * (1 + factor) + 1_000_000);
            boolean ourInside = our >= low && our <= high;
            boolean theirInside = their >= Math.min(cap, Math.max(low, 1_000_000)) && their <= high;
            return ourInside && theirInside ? null
                    : "here " + our + "ns, Resilience4j " + their + "ns, range [" + (long) low + ", " + (long) high + "]";
        }

        private static Object attempt(CallScript script, int[] attempts) throws Exception {
            int index = attempts[0]++;
            int outcome = index < script.attempts.length ? script.attempts[index] : -1;
            if (outcome >= 0) {
                throw FAILURES[outcome];
            }
            return "value";
        }

        @SuppressWarnings("unchecked")
        private static CheckedConsumer<Long> sleepFunction() {
            try {
                Field field = RetryImpl.class.getDeclaredField("sleepFunction");
                field.setAccessible(true);
                return (CheckedConsumer<Long>) field.get(null);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}

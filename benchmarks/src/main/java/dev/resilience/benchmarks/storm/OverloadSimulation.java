package dev.resilience.benchmarks.storm;

import dev.resilience.core.Ticker;
import dev.resilience.core.bulkhead.AdaptiveBulkhead;
import dev.resilience.core.bulkhead.BulkheadConfig;
import dev.resilience.core.bulkhead.SemaphoreBulkhead;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Overload on a virtual clock: a partner whose latency grows with the calls it holds, driven at 50 % → 200 % →
 * 100 % of its capacity (the last part first with its base latency tripled, then back to normal), through our real
 * bulkheads (adaptive, a fixed semaphore of the adaptive one's initial size, none), called directly through their API.
 * A discrete-event loop: no thread, no sleep; the same seed gives the same figures on every machine.
 *
 * <p>The partner: {@value #CAPACITY} calls in parallel at its base latency; beyond that, each call it holds slows
 * every new one down in proportion (latency = base × max(1, calls held / {@value #CAPACITY}) × a jitter of ±20 %,
 * fixed when the call arrives), so its throughput never exceeds {@value #CAPACITY} / base (2,000 calls a second at
 * 20 ms) however many calls it holds. The callers: open-loop Poisson arrivals, each waiting up to
 * {@link #DEADLINE} (a {@code @Timeout}); a caller that gives up frees its place in the bulkhead (a drop for the
 * adaptive one), but the partner does not know and works the call to its end, as a real server does.
 *
 * <p>Goodput: calls answered within the deadline, per second. Latency: what an admitted caller saw (an answer, or the
 * deadline).
 */
public final class OverloadSimulation {

    /** The calls the partner serves in parallel at its base latency. */
    public static final int CAPACITY = 40;
    public static final Duration BASE_LATENCY = Duration.ofMillis(20);
    public static final Duration DEADLINE = Duration.ofSeconds(1);
    /** The calls per second the partner can answer at its base latency: 100 % load. */
    public static final double CAPACITY_PER_SECOND = CAPACITY / (BASE_LATENCY.toNanos() / 1e9);
    public static final int INITIAL_LIMIT = 20;
    public static final long SEED = 17;
    private static final long SAMPLE_NANOS = Duration.ofMillis(20).toNanos();
    /** Goodput is drawn over the last second: this many samples. */
    private static final int GOODPUT_WINDOW = 50;

    /** One stretch of the run: the offered load (a share of {@link #CAPACITY_PER_SECOND}) and how slow the partner is. */
    public record Phase(String name, Duration length, double load, double slowdown) {
    }

    public static final List<Phase> PHASES = List.of(
            new Phase("50 %", Duration.ofSeconds(10), 0.5, 1),
            new Phase("200 %", Duration.ofSeconds(20), 2.0, 1),
            new Phase("100 %, partner 3x slower", Duration.ofSeconds(15), 1.0, 3),
            new Phase("100 %, partner recovered", Duration.ofSeconds(15), 1.0, 1));

    /** What stands between the callers and the partner. */
    public enum Guard {
        ADAPTIVE("adaptive (gradient2, initial 20)"),
        ADAPTIVE_VEGAS("adaptive (vegas, initial 20)"),
        FIXED("fixed semaphore, 20"),
        NONE("no bulkhead");

        public final String label;

        Guard(String label) {
            this.label = label;
        }
    }

    /**
     * The figures of one phase.
     *
     * @param offered   calls that arrived
     * @param refused   calls the bulkhead refused at once
     * @param answered  calls answered within the deadline
     * @param timedOut  admitted calls whose caller gave up at the deadline
     * @param goodput   answered calls per second
     * @param p50Millis median latency an admitted caller saw
     * @param p99Millis 99th percentile of the same
     * @param minLimit  lowest adaptive limit seen in the phase (the bulkhead's size for a fixed one, 0 for none)
     * @param maxLimit  highest adaptive limit seen in the phase
     * @param meanLimit the limit's mean over the phase's samples
     */
    public record PhaseFigures(Phase phase, long offered, long refused, long answered, long timedOut, double goodput,
            double p50Millis, double p99Millis, int minLimit, int maxLimit, double meanLimit) {
    }

    /**
     * One run: the figures per phase and the time series sampled every 20 ms.
     *
     * @param seconds          the sample times
     * @param limit            the bulkhead's limit at each sample (0 without one)
     * @param inFlight         the calls inside the bulkhead (without one: the callers waiting on the partner)
     * @param partnerHeld      the calls the partner holds, the callers' abandoned ones included
     * @param goodputPerSecond the calls answered in time over the last second
     */
    public record Run(Guard guard, List<PhaseFigures> phases, double[] seconds, int[] limit, int[] inFlight,
            int[] partnerHeld, double[] goodputPerSecond) {

        public PhaseFigures phase(int index) {
            return phases.get(index);
        }
    }

    private OverloadSimulation() {
    }

    public static void main(String[] args) throws Exception {
        Path png = Path.of(args.length > 0 ? args[0] : "docs/storm-overload.png");
        List<Run> runs = new ArrayList<>();
        for (Guard guard : Guard.values()) {
            runs.add(run(guard, SEED));
        }
        System.out.println(table(runs));
        OverloadPlot.write(runs, png);
        System.out.println("Plot written to " + png);
    }

    /** The markdown table of the figures per phase and guard. */
    public static String table(List<Run> runs) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Partner: %d calls in parallel at %d ms (%,.0f calls/s), deadline %d ms, "
                        + "seed %d%n%n", CAPACITY, BASE_LATENCY.toMillis(), CAPACITY_PER_SECOND, DEADLINE.toMillis(),
                SEED));
        out.append("| phase | guard | offered/s | goodput/s | refused | timed out | p50 ms | p99 ms | limit: mean (min to max) |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (int p = 0; p < PHASES.size(); p++) {
            for (Run run : runs) {
                PhaseFigures f = run.phase(p);
                double seconds = f.phase().length().toNanos() / 1e9;
                out.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %,.0f | %,d | %,d | %.0f | %.0f | %s |%n",
                        f.phase().name(), run.guard().label, f.offered() / seconds, f.goodput(), f.refused(),
                        f.timedOut(), f.p50Millis(), f.p99Millis(), run.guard() == Guard.NONE ? "none"
                                : f.minLimit() == f.maxLimit() ? String.valueOf(f.minLimit())
                                : String.format(Locale.ROOT, "%.0f (%d to %d)", f.meanLimit(), f.minLimit(),
                                        f.maxLimit())));
            }
        }
        return out.toString();
    }

    /** Runs the whole scenario once through {@code guard}. */
    public static Run run(Guard guard, long seed) {
        return new Loop(guard, seed).run();
    }

    /** One call, from its arrival to its end for the caller and, later or earlier, for the partner. */
    private static final class Exchange {

        final long start;
        final int phase;
        AdaptiveBulkhead.Permit permit;
        boolean ended;

        Exchange(long start, int phase) {
            this.start = start;
            this.phase = phase;
        }
    }

    private record Event(long at, long sequence, int kind, Exchange exchange) implements Comparable<Event> {

        static final int ARRIVAL = 0;
        static final int PARTNER_DONE = 1;
        static final int DEADLINE = 2;
        static final int SAMPLE = 3;

        @Override
        public int compareTo(Event other) {
            int byTime = Long.compare(at, other.at);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    private static final class Loop {

        private final Guard guard;
        /** Two streams, so that every guard sees the very same arrivals. */
        private final SplittableRandom arrivals;
        private final SplittableRandom jitters;
        private final PriorityQueue<Event> events = new PriorityQueue<>();
        private final long[] phaseEnds = new long[PHASES.size()];
        private long now;
        private long sequence;
        private final AdaptiveBulkhead adaptive;
        private final SemaphoreBulkhead fixed;
        private int partnerHeld;
        private int callersInside;

        private final long[] offered = new long[PHASES.size()];
        private final long[] refused = new long[PHASES.size()];
        private final long[] answered = new long[PHASES.size()];
        private final long[] timedOut = new long[PHASES.size()];
        private final List<List<Long>> latencies = new ArrayList<>();
        private final int[] minLimit = new int[PHASES.size()];
        private final int[] maxLimit = new int[PHASES.size()];
        private final long[] limitSum = new long[PHASES.size()];
        private final long[] limitSamples = new long[PHASES.size()];
        private final List<double[]> samples = new ArrayList<>();
        private long answeredSinceSample;
        private final long[] answeredPerSample = new long[GOODPUT_WINDOW];
        private long answeredInWindow;

        Loop(Guard guard, long seed) {
            this.guard = guard;
            this.arrivals = new SplittableRandom(seed);
            this.jitters = new SplittableRandom(seed).split();
            Ticker ticker = () -> now;
            BulkheadConfig adaptiveConfig = BulkheadConfig.builder().type(BulkheadConfig.Type.ADAPTIVE)
                    .initialLimit(INITIAL_LIMIT).build();
            if (guard == Guard.ADAPTIVE_VEGAS) {
                adaptiveConfig = adaptiveConfig.toBuilder().limitAlgorithm(BulkheadConfig.LimitAlgorithm.VEGAS).build();
            }
            this.adaptive = guard == Guard.ADAPTIVE || guard == Guard.ADAPTIVE_VEGAS
                    ? new AdaptiveBulkhead("partner", adaptiveConfig, ticker) : null;
            this.fixed = guard == Guard.FIXED ? new SemaphoreBulkhead("partner",
                    BulkheadConfig.builder().maxConcurrentCalls(INITIAL_LIMIT).build()) : null;
            long end = 0;
            for (int p = 0; p < PHASES.size(); p++) {
                end += PHASES.get(p).length().toNanos();
                phaseEnds[p] = end;
                latencies.add(new ArrayList<>());
                minLimit[p] = Integer.MAX_VALUE;
            }
        }

        Run run() {
            schedule(0, Event.ARRIVAL, null);
            schedule(0, Event.SAMPLE, null);
            long end = phaseEnds[phaseEnds.length - 1];
            while (!events.isEmpty()) {
                Event event = events.poll();
                now = event.at();
                switch (event.kind()) {
                    case Event.ARRIVAL -> arrive(end);
                    case Event.PARTNER_DONE -> partnerDone(event.exchange());
                    case Event.DEADLINE -> deadline(event.exchange());
                    default -> sample(end);
                }
            }
            return result();
        }

        private void schedule(long at, int kind, Exchange exchange) {
            events.add(new Event(at, sequence++, kind, exchange));
        }

        private int phaseAt(long time) {
            for (int p = 0; p < phaseEnds.length; p++) {
                if (time < phaseEnds[p]) {
                    return p;
                }
            }
            return phaseEnds.length - 1;
        }

        private void arrive(long end) {
            int phase = phaseAt(now);
            Phase settings = PHASES.get(phase);
            double perSecond = settings.load() * CAPACITY_PER_SECOND;
            long gap = (long) (-Math.log(1 - arrivals.nextDouble()) / perSecond * 1e9);
            if (now + gap < end) {
                schedule(now + gap, Event.ARRIVAL, null);
            }
            offered[phase]++;
            Exchange exchange = new Exchange(now, phase);
            if (!admit(exchange)) {
                refused[phase]++;
                return;
            }
            callersInside++;
            partnerHeld++;
            double jitter = 0.8 + 0.4 * jitters.nextDouble();
            long latency = (long) (BASE_LATENCY.toNanos() * settings.slowdown()
                    * Math.max(1.0, (double) partnerHeld / CAPACITY) * jitter);
            schedule(now + latency, Event.PARTNER_DONE, exchange);
            schedule(now + DEADLINE.toNanos(), Event.DEADLINE, exchange);
        }

        private boolean admit(Exchange exchange) {
            return switch (guard) {
                case ADAPTIVE, ADAPTIVE_VEGAS -> (exchange.permit = adaptive.tryAcquirePermission()) != null;
                case FIXED -> fixed.tryAcquirePermission();
                case NONE -> true;
            };
        }

        private void partnerDone(Exchange exchange) {
            partnerHeld--;
            if (exchange.ended) {
                return; // its caller gave up at the deadline: the work was for nothing
            }
            exchange.ended = true;
            callersInside--;
            answered[exchange.phase]++;
            answeredSinceSample++;
            latencies.get(exchange.phase).add(now - exchange.start);
            switch (guard) {
                case ADAPTIVE, ADAPTIVE_VEGAS -> exchange.permit.onSuccess();
                case FIXED -> fixed.releasePermission();
                case NONE -> { }
            }
        }

        private void deadline(Exchange exchange) {
            if (exchange.ended) {
                return;
            }
            exchange.ended = true;
            callersInside--;
            timedOut[exchange.phase]++;
            latencies.get(exchange.phase).add(now - exchange.start);
            switch (guard) {
                case ADAPTIVE, ADAPTIVE_VEGAS -> exchange.permit.onDropped();
                case FIXED -> fixed.releasePermission();
                case NONE -> { }
            }
        }

        private void sample(long end) {
            int limit = switch (guard) {
                case ADAPTIVE, ADAPTIVE_VEGAS -> adaptive.getLimit();
                case FIXED -> fixed.getMaxConcurrentCalls();
                case NONE -> 0;
            };
            int phase = phaseAt(now);
            if (guard != Guard.NONE) {
                minLimit[phase] = Math.min(minLimit[phase], limit);
                maxLimit[phase] = Math.max(maxLimit[phase], limit);
                limitSum[phase] += limit;
                limitSamples[phase]++;
            }
            int slot = samples.size() % GOODPUT_WINDOW;
            answeredInWindow += answeredSinceSample - answeredPerSample[slot];
            answeredPerSample[slot] = answeredSinceSample;
            answeredSinceSample = 0;
            samples.add(new double[] {now / 1e9, limit, callersInside, partnerHeld,
                    answeredInWindow * 1e9 / (SAMPLE_NANOS * (double) Math.min(samples.size() + 1, GOODPUT_WINDOW))});
            if (now + SAMPLE_NANOS <= end) {
                schedule(now + SAMPLE_NANOS, Event.SAMPLE, null);
            }
        }

        private Run result() {
            List<PhaseFigures> figures = new ArrayList<>();
            for (int p = 0; p < PHASES.size(); p++) {
                long[] sorted = latencies.get(p).stream().mapToLong(Long::longValue).sorted().toArray();
                double seconds = PHASES.get(p).length().toNanos() / 1e9;
                figures.add(new PhaseFigures(PHASES.get(p), offered[p], refused[p], answered[p], timedOut[p],
                        answered[p] / seconds, percentile(sorted, 0.50), percentile(sorted, 0.99),
                        guard == Guard.NONE ? 0 : minLimit[p], guard == Guard.NONE ? 0 : maxLimit[p],
                        limitSamples[p] == 0 ? 0 : (double) limitSum[p] / limitSamples[p]));
            }
            int n = samples.size();
            double[] seconds = new double[n];
            int[] limit = new int[n];
            int[] inside = new int[n];
            int[] held = new int[n];
            double[] goodput = new double[n];
            for (int i = 0; i < n; i++) {
                double[] s = samples.get(i);
                seconds[i] = s[0];
                limit[i] = (int) s[1];
                inside[i] = (int) s[2];
                held[i] = (int) s[3];
                goodput[i] = s[4];
            }
            return new Run(guard, List.copyOf(figures), seconds, limit, inside, held, goodput);
        }

        /** The nearest-rank percentile in milliseconds; 0 for no value. */
        private static double percentile(long[] sorted, double quantile) {
            if (sorted.length == 0) {
                return 0;
            }
            int rank = (int) Math.ceil(quantile * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank))] / 1e6;
        }
    }

    static String describe(Run run) {
        return run.guard() + " " + Arrays.toString(run.phases().stream().mapToDouble(PhaseFigures::goodput).toArray());
    }
}

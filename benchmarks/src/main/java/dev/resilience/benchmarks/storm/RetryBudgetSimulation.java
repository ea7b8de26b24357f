package dev.resilience.benchmarks.storm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import dev.resilience.core.Call;
import dev.resilience.core.Scheduler;
import dev.resilience.core.Ticker;
import dev.resilience.core.retry.Retry;
import dev.resilience.core.retry.RetryConfig;
import dev.resilience.core.retry.RetryListener;

/**
 * An outage on a virtual clock, through our real {@link Retry}: a partner that is healthy, then fails a few calls, then
 * fails every call, then recovers, under a steady offered load (Poisson arrivals, seeded), with and without a retry
 * budget. The figures say how many calls the partner receives in each phase, against the calls offered.
 *
 * <p>Deterministic: the arrivals and the partner's failures come from seeded generators, time is a virtual clock that
 * jumps from one arrival to the next, and the retries wait on a sleeper that returns at once (so every attempt of a
 * call reaches the partner at the call's instant; the budget takes its retry when the retry is decided, so the waits
 * would change no decision of the budget's deposits, only when its reserve counts). Run {@link #main} for the table.
 */
public final class RetryBudgetSimulation {

    /** Calls offered a second, on average. */
    public static final int OFFERED_PER_SECOND = 1000;
    public static final long SEED = 20261201L;

    /** A phase of the partner's health: every attempt fails with {@code failureRate}. */
    public record Phase(String name, Duration length, double failureRate) {
    }

    public static final List<Phase> PHASES = List.of(
            new Phase("healthy", Duration.ofSeconds(20), 0.0),
            new Phase("sporadic failures", Duration.ofSeconds(20), 0.05),
            new Phase("outage", Duration.ofSeconds(30), 1.0),
            new Phase("recovered", Duration.ofSeconds(20), 0.0));

    /** One retry setting to simulate: {@code budget} null for none. */
    public record Setup(int maxAttempts, RetryConfig.Budget budget) {

        public String label() {
            return "max-attempts " + maxAttempts + (budget == null ? ", no budget"
                    : String.format(Locale.ROOT, ", budget %.0f %% + %d/s", budget.ratio() * 100,
                            budget.minRetriesPerSecond()));
        }
    }

    /**
     * The setups of the README's table: 3 and 5 attempts, without a budget and with a budget of ratio 0.1 and the
     * default reserve; and 3 attempts with the ratio alone (no reserve), which shows what the reserve adds.
     */
    public static final List<Setup> SETUPS = List.of(
            new Setup(3, null), new Setup(3, RetryConfig.Budget.ofRatio(0.1)),
            new Setup(3, new RetryConfig.Budget(0.1, 0)),
            new Setup(5, null), new Setup(5, RetryConfig.Budget.ofRatio(0.1)));

    /**
     * What one phase looked like under one setup.
     *
     * @param offeredCalls   calls made by the application
     * @param partnerCalls   attempts that reached the partner (first attempts and retries)
     * @param retries        retries made
     * @param refusedRetries retries the budget refused (each ended its call with the partner's failure)
     * @param failedCalls    calls that failed in the end
     * @param peakSecondLoad the most partner calls in one whole second of the phase, over the calls offered in it
     */
    public record Figures(Setup setup, Phase phase, long offeredCalls, long partnerCalls, long retries,
            long refusedRetries, long failedCalls, double peakSecondLoad) {

        /** The partner's load over the offered load. */
        public double load() {
            return (double) partnerCalls / offeredCalls;
        }

        public double failedShare() {
            return (double) failedCalls / offeredCalls;
        }
    }

    private RetryBudgetSimulation() {
    }

    /** The figures of every setup of {@link #SETUPS}, phase by phase. */
    public static List<Figures> figures() {
        List<Figures> all = new ArrayList<>();
        for (Setup setup : SETUPS) {
            all.addAll(run(setup, SEED));
        }
        return all;
    }

    /** Runs {@link #PHASES} once under {@code setup}; the same seed gives the same arrivals and failures. */
    public static List<Figures> run(Setup setup, long seed) {
        VirtualClock clock = new VirtualClock();
        RetryConfig config = RetryConfig.builder().maxAttempts(setup.maxAttempts())
                .waitDuration(Duration.ofMillis(100)).budget(setup.budget()).build();
        Retry retry = new Retry("partner", config, SYNC_ONLY, nanos -> { }, () -> 0.5, clock);
        Counts counts = new Counts();
        retry.addListener(counts);
        Random arrivals = new Random(seed);
        Random failures = new Random(seed + 1);
        Phase[] current = new Phase[1];
        Call<Void> partner = context -> {
            counts.partnerCalls++;
            counts.partnerCallsThisSecond++;
            if (failures.nextDouble() < current[0].failureRate()) {
                throw PartnerDown.INSTANCE;
            }
            return null;
        };
        Call<Void> protectedCall = retry.decorate(partner);

        List<Figures> figures = new ArrayList<>();
        long phaseStart = 0;
        for (Phase phase : PHASES) {
            current[0] = phase;
            counts.startPhase();
            long phaseEnd = phaseStart + phase.length().toNanos();
            long second = phaseStart;
            double meanGapNanos = 1e9 / OFFERED_PER_SECOND;
            while (true) {
                long next = clock.now + (long) (-Math.log(1 - arrivals.nextDouble()) * meanGapNanos);
                while (next >= second + 1_000_000_000L && second + 1_000_000_000L <= phaseEnd) {
                    counts.endSecond();
                    second += 1_000_000_000L;
                }
                if (next >= phaseEnd) {
                    break;
                }
                clock.now = next;
                counts.offered++;
                counts.offeredThisSecond++;
                try {
                    protectedCall.invoke(null);
                }
                catch (Throwable failed) {
                    counts.failed++;
                }
            }
            clock.now = phaseEnd;
            figures.add(new Figures(setup, phase, counts.offered, counts.partnerCalls, counts.retries, counts.refused,
                    counts.failed, counts.peakSecondLoad));
            phaseStart = phaseEnd;
        }
        return figures;
    }

    public static void main(String[] args) {
        System.out.printf(Locale.ROOT, "Offered load: %d calls a second (Poisson, seed %d); partner phases: %s%n%n",
                OFFERED_PER_SECOND, SEED, PHASES.stream().map(phase -> String.format(Locale.ROOT, "%s %ds (%s failing)",
                        phase.name(), phase.length().toSeconds(), percent(phase.failureRate()))).toList());
        System.out.println("| retry | phase | offered calls | partner calls | partner load | peak second | retries "
                + "| refused by the budget | calls failed |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        for (Figures f : figures()) {
            System.out.printf(Locale.ROOT, "| %s | %s (%s failing) | %,d | %,d | %.3f× | %.2f× | %,d | %,d | %s |%n",
                    f.setup().label(), f.phase().name(), percent(f.phase().failureRate()), f.offeredCalls(),
                    f.partnerCalls(), f.load(), f.peakSecondLoad(), f.retries(), f.refusedRetries(),
                    String.format(Locale.ROOT, "%,d (%.2f %%)", f.failedCalls(), 100 * f.failedShare()));
        }
    }

    private static String percent(double rate) {
        return String.format(Locale.ROOT, "%.0f %%", rate * 100);
    }

    /** The virtual clock: it moves only when the simulation moves it. */
    private static final class VirtualClock implements Ticker {

        long now;

        @Override
        public long nanoTime() {
            return now;
        }
    }

    /** The simulation is single-threaded and synchronous: nothing is scheduled. */
    private static final Scheduler SYNC_ONLY = new Scheduler() {
        @Override
        public Scheduled schedule(Runnable task, long delayNanos) {
            throw new UnsupportedOperationException("synchronous simulation");
        }

        @Override
        public void execute(Runnable task) {
            throw new UnsupportedOperationException("synchronous simulation");
        }
    };

    /** The partner's failure: a signal, without a stack trace. */
    private static final class PartnerDown extends RuntimeException {

        static final PartnerDown INSTANCE = new PartnerDown();

        private PartnerDown() {
            super("partner down", null, false, false);
        }
    }

    /** The counts of the running phase, and of its running second. */
    private static final class Counts implements RetryListener {

        long offered;
        long partnerCalls;
        long retries;
        long refused;
        long failed;
        long offeredThisSecond;
        long partnerCallsThisSecond;
        double peakSecondLoad;

        void startPhase() {
            offered = partnerCalls = retries = refused = failed = 0;
            offeredThisSecond = partnerCallsThisSecond = 0;
            peakSecondLoad = 0;
        }

        void endSecond() {
            if (offeredThisSecond > 0) {
                peakSecondLoad = Math.max(peakSecondLoad, (double) partnerCallsThisSecond / offeredThisSecond);
            }
            offeredThisSecond = partnerCallsThisSecond = 0;
        }

        @Override
        public void onRetry(Retry retry, int attempt, Throwable error, long waitNanos) {
            retries++;
        }

        @Override
        public void onBudgetExhausted(Retry retry, int attempts, Throwable error) {
            refused++;
        }
    }
}

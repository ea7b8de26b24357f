package dev.resilience.benchmarks.storm;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.resilience.benchmarks.storm.RetryBudgetSimulation.Figures;
import dev.resilience.benchmarks.storm.RetryBudgetSimulation.Setup;
import dev.resilience.core.retry.RetryConfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The figures the README shows, asserted: what a retry budget of 10 % does to the partner's load in an outage. */
class RetryBudgetSimulationTest {

    private static final RetryConfig.Budget TEN_PERCENT = RetryConfig.Budget.ofRatio(0.1);

    private static Figures phase(List<Figures> figures, String name) {
        return figures.stream().filter(f -> f.phase().name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void withoutABudgetAnOutageMultipliesThePartnersLoadByTheAttempts() {
        for (int attempts : new int[] {3, 5}) {
            Figures outage = phase(RetryBudgetSimulation.run(new Setup(attempts, null), RetryBudgetSimulation.SEED),
                    "outage");
            assertThat(outage.load()).isEqualTo(attempts);
            assertThat(outage.refusedRetries()).isZero();
        }
    }

    @Test
    void withABudgetOfTenPercentTheOutageLoadStaysAtTheRatioPlusTheReserve() {
        for (int attempts : new int[] {3, 5}) {
            Figures outage = phase(RetryBudgetSimulation.run(new Setup(attempts, TEN_PERCENT),
                    RetryBudgetSimulation.SEED), "outage");
            long seconds = outage.phase().length().toSeconds();
            // the exact bound: 0.1 of the calls, the reserve of 10 a second, what was banked before (the deposits'
            // cap of 100 and the reserve's 10), and the fraction of one retry left over
            long bound = outage.offeredCalls() / 10 + 10 * seconds + 100 + 10 + 1;
            assertThat(outage.retries()).isLessThanOrEqualTo(bound).isGreaterThan(outage.offeredCalls() / 10);
            assertThat(outage.load()).isBetween(1.1, 1.12);
            assertThat(outage.failedShare()).isEqualTo(1.0);
            // a call ends refused (after no retry or some) or with its attempts used up: at most one refusal each,
            // and every call that made no retry was refused
            assertThat(outage.refusedRetries()).isLessThanOrEqualTo(outage.offeredCalls())
                    .isGreaterThanOrEqualTo(outage.offeredCalls() - outage.retries());
        }
    }

    @Test
    void withoutTheReserveTheOutageLoadIsTheRatioPlusWhatWasBanked() {
        Figures outage = phase(RetryBudgetSimulation.run(new Setup(3, new RetryConfig.Budget(0.1, 0)),
                RetryBudgetSimulation.SEED), "outage");
        // 0.1 of the calls, and what the sporadic phase left banked: at most the cap of 100
        assertThat(outage.retries()).isBetween(outage.offeredCalls() / 10, outage.offeredCalls() / 10 + 100);
        assertThat(outage.load()).isBetween(1.1, 1.105);
    }

    @Test
    void theBudgetCutsNoRetryThatSporadicFailuresNeed() {
        List<Figures> without = RetryBudgetSimulation.run(new Setup(3, null), RetryBudgetSimulation.SEED);
        List<Figures> with = RetryBudgetSimulation.run(new Setup(3, TEN_PERCENT), RetryBudgetSimulation.SEED);
        for (String name : List.of("healthy", "sporadic failures")) {
            Figures budgeted = phase(with, name);
            assertThat(budgeted.refusedRetries()).as(name).isZero();
            // the same seeds, the same decisions: the same calls, retries and failures as without a budget
            assertThat(budgeted.partnerCalls()).as(name).isEqualTo(phase(without, name).partnerCalls());
            assertThat(budgeted.failedCalls()).as(name).isEqualTo(phase(without, name).failedCalls());
        }
        Figures sporadic = phase(with, "sporadic failures");
        assertThat((double) sporadic.retries() / sporadic.offeredCalls()).isCloseTo(0.0525, within(0.005));
        assertThat(sporadic.failedShare()).isLessThan(0.001);
    }

    @Test
    void afterTheOutageNoCallNeedsARetry() {
        Figures recovered = phase(RetryBudgetSimulation.run(new Setup(3, TEN_PERCENT), RetryBudgetSimulation.SEED),
                "recovered");
        assertThat(recovered.load()).isEqualTo(1.0);
        assertThat(recovered.failedCalls()).isZero();
    }

    @Test
    void theSameSeedGivesTheSameFigures() {
        assertThat(RetryBudgetSimulation.figures()).isEqualTo(RetryBudgetSimulation.figures());
        assertThat(RetryBudgetSimulation.figures()).hasSize(RetryBudgetSimulation.SETUPS.size()
                * RetryBudgetSimulation.PHASES.size());
    }
}
